"""Readers: a path or bytes -> document text, whatever the container and encoding.

`read()` sniffs the content (magic bytes first, the file suffix only as a hint for HTML)
and dispatches: text (text.py: UTF-8/16/32, GB18030, Big5), HTML (html.py), DOCX
(docx.py, python-docx, extra [docx]), PDF (pdf.py, PyMuPDF, extra [pdf]). Every failure is
an InputError subclass with a one-line message that does not repeat the file name (the
CLI and batch mode add it). Offsets of later stages index `ReadResult.text`.
"""
from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Union

from ..errors import (EmptyInputError, EncodingError, ImageInputError, InputError,
                      NotFoundError, UnsupportedFormatError)
from .limits import DEFAULT_MAX_BYTES, check_size

__all__ = ["read", "ReadResult", "DEFAULT_MAX_BYTES"]


@dataclass
class ReadResult:
    text: str
    reader: str                       # "text" | "html" | "docx" | "pdf"
    encoding: str | None = None       # of text/HTML bytes; None for DOCX/PDF
    warnings: list[str] = field(default_factory=list)
    # HTML, DOCX and PDF: (text_start, text_end, locator) of each paragraph/line of `text`;
    # locators are "p@12:5" (HTML tag at source line:col), "p[3]" / "table[0]/row[2]"
    # (DOCX body order), "page[4]" (PDF page where the paragraph starts).
    source_map: list[tuple[int, int, str]] = field(default_factory=list)
    encoding_confidence: float | None = None


def join_paragraphs(paragraphs: Iterable[tuple[str, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """The text of (paragraph, locator) pairs, one paragraph a line, and its source map."""
    out: list[str] = []
    source_map: list[tuple[int, int, str]] = []
    pos = 0
    for text, locator in paragraphs:
        source_map.append((pos, pos + len(text), locator))
        out.append(text)
        pos += len(text) + 1
    return "\n".join(out), source_map


_IMAGES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"),
           (b"GIF89a", "GIF"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"))
_OTHER_BINARY = ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                  "legacy Office file (.doc/.xls, OLE2): save it as DOCX"),
                 (b"{\\rtf", "RTF file: save it as DOCX or plain text"),
                 (b"\x1f\x8b", "gzip archive, not a document"),
                 (b"7z\xbc\xaf\x27\x1c", "7z archive, not a document"),
                 (b"Rar!", "RAR archive, not a document"))
_HTML_SUFFIXES = frozenset(".htm .html .shtml .xhtml .asp .aspx .jsp .php".split())


def _load(source: Union[str, Path, bytes, bytearray, memoryview], max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        check_size(len(data), max_bytes)
        return data, ""
    if not isinstance(source, (str, Path)):
        raise TypeError(f"read() takes a path or bytes, not {type(source).__name__}")
    path = Path(source)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise NotFoundError("no such file") from None
    except (ValueError, OSError) as exc:   # embedded NUL, name too long, permissions
        raise NotFoundError(f"cannot open: {getattr(exc, 'strerror', None) or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise NotFoundError("is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnsupportedFormatError("not a regular file (device, socket or pipe)")
    check_size(info.st_size, max_bytes)
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)   # the file may have grown since stat()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    check_size(len(data), max_bytes)
    return data, path.suffix.lower()


def _sniff_binary(data: bytes) -> str | None:
    """'pdf' / 'docx' for containers we read; raises for images and other binaries."""
    for magic, kind in _IMAGES:
        if data.startswith(magic):
            raise ImageInputError(f"an image ({kind}), not a document: its text needs OCR")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise ImageInputError("an image (WEBP), not a document: its text needs OCR")
    for magic, message in _OTHER_BINARY:
        if data.startswith(magic):
            raise UnsupportedFormatError(message)
    if b"%PDF-" in data[:1024]:       # the header may follow a little junk
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return "docx"
    return None


def read(source: Union[str, Path, bytes], max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read a path or bytes as document text; raises an InputError subclass with a
    one-line message (no traceback material) on anything that is not a readable document."""
    data, suffix = _load(source, max_bytes)
    if not data.strip():
        raise EmptyInputError("empty document")
    kind = _sniff_binary(data)
    if kind == "pdf":
        from .pdf import pdf_to_text

        text, source_map, warnings = pdf_to_text(data)
        return _done(ReadResult(text, "pdf", None, warnings, source_map))
    if kind == "docx":
        from .docx import docx_to_text

        text, source_map, warnings = docx_to_text(data)
        return _done(ReadResult(text, "docx", None, warnings, source_map))

    from . import html as html_reader
    from .text import decode

    if suffix in _HTML_SUFFIXES or html_reader.looks_like_html(data[:4096]):
        decoded = _decode_html(data)
        return _html(decoded.text, decoded.encoding, decoded.confidence, decoded.warnings)
    decoded = decode(data)
    if html_reader.looks_like_html(decoded.text[:4096].encode("utf-8", "replace")):
        return _html(decoded.text, decoded.encoding, decoded.confidence, decoded.warnings)
    return _done(ReadResult(decoded.text, "text", decoded.encoding, decoded.warnings,
                            encoding_confidence=decoded.confidence))


# Declarations trusted when the bytes decode under them: UTF-8 and the Chinese codecs. A
# single-byte declaration (iso-8859-1, windows-1252) decodes anything, and Chinese pages
# carry wrong ones from templates, so non-ASCII bytes then go to detection first.
_TRUSTED_CHARSETS = frozenset("utf-8 utf8 gb18030 gbk gb2312 cp936 cp950 big5 big5hkscs".split())


def _decode_html(data: bytes):
    """HTML bytes: a BOM, else the <meta charset> when it decodes cleanly, else detection."""
    from .html import declared_charset
    from .text import Decoded, decode

    declared = declared_charset(data)
    if not declared or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data)
    trusted = declared in _TRUSTED_CHARSETS or data.isascii()
    if trusted:
        try:
            return Decoded(data.decode(declared), declared, 1.0)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        decoded = decode(data)
    except EncodingError:
        try:                       # e.g. a real Latin-1 page: its declaration was right
            return Decoded(data.decode(declared), declared, 0.5,
                           [f"declared charset {declared!r} used: no Chinese encoding fits"])
        except (LookupError, UnicodeDecodeError):
            raise EncodingError(f"undecodable bytes: declared charset {declared!r} does not "
                                "fit and detection failed") from None
    decoded.warnings.insert(0, f"declared charset {declared!r} " +
                            ("does not fit the bytes" if trusted else "not trusted for non-ASCII bytes")
                            + f"; detected {decoded.encoding}")
    return decoded


def _html(markup: str, encoding: str, confidence: float, warnings: list[str]) -> ReadResult:
    from .html import html_to_text

    text, source_map, more = html_to_text(markup)
    return _done(ReadResult(text, "html", encoding, warnings + more, source_map,
                            encoding_confidence=confidence))


def _done(result: ReadResult) -> ReadResult:
    if not result.text.strip():
        raise EmptyInputError(f"empty document: no text in the {result.reader.upper()} file"
                              if result.reader != "text" else "empty document")
    return result
