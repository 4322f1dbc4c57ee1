"""sections linker: the heading tree of the document (see outline.py)."""
from ..outline import build_outline, to_sections
from ..pipeline import register_linker


@register_linker("sections")
def link(ctx, document):
    document.sections = to_sections(ctx, build_outline(ctx))
