"""time mentions (placeholder until the extractor lands)."""
from ..pipeline import register_extractor


@register_extractor("time")
def extract(ctx):
    return []
