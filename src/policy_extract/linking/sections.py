"""sections linker (placeholder until it lands)."""
from ..pipeline import register_linker


@register_linker("sections")
def link(ctx, document):
    return None
