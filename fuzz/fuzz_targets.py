"""Properties and input generators shared by tests/test_fuzz.py and fuzz/run_fuzz.py.

The properties: extract() never raises on any str, every span lies inside the text and
text[start:end] equals its text, mentions are flat (sorted, never overlapping), values
are consistent and the JSON validates against schemas/policy_document.schema.json;
read() on any bytes returns a ReadResult or raises an InputError, nothing else.

Mutations are plain functions of explicit parameters so that any engine (hypothesis
draws, atheris' FuzzedDataProvider, random) can drive them and a failure reproduces from
the printed parameters.
"""
from __future__ import annotations

import io
import json
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Material for mixed-script and officialese-shaped inputs: general pieces of the writing
# system (numerals, units, brackets, date and number shapes), plus encoding debris.
SNIPPETS = (
    "万元", "亿元", "元", "约", "以上", "不超过", "最高", "至", "—", "~", "％", "%", "个", "家",
    "年", "月", "日", "底前", "年底", "季度", "每年", "工作日", "二〇二〇年", "2020年3月", "１２月",
    "〔2020〕", "12号", "第", "条", "一、", "(一)", "（二）", "1.", "①", "市", "县", "局",
    "委员会", "办公室", "人民政府", "0536-", "8888888", "电话:", "\n", "\r\n", "\u3000", " ",
    "\t", "\ufeff", "\ufffd", "\u200b", "a\u0301", "關(guān)于", "(kāi)", "開", "發", "萬",
    "亿", "〇", "零", "两", "半", "余", "多", "数", "几", "十", "百", "千", "0", "1", "9",
    "０", "９", ".", ",", "，", "。", "、", "；", ":", "：", "(", ")", "（", "）", "《", "》",
    "“", "”", "-", "/", "\\", "*", "+", "=", "😀", "𠀀", "Ａ", "ｚ", "ä", "ß", "Ω", "я", "ا",
    "ก", "한", "カ", "\x00", "\x0b", "\x85", "\u2028", "\u2029",
)
PINYIN = ("(guān)", "(yú)", "(kāi)", "(zhǎn)", "(chuàng)", "(jiàn)", "(guó)", "(jìn)",
          "(bào)", "(shí)", "(fā)", "(wéi)", "(lǜ)", "(nǚ)", "guān", "(Guān)")
_FULLWIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789%.,:;()-/"})
MUTATIONS = ("delete", "duplicate", "insert_pinyin", "insert_snippet", "fullwidth",
             "swap", "newline", "strip_newlines")


@lru_cache(maxsize=1)
def corpus_texts() -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora").glob("*.txt")))


def mutate(text: str, op: str, where: float, size: int, pick: int) -> str:
    """One mutation at relative position `where` (0..1); `size` and `pick` parametrize it."""
    if not text and op not in ("insert_snippet", "insert_pinyin"):
        return text
    i = min(len(text), int(where * len(text)))
    size = max(1, size)
    if op == "delete":
        return text[:i] + text[i + size:]
    if op == "duplicate":
        return text[:i] + text[i:i + size] * 2 + text[i + size:]
    if op == "insert_pinyin":   # romanization after a character, as in corpus 001
        return text[:i + 1] + PINYIN[pick % len(PINYIN)] + text[i + 1:]
    if op == "insert_snippet":
        return text[:i] + SNIPPETS[pick % len(SNIPPETS)] + text[i:]
    if op == "fullwidth":
        return text[:i] + text[i:i + size * 20].translate(_FULLWIDTH) + text[i + size * 20:]
    if op == "swap":
        j = min(len(text), i + size)
        return text[:i] + text[j:j + size] + text[i:j] + text[j + size:]
    if op == "newline":
        return text[:i] + "\n" * (1 + pick % 3) + text[i:]
    if op == "strip_newlines":
        return text[:i] + text[i:i + size * 50].replace("\n", "") + text[i + size * 50:]
    raise ValueError(op)


