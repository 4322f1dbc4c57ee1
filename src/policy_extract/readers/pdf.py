"""PDF with a text layer -> text, via PyMuPDF: pages in order, running headers/footers and
page numbers dropped, lines that wrap at the right margin re-joined (Chinese has no
hyphen, so layout decides: a line reaching the right margin continues on the next line
unless that one is indented or a blank line's worth lower; also across a page break). A PDF whose pages hold no text is a scan: NeedsOCRError.
"""
from __future__ import annotations

import regex

from ..errors import (CorruptInputError, MissingDependencyError, NeedsOCRError, TooLargeError,
                      UnsupportedFormatError)
from . import join_paragraphs
from .limits import PDF_MAX_PAGES

MARGIN_ZONE = 0.1          # top/bottom share of the page where running heads live
REPEAT_SHARE = 0.5         # a margin line on this share of pages (and >= 2) is a running head
_PAGE_NUMBER = regex.compile(
    r"^[\s\-—–－_·•]*(?:第\s*)?(?:\d{1,4}|[ivxlcIVXLC]{1,6})\s*(?:页)?"
    r"(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?[\s\-—–－_·•]*$"
    r"|^[\s\-—–－]*(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[\s\-—–－]*$")
_DIGITS = regex.compile(r"\d+")
_UNMAPPED = regex.compile(r"[\ufffd\ue000-\uf8ff]")


def _pymupdf():
    try:
        import pymupdf
    except ImportError:
        try:
            import fitz as pymupdf  # older PyMuPDF releases
        except ImportError:
            raise MissingDependencyError("reading PDF needs PyMuPDF: "
                                         "pip install 'policy-extract[pdf]'") from None
    return pymupdf


def _page_lines(page) -> list[tuple[str, float, float, float, float, float]]:
    """(text, x0, y0, x1, y1, size) of each text line, in reading order."""
    out = []
    for block in page.get_text("dict", sort=True)["blocks"]:
        for line in block.get("lines", ()):
            spans = line["spans"]
            text = "".join(s["text"] for s in spans).strip()
            if text:
                x0, y0, x1, y1 = line["bbox"]
                size = max(s["size"] for s in spans) or (y1 - y0)
                out.append((text, x0, y0, x1, y1, size))
    return out


def _key(text: str) -> str:
    return _DIGITS.sub("#", regex.sub(r"\s+", "", text))


def _drop_running_heads(pages: list[list], heights: list[float]) -> list[list]:
    in_zone = [[(ln[4] <= h * MARGIN_ZONE or ln[2] >= h * (1 - MARGIN_ZONE)) for ln in lines]
               for lines, h in zip(pages, heights)]
    counts: dict[str, int] = {}
    for lines, zone in zip(pages, in_zone):
        for key in {_key(ln[0]) for ln, z in zip(lines, zone) if z}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, REPEAT_SHARE * len(pages))
    kept = []
    for lines, zone in zip(pages, in_zone):
        kept.append([ln for ln, z in zip(lines, zone)
                     if not (z and (counts[_key(ln[0])] >= need or _PAGE_NUMBER.match(ln[0])))])
    return kept


def _joins(prev, nxt, right: float, left: float, same_page: bool) -> bool:
    """Does line `prev` wrap into `nxt` (same paragraph)?"""
    text, x0, _, x1, y1, size = prev
    if same_page and nxt[2] - y1 > 0.8 * size:     # a blank line's worth of space
        return False
    # A wrapped line runs from the left margin (or a first-line indent) to the right one;
    # a centred title or a short last line does not.
    full = x1 >= right - 1.5 * size and x0 <= left + 2.5 * size
    indented = nxt[1] > left + 1.2 * size
    return full and not indented


def _read_pages(doc) -> tuple[list[list], list[float]]:
    if doc.needs_pass:
        raise UnsupportedFormatError("encrypted PDF: needs a password")
    if doc.page_count > PDF_MAX_PAGES:
        raise TooLargeError(f"PDF has {doc.page_count} pages, over the limit of {PDF_MAX_PAGES}")
    pages, heights = [], []
    for page in doc:
        pages.append(_page_lines(page))
        heights.append(page.rect.height or 1.0)
    return pages, heights


def pdf_to_text(data: bytes) -> tuple[str, list[tuple[int, int, str]], list[str]]:
    """(text, source map [(start, end, 'page[N]')], warnings)."""
    pymupdf = _pymupdf()
    try:
        pymupdf.TOOLS.mupdf_display_errors(False)
        pymupdf.TOOLS.mupdf_display_warnings(False)
    except AttributeError:
        pass
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:
        raise CorruptInputError(f"damaged PDF ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    with doc:
        try:
            pages, heights = _read_pages(doc)
        except (CorruptInputError, TooLargeError, UnsupportedFormatError):
            raise
        except Exception as exc:  # MuPDF raises RuntimeError & co. on broken structures
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CorruptInputError(f"damaged PDF ({first})") from None
    if not any(pages):
        raise NeedsOCRError("no text layer: needs OCR")
    warnings = []
    # Fonts embedded without a Unicode map extract as private-use or replacement
    # characters: such a text layer is as good as none.
    sample = "".join(ln[0] for lines in pages[:50] for ln in lines)
    junk = len(_UNMAPPED.findall(sample)) / max(1, len(sample))
    if junk > 0.3:
        raise NeedsOCRError(f"text layer unreadable ({junk:.0%} unmapped glyphs): needs OCR")
    if junk > 0.02:
        warnings.append(f"{junk:.0%} of the text layer is unmapped glyphs (U+FFFD/private use)")
    empty = [str(i + 1) for i, lines in enumerate(pages) if not lines]
    if empty:
        warnings.append(f"pages without a text layer (scanned?): {', '.join(empty[:20])}"
                        + (" ..." if len(empty) > 20 else ""))
    pages = _drop_running_heads(pages, heights)

    paragraphs: list[tuple[str, int]] = []     # (text, page number)
    current: list[str] = []
    start_page = 1
    # Margins of the whole document: a sparse last page says nothing about them.
    body = [ln for lines in pages for ln in lines]
    if not body:
        raise NeedsOCRError("no text layer: needs OCR")
    right = max(ln[3] for ln in body)
    left = min(ln[1] for ln in body)
    prev = None
    prev_page = 0
    for number, lines in enumerate(pages, 1):
        for line in lines:
            if prev is not None and not _joins(prev, line, right, left, prev_page == number):
                paragraphs.append(("".join(current), start_page))
                current = []
            if not current:
                start_page = number
            elif current[-1][-1:].isascii() and current[-1][-1:].isalnum() and line[0][:1].isascii() \
                    and line[0][:1].isalpha():
                current.append(" ")          # wrapped Latin words keep their space
            current.append(line[0])
            prev, prev_page = line, number
    if current:
        paragraphs.append(("".join(current), start_page))
    text, source_map = join_paragraphs((t, f"page[{page}]") for t, page in paragraphs)
    return text, source_map, warnings
