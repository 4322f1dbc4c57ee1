"""quantity mentions (placeholder until the extractor lands)."""
from ..pipeline import register_extractor


@register_extractor("quantity")
def extract(ctx):
    return []
