"""phone mentions (placeholder until the extractor lands)."""
from ..pipeline import register_extractor


@register_extractor("phone")
def extract(ctx):
    return []
