"""DOCX (Word 2007+) -> text, paragraphs and tables in reading order, via python-docx.

The ZIP directory is checked before python-docx reads anything: truncated archives, zip
bombs (declared sizes or ratio beyond limits.ZIP_*) and archives that are not Word
documents fail with one-line errors. python-docx parses with lxml's resolve_entities=False,
so no external entity is ever resolved; images and linked files are never opened.
"""
from __future__ import annotations

import io
import zipfile

from ..errors import ArchiveBombError, CorruptInputError, MissingDependencyError, UnsupportedFormatError
from . import join_paragraphs
from .limits import ZIP_MAX_MEMBERS, ZIP_MAX_RATIO, ZIP_MAX_UNCOMPRESSED, ZIP_RATIO_FLOOR

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes) -> zipfile.ZipFile:
    """Open the archive and vet its central directory; raises InputError subclasses."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, and for damaged records also OSError,
        # ValueError, EOFError, NotImplementedError ("zip file version 25.5"), ...
        raise CorruptInputError(f"truncated or damaged ZIP/DOCX ({exc})") from None
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        raise ArchiveBombError(f"ZIP holds {len(infos)} members, over the limit of "
                               f"{ZIP_MAX_MEMBERS}")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > ZIP_MAX_UNCOMPRESSED:
        raise ArchiveBombError(f"ZIP expands to {total} bytes, over the limit of "
                               f"{ZIP_MAX_UNCOMPRESSED} bytes (zip bomb?)")
    if total > ZIP_RATIO_FLOOR and total / packed > ZIP_MAX_RATIO:
        raise ArchiveBombError(f"ZIP compression ratio {total // packed}:1 is over the limit of "
                               f"{ZIP_MAX_RATIO}:1 (zip bomb?)")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        kind = ("an OpenDocument file: save it as DOCX" if "content.xml" in names
                else "an XLSX/PPTX, not a Word document" if "[Content_Types].xml" in names
                else "a ZIP archive, not a DOCX")
        raise UnsupportedFormatError(kind)
    return archive


def docx_to_text(data: bytes) -> tuple[str, list[tuple[int, int, str]], list[str]]:
    """(text, source map [(start, end, 'p[3]' | 'table[0]/row[1]')], warnings)."""
    archive = check_zip(data)
    try:
        bad = archive.testzip()       # CRCs: catches truncated members and lying sizes
    except Exception as exc:          # zlib.error, EOFError, BadZipFile, ...
        raise CorruptInputError(f"truncated or damaged ZIP/DOCX ({exc})") from None
    if bad is not None:
        raise CorruptInputError(f"damaged DOCX: member {bad} fails its CRC check")
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:
        raise MissingDependencyError("reading DOCX needs python-docx: "
                                     "pip install 'policy-extract[docx]'") from None
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:         # python-docx raises many kinds on broken packages
        raise CorruptInputError(f"damaged DOCX: {type(exc).__name__}: "
                                f"{str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": "))
    lines: list[str] = []
    where: list[str] = []
    counters = {"p": 0, "table": 0}

    def walk(parent_element, parent):
        for child in parent_element.iterchildren():
            tag = child.tag
            if tag == _W + "p":
                lines.append(Paragraph(child, parent).text)
                where.append(f"p[{counters['p']}]")
                counters["p"] += 1
            elif tag == _W + "tbl":
                t = counters["table"]
                counters["table"] += 1
                table = Table(child, parent)
                for r, row in enumerate(table.rows):
                    cells, seen = [], set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:      # a merged cell repeats itself
                            continue
                        seen.add(id(cell._tc))
                        # every paragraph of the cell, nested tables included (cell.text
                        # skips those), on one line
                        texts = (Paragraph(p, parent).text.strip() for p in cell._tc.iter(_W + "p"))
                        cells.append(" ".join(t for t in texts if t))
                    lines.append("\t".join(cells))
                    where.append(f"table[{t}]/row[{r}]")
            elif tag == _W + "sdt":                    # content controls wrap paragraphs
                content = child.find(_W + "sdtContent")
                if content is not None:
                    walk(content, parent)

    try:
        walk(body, document._body)
    except Exception as exc:
        raise CorruptInputError(f"damaged DOCX body: {type(exc).__name__}") from None
    text, source_map = join_paragraphs((t, loc) for t, loc in zip(lines, where) if t.strip())
    return text, source_map, []
