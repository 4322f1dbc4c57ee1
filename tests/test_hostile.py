"""Hostile and broken input: each case fails with the exact error class and a one-line
message (the CLI adds `policy-extract: <file>: `; batch mode writes an error record), or
finishes in bounded time and memory."""
import io
import json
import os
import struct
import time
import zipfile

import pytest

from policy_extract import extract
from policy_extract.cli import main
from policy_extract.errors import (ArchiveBombError, BinaryInputError, CorruptInputError,
                                   EmptyInputError, ImageInputError, InputError,
                                   MissingDependencyError, NeedsOCRError, NotFoundError,
                                   TooLargeError, UnsupportedFormatError)
from policy_extract.readers import DEFAULT_MAX_BYTES, read

from conftest import corpus_text
from test_readers import make_docx, make_pdf

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def fails(source, error, message, **kwargs):
    with pytest.raises(InputError) as info:
        read(source, **kwargs)
    assert type(info.value) is error
    assert info.value.message == message and "\n" not in message
    return info.value


def test_missing_path(tmp_path):
    fails(tmp_path / "nope.txt", NotFoundError, "no such file")


def test_directory(tmp_path):
    fails(tmp_path, NotFoundError, "is a directory, not a file")


def test_fifo_is_not_read(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    fails(fifo, UnsupportedFormatError, "not a regular file (device, socket or pipe)")


def test_path_with_nul_character():
    fails("bad\x00name.txt", NotFoundError, "cannot open: embedded null byte")


@pytest.mark.parametrize("data, kind", [(PNG, "PNG"), (JPEG, "JPEG"), (b"GIF89a" + b"\0" * 20, "GIF")])
def test_image_files(tmp_path, data, kind):
    path = tmp_path / "scan.txt"        # the suffix lies; the bytes do not
    path.write_bytes(data)
    fails(path, ImageInputError, f"an image ({kind}), not a document: its text needs OCR")


def test_nul_bytes_in_text():
    data = "市财政局给予补助。".encode() + b"\x00\x01\x02" + "各部门".encode()
    fails(data, BinaryInputError, "binary data (NUL byte at offset 27), not a text document")


def test_empty_and_blank():
    fails(b"", EmptyInputError, "empty document")
    fails(b" \n\r\n\t", EmptyInputError, "empty document")
    fails(b"<html><body><script>var a;</script></body></html>", EmptyInputError,
          "empty document: no text in the HTML file")


def test_200_mb_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:              # sparse: no 200 MB written to disk
        fh.truncate(200 * 1024 * 1024)
    start = time.perf_counter()
    fails(path, TooLargeError, f"input is {200 * 1024 * 1024} bytes, over the limit of "
                               f"{DEFAULT_MAX_BYTES} bytes (raise it with --max-bytes)")
    assert time.perf_counter() - start < 0.5


def test_size_limit_is_raised_by_the_user(tmp_path, capsys):
    path = tmp_path / "doc.txt"
    path.write_text(corpus_text("000")[:1500], encoding="utf-8")
    size = path.stat().st_size
    fails(path, TooLargeError, f"input is {size} bytes, over the limit of 1000 bytes "
                               "(raise it with --max-bytes)", max_bytes=1000)
    fails(path.read_bytes(), TooLargeError, f"input is {size} bytes, over the limit of 1000 "
                                            "bytes (raise it with --max-bytes)", max_bytes=1000)
    assert main(["extract", str(path), "--max-bytes", "1000"]) == 1
    assert capsys.readouterr().err == (f"policy-extract: {path}: input is {size} bytes, over the "
                                       "limit of 1000 bytes (raise it with --max-bytes)\n")
    assert main(["extract", str(path), "--max-bytes", str(size)]) == 0


def test_invalid_utf8_in_the_middle_is_a_warning_not_an_error():
    data = "第一段。".encode() + b"\xc3\x28" + "市财政局给予最高不超过30万元的一次性补助。".encode() * 3
    result = read(data)
    assert result.text.startswith("第一段。\ufffd(市财政局")
    assert result.warnings == ["invalid utf-8 at byte offset 12: replaced with U+FFFD"]


def test_undecodable_bytes():
    data = bytes(range(0x80, 0x100)) * 40      # no encoding makes Chinese of this
    with pytest.raises(InputError) as info:
        read(data)
    assert type(info.value).__name__ == "EncodingError"
    assert info.value.message.startswith("undecodable bytes: not UTF-8, UTF-16, GB18030 or Big5")


# --- containers ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def docx_bytes():
    return make_docx(corpus_text("004").split("\n"))


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_docx(docx_bytes, keep):
    fails(docx_bytes[:int(len(docx_bytes) * keep)], CorruptInputError,
          "truncated or damaged ZIP/DOCX (File is not a zip file)")


def test_docx_with_a_damaged_member(docx_bytes):
    archive = zipfile.ZipFile(io.BytesIO(docx_bytes))
    info = archive.getinfo("word/document.xml")
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 20
    data = bytearray(docx_bytes)
    data[offset:offset + 8] = b"\x00" * 8          # corrupt the deflate stream
    with pytest.raises(CorruptInputError) as err:
        read(bytes(data))
    assert err.value.message.startswith(("truncated or damaged ZIP/DOCX (", "damaged DOCX: member"))


def test_zip_bomb_by_ratio():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (11 * 1024 * 1024))
    with pytest.raises(ArchiveBombError) as info:
        read(buf.getvalue())
    assert info.value.message.startswith("ZIP compression ratio ")
    assert info.value.message.endswith(":1 is over the limit of 100:1 (zip bomb?)")
    assert info.value.kind == "zip_bomb" and isinstance(info.value, TooLargeError)


