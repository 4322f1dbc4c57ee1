"""doc_number mentions (placeholder until the extractor lands)."""
from ..pipeline import register_extractor


@register_extractor("doc_number")
def extract(ctx):
    return []
