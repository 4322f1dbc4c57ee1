"""org mentions (placeholder until the extractor lands)."""
from ..pipeline import register_extractor


@register_extractor("org")
def extract(ctx):
    return []