def test_zip_bomb_by_declared_size(docx_bytes):
    """A central directory that declares 300 MB is refused before anything is inflated."""
    data = bytearray(docx_bytes)
    for pos, name in central_directory(docx_bytes):
        if name == b"word/document.xml":
            data[pos + 24:pos + 28] = struct.pack("<I", 300 * 1024 * 1024)
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist())
    fails(bytes(data), ArchiveBombError,
          f"ZIP expands to {declared} bytes, over the limit of {200 * 1024 * 1024} bytes (zip bomb?)")


def central_directory(data: bytes):
    """Offsets of the central directory records: (offset, file name)."""
    pos = struct.unpack("<I", data[-6:-2])[0]
    while data[pos:pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[pos + 28:pos + 34])
        yield pos, bytes(data[pos + 46:pos + 46 + name_len])
        pos += 46 + name_len + extra_len + comment_len


def test_zip_with_an_impossible_version(docx_bytes):
    """Found by fuzz/run_fuzz.py: zipfile raises NotImplementedError, not BadZipFile."""
    data = bytearray(docx_bytes)
    for pos, _ in central_directory(docx_bytes):
        data[pos + 6] = 255                       # "version needed to extract" 25.5
    fails(bytes(data), CorruptInputError, "truncated or damaged ZIP/DOCX (zip file version 25.5)")


def test_zip_that_is_not_a_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    fails(buf.getvalue(), UnsupportedFormatError, "a ZIP archive, not a DOCX")


