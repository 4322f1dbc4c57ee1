"""amount mentions (placeholder until the extractor lands)."""
from ..pipeline import register_extractor


@register_extractor("amount")
def extract(ctx):
    return []
