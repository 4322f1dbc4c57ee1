"""tasks linker (placeholder until it lands)."""
from ..pipeline import register_linker


@register_linker("tasks")
def link(ctx, document):
    return None