def test_docx_external_entity_is_not_resolved(docx_bytes, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    src = zipfile.ZipFile(io.BytesIO(docx_bytes))
    xml = src.read("word/document.xml").decode("utf-8")
    head, rest = xml.split("?>", 1)
    xml = (head + f'?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           + rest.replace("<w:t>", "<w:t>&xxe;", 1))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, xml if item.filename == "word/document.xml" else src.read(item))
    try:
        text = read(buf.getvalue()).text
    except CorruptInputError:
        return                                   # refusing the document is fine too
    assert "TOPSECRET" not in text


def test_docx_entity_expansion_bomb(docx_bytes):
    src = zipfile.ZipFile(io.BytesIO(docx_bytes))
    xml = src.read("word/document.xml").decode("utf-8")
    head, rest = xml.split("?>", 1)
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    xml = head + f"?><!DOCTYPE w:document [{entities}]>" + rest.replace("<w:t>", "<w:t>&a9;", 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name in src.namelist():
            out.writestr(name, xml if name == "word/document.xml" else src.read(name))
    with pytest.raises(CorruptInputError) as info:
        read(buf.getvalue())
    assert info.value.message.startswith("damaged DOCX: XMLSyntaxError: ")
    assert "\n" not in info.value.message


def test_pdf_page_count_limit():
    """6000 empty pages in ~600 KB: refused before any page is read."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count 6000 >>"
               % b" ".join(b"%d 0 R" % (3 + k) for k in range(6000))]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * 6000
    data = b"%PDF-1.4\n"
    offsets = []
    for k, body in enumerate(objects):
        offsets.append(len(data))
        data += b"%d 0 obj %s endobj\n" % (k + 1, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    data += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    start = time.perf_counter()
    fails(data, TooLargeError, "PDF has 6000 pages, over the limit of 5000")
    assert time.perf_counter() - start < 5


def test_pdf_with_a_broken_page_tree():
    """One page object listed 6000 times: MuPDF raises RuntimeError while counting."""
    data = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [" + b"3 0 R " * 6000 + b"] /Count 6000 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n")
    fails(data, CorruptInputError, "damaged PDF (code=7: Invalid number of pages)")


def test_legacy_doc():
    fails(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, UnsupportedFormatError,
          "legacy Office file (.doc/.xls, OLE2): save it as DOCX")


def test_pdf_without_text_layer():
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 40), False)
    pix.clear_with(180)
    page.insert_image(pymupdf.Rect(50, 50, 500, 700), pixmap=pix)   # a "scan"
    fails(doc.tobytes(), NeedsOCRError, "no text layer: needs OCR")


def test_pdf_text_layer_without_unicode_map(monkeypatch):
    """Glyphs without a ToUnicode map come out as private-use characters."""
    from policy_extract.readers import pdf

    monkeypatch.setattr(pdf, "_page_lines", lambda page: [("\ue001\ue002\ue003\ue004第1页", 72, 72, 500, 84, 11)])
    fails(make_pdf("市财政局给予补助。"), NeedsOCRError, "text layer unreadable (57% unmapped glyphs): needs OCR")


def test_truncated_and_garbage_pdf():
    data = make_pdf("市财政局给予补助。\n" * 200)
    fails(data[:len(data) // 3], CorruptInputError, "damaged PDF (Failed to open stream)")
    fails(b"%PDF-1.7\n" + b"garbage " * 100, CorruptInputError, "damaged PDF (Failed to open stream)")


def test_encrypted_pdf():
    import pymupdf

    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "内部文件", fontname="china-s")
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    fails(data, UnsupportedFormatError, "encrypted PDF: needs a password")


def test_missing_optional_libraries(monkeypatch, docx_bytes):
    import sys

    monkeypatch.setitem(sys.modules, "docx", None)
    fails(docx_bytes, MissingDependencyError,
          "reading DOCX needs python-docx: pip install 'policy-extract[docx]'")
    monkeypatch.setitem(sys.modules, "pymupdf", None)
    monkeypatch.setitem(sys.modules, "fitz", None)
    fails(b"%PDF-1.4\n%\n", MissingDependencyError,
          "reading PDF needs PyMuPDF: pip install 'policy-extract[pdf]'")


# --- HTML ---------------------------------------------------------------------------

def test_html_with_100k_nested_tags_is_bounded():
    markup = ("<html><body>" + "<div>" * 100_000 + "<p>市财政局给予补助。</p><p>第二段。</p>"
              + "</div>" * 100_000 + "</body></html>")
    start = time.perf_counter()
    result = read(markup.encode())
    assert time.perf_counter() - start < 10
    assert result.text == "市财政局给予补助。\n第二段。"
    assert result.warnings == ["HTML nested deeper than 512 elements: structure flattened"]


def test_html_with_100k_unclosed_tags():
    markup = "<body>" + "<span><b><i>" * 35_000 + "正文内容。"
    start = time.perf_counter()
    assert read(markup.encode()).text == "正文内容。"
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("junk", ["<a " * 30_000, "<!--" * 30_000, "</" * 30_000,
                                  '<p a="' * 20_000, "<script>" + "a<" * 50_000])
def test_html_unclosed_constructs_parse_in_linear_time(junk):
    """html.parser alone takes minutes on '<a ' * 30000 (rescans per unclosed tag)."""
    start = time.perf_counter()
    result = read(("<html><body><p>市财政局给予补助。</p>" + junk).encode())
    assert time.perf_counter() - start < 5   # minutes without the defusing pass
    assert result.text.startswith("市财政局给予补助。")


def test_html_stray_less_than_signs_stay_text():
    result = read("<p>a<b 且 x < y，<!-- 注释 < 里 -->正文</p>".encode())
    assert result.text == "a<b 且 x < y，正文"


def test_html_entities_are_never_fetched():
    markup = ('<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body>'
              '<p>&xxe;正文<img src="http://example.invalid/x.png"></p>'
              '<iframe src="http://example.invalid/"></iframe></body></html>')
    assert read(markup.encode()).text == "&xxe;正文"


# --- extract() on long input --------------------------------------------------------

def test_one_megabyte_single_line_through_extract():
    line = corpus_text("001").replace("\n", "")
    text = (line * (1_000_000 // len(line) + 1))[:1_000_000]
    start = time.perf_counter()
    doc = extract(text)
    elapsed = time.perf_counter() - start
    assert all(text[m.start:m.end] == m.text for m in doc.mentions)
    assert elapsed < 20, f"1 MB single line took {elapsed:.1f} s"


# --- CLI and batch: one line per error, records in batch mode ------------------------

def hostile_files(tmp_path):
    (tmp_path / "img.png").write_bytes(PNG)
    (tmp_path / "nul.txt").write_bytes(b"abc\x00\x01def")
    (tmp_path / "cut.docx").write_bytes(make_docx(["第一段。"])[:200])
    (tmp_path / "dir.txt").mkdir()
    return {"img.png": ("image", "an image (PNG), not a document: its text needs OCR"),
            "nul.txt": ("binary", "binary data (NUL byte at offset 3), not a text document"),
            "cut.docx": ("corrupt", "truncated or damaged ZIP/DOCX (File is not a zip file)"),
            "dir.txt": ("not_found", "is a directory, not a file"),
            "missing.txt": ("not_found", "no such file")}


def test_cli_prints_one_line_per_bad_file(tmp_path, capsys):
    expected = hostile_files(tmp_path)
    paths = [str(tmp_path / name) for name in expected]
    assert main(["extract", *paths]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [f"policy-extract: {tmp_path / name}: {message}"
                                         for name, (_, message) in expected.items()]


def test_batch_writes_error_records(tmp_path):
    expected = hostile_files(tmp_path)
    del expected["dir.txt"]                 # batch reads a folder as the files inside it
    out = tmp_path / "out.jsonl"
    paths = [str(tmp_path / name) for name in expected]
    assert main(["batch", *paths, "-o", str(out), "--workers", "1"]) == 1
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["doc"], r["error"]["type"], r["error"]["message"]) for r in records] == [
        (str(tmp_path / name), kind, message) for name, (kind, message) in expected.items()]