def corpus_slice(doc: int, start: float, length: int) -> str:
    texts = corpus_texts()
    text = texts[doc % len(texts)]
    i = int(start * len(text))
    return text[i:i + length]


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "policy_document.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _spans(node, path="$"):
    """(path, start, end, text-or-None) of every integer span in the output JSON."""
    if isinstance(node, dict):
        s, e = node.get("start"), node.get("end")
        if isinstance(s, int) and isinstance(e, int):
            yield path, s, e, node.get("text")
        for key, value in node.items():
            if key == "sentence" and isinstance(value, list) and len(value) == 2:
                yield f"{path}.sentence", value[0], value[1], None
            elif key != "value":          # time values hold ISO strings in start/end
                yield from _spans(value, f"{path}.{key}")
    elif isinstance(node, list):
        for k, value in enumerate(node):
            yield from _spans(value, f"{path}[{k}]")


def check_extract(text: str) -> int:
    """Run extract() and assert every property; returns the number of mentions."""
    from policy_extract import extract

    doc = extract(text)
    data = json.loads(doc.model_dump_json(exclude_none=True))
    for path, s, e, span_text in _spans(data):
        assert 0 <= s <= e <= len(text), f"{path}: [{s}, {e}) outside text of {len(text)}"
        if span_text is not None:
            assert text[s:e] == span_text, f"{path}: text[{s}:{e}]={text[s:e]!r} != {span_text!r}"
    prev_end = 0
    for m in doc.mentions:
        assert m.start < m.end, f"empty mention {m.type} at {m.start}"
        assert m.start >= prev_end, f"mention {m.type} [{m.start},{m.end}) overlaps or is unsorted"
        prev_end = m.end
        assert m.line == text.count("\n", 0, m.start) + 1, f"mention {m.type}: line {m.line}"
        v = m.value
        if v is not None and getattr(v, "min", None) is not None and getattr(v, "max", None) is not None:
            assert v.min <= v.max, f"mention {m.type} {m.text!r}: min {v.min} > max {v.max}"
    # The schema last: a schema failure must not hide the span checks above.
    error = next(iter(_validator().iter_errors(data)), None)
    assert error is None, f"schema: {error.message} at {list(error.absolute_path)}"
    return len(doc.mentions)


def check_read(data: bytes) -> str | None:
    """read() gives a ReadResult or an InputError; the text then passes check_extract."""
    from policy_extract.errors import InputError
    from policy_extract.readers import read

    try:
        result = read(data)
    except InputError as exc:
        assert exc.message and "\n" not in exc.message, f"bad message {exc.message!r}"
        return None
    assert result.reader in ("text", "html", "docx", "pdf")
    for s, e, _ in result.source_map:
        assert 0 <= s <= e <= len(result.text)
    check_extract(result.text)
    return result.text


@lru_cache(maxsize=1)
def container_seeds() -> tuple[bytes, ...]:
    """Small real containers to mutate: DOCX, PDF, HTML, GB18030 and UTF-16 text."""
    from html import escape

    text = corpus_texts()[0][:1500]
    seeds = [text.encode("gb18030"), text.encode("utf-16"),
             ("<html><head><meta charset='utf-8'><script>x()</script></head><body><div id='zoom'>"
              + "".join(f"<p>{escape(t)}</p>" for t in text.split("\n")[:20])
              + "<table><tr><td>1</td><td>市财政局</td></tr></table></div></body></html>").encode()]
    try:
        import docx

        d = docx.Document()
        for line in text.split("\n")[:15]:
            d.add_paragraph(line)
        t = d.add_table(rows=1, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "序号", "任务"
        buf = io.BytesIO()
        d.save(buf)
        seeds.append(buf.getvalue())
    except ImportError:
        pass
    try:
        import pymupdf

        pdf = pymupdf.open()
        page = pdf.new_page()
        page.insert_textbox(pymupdf.Rect(72, 72, 520, 770), text[:600], fontname="china-s", fontsize=10)
        seeds.append(pdf.tobytes())
    except ImportError:
        pass
    return tuple(seeds)


def mutate_bytes(data: bytes, op: int, where: float, size: int, byte: int) -> bytes:
    """Byte-level damage: truncate, flip, insert, delete, duplicate a block."""
    i = min(len(data), int(where * len(data)))
    size = max(1, size)
    op %= 5
    if op == 0:
        return data[:i]
    if op == 1:
        return data[:i] + bytes([byte & 0xFF]) * size + data[i + size:]
    if op == 2:
        return data[:i] + bytes([byte & 0xFF]) * size + data[i:]
    if op == 3:
        return data[:i] + data[i + size:]
    return data[:i] + data[i:i + size] * 2 + data[i + size:]
