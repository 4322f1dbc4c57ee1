"""subsidies linker (placeholder until it lands)."""
from ..pipeline import register_linker


@register_linker("subsidies")
def link(ctx, document):
    return None
