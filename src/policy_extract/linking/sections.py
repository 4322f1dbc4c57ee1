"""sections linker: the heading tree of the document and what its header says about it
(title, issuing bodies, document number, issue date); see outline.py."""
from ..models import DocumentInfo, Span
from ..outline import build_outline, to_sections
from ..pipeline import register_linker


@register_linker("sections")
def link(ctx, document):
    outline = build_outline(ctx)
    document.sections = to_sections(ctx, outline)
    title = None
    if outline.title_span:
        s, e = ctx.to_orig(*outline.title_span)
        title = Span(text=ctx.original[s:e], start=s, end=e)
    document.info = DocumentInfo(
        title=title,
        issuers=[Span(text=m.text, start=m.start, end=m.end) for m in outline.issuers],
        doc_number=outline.doc_number, issue_date=outline.issue_date)
