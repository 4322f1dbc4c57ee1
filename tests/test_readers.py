"""Readers on fixtures the tests build from corpus text: every encoding, HTML, DOCX and
PDF gives back the corpus text (exactly, or up to layout whitespace) and the same
mentions as the plain-text file, with offsets into the extracted text."""
import functools
import io
import json
import time

import pytest
import regex

from policy_extract import extract
from policy_extract.readers import read
from policy_extract.readers.text import decode

from conftest import corpus_text

SIMPLIFIED = ("000", "004")
WS = regex.compile(r"\s+")


def mention_keys(doc, text):
    """(type, value, text without whitespace) per mention; offsets must index `text`."""
    keys = []
    for m in doc.mentions:
        assert text[m.start:m.end] == m.text
        keys.append((m.type, json.dumps(m.value.model_dump() if m.value else None,
                                        sort_keys=True), WS.sub("", m.text)))
    return keys


def same_mentions(extracted: str, original: str):
    expected = mention_keys(extract(original), original)
    assert expected, "the plain text gives no mentions: nothing compared"
    assert mention_keys(extract(extracted), extracted) == expected


def paragraphs(text):
    return [line.strip() for line in text.split("\n") if line.strip()]


# --- fixture builders (used by test_hostile too) ------------------------------------

def make_docx(lines, table=None) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_pdf(text, fontname="china-s", size=11.0, header="潍坊市人民政府文件") -> bytes:
    """Wraps each line at the right margin like a word processor, first lines indented by
    two characters (Chinese paragraphs are); running header and page number on every page."""
    import pymupdf

    width = functools.lru_cache(None)(
        lambda ch: pymupdf.get_text_length(ch, fontname=fontname, fontsize=size))
    left, right, top, bottom = 72, 523, 80, 770
    doc = pymupdf.open()
    state = {"page": None, "y": bottom + 1}

    def put(line, indent):
        if state["y"] > bottom:
            page = state["page"] = doc.new_page(width=595, height=842)
            page.insert_text((200, 40), header, fontname=fontname, fontsize=9)
            page.insert_text((280, 815), f"— {doc.page_count} —", fontname=fontname, fontsize=9)
            state["y"] = top
        if line.strip():
            state["page"].insert_text((left + indent, state["y"]), line, fontname=fontname,
                                      fontsize=size)
        state["y"] += size * 1.6

    for para in text.split("\n"):
        line, w, indent = "", 2 * size, 2 * size
        for ch in para:
            if w + width(ch) > right - left and line:
                put(line, indent)
                line, w, indent = "", 0.0, 0.0
            line += ch
            w += width(ch)
        put(line, indent)
    return doc.tobytes()


PORTAL = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>潍坊市人民政府 政务公开</title><style>.nav {{ color: red }} p {{ margin: 0 }}</style>
<script type="text/javascript">var s = "<p>脚本里的文字不是正文</p>"; document.write(s);</script>
</head><body>
<div class="topbar"><a href="/">网站首页</a> | <a href="/en">English</a> | 无障碍浏览</div>
<div id="nav"><ul><li><a href="/zwgk">政务公开</a></li><li><a href="/bsfw">办事服务</a></li>
<li><a href="/hdjl">互动交流，市长信箱，网上调查，在线访谈</a></li></ul></div>
<div class="main"><div class="left"><h3>相关链接</h3><ul><li><a href="/1">国务院办公厅关于加强政务公开工作的通知</a></li></ul></div>
<div class="article"><div class="info">来源：市政府办公室&nbsp;&nbsp;发布时间：2020-03-25</div>
<div id="zoom" class="TRS_Editor">{body}</div></div></div>
<div class="footer">主办：潍坊市人民政府办公室 版权所有 地址：潍坊市 电话：0536-0000000</div>
</body></html>"""


def make_html(text, charset="utf-8") -> str:
    from html import escape

    return PORTAL.format(charset=charset, body="\n".join(
        f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip()))


# --- plain text: encodings ----------------------------------------------------------

@pytest.mark.parametrize("name", SIMPLIFIED)
@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16-le"),
    ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("gb18030", "gb18030"),
    ("utf-32", "utf-32-le")])
def test_encodings_of_simplified_documents_decode_exactly(name, encoding, expected):
    original = corpus_text(name)
    result = read(original.encode(encoding))
    assert (result.reader, result.encoding, result.text) == ("text", expected, original)
    assert not [w for w in result.warnings if "unsure" in w]


def test_gbk_and_gb2312_bytes_read_as_gb18030():
    original = "市财政局给予最高不超过30万元的一次性补助，各区县人民政府要认真贯彻落实。"
    for codec in ("gbk", "gb2312"):
        result = read(original.encode(codec))
        assert (result.encoding, result.text, result.warnings) == ("gb18030", original, [])


def test_traditional_document_in_big5_decodes_exactly():
    original = corpus_text("002")       # holds 恒, which only cp950 (Windows Big5) encodes
    result = read(original.encode("cp950"))
    assert (result.encoding, result.text, result.warnings) == ("cp950", original, [])
    assert result.encoding_confidence > 0.8
    same_mentions(result.text, original)


def test_big5_codec_paragraph():
    paragraph = corpus_text("002").split("\n")[0]
    result = read(paragraph.encode("big5"))
    assert result.text == paragraph and result.encoding == "cp950"


def test_traditional_text_in_gb18030_is_not_mistaken_for_big5():
    original = corpus_text("002")
    assert read(original.encode("gb18030")).encoding == "gb18030"


def test_utf16_without_bom_says_how_it_was_found():
    result = read(corpus_text("000").encode("utf-16-le"))
    assert result.warnings == ["no byte-order mark: utf-16-le detected by its NUL bytes"]


def test_utf16_without_bom_or_ascii_is_found_by_scoring():
    original = "各区县人民政府，市政府各部门：现将《实施方案》印发给你们，请认真贯彻执行。" * 3
    for codec in ("utf-16-le", "utf-16-be"):
        result = read(original.encode(codec))
        assert (result.encoding, result.text, result.warnings) == (codec, original, [])


def test_short_legacy_input_is_reported_as_a_guess():
    result = read("通知".encode("gb18030"))
    assert result.text == "通知" and result.encoding == "gb18030"
    assert len(result.warnings) == 1 and result.warnings[0].startswith("encoding unsure: guessed gb18030")


def test_invalid_utf8_in_the_middle_is_replaced_and_located():
    original = corpus_text("000")
    data = original.encode("utf-8")
    cut = data.index("聊城召开".encode())          # a character boundary
    damaged = data[:cut] + b"\xff" + data[cut:]
    result = read(damaged)
    assert result.encoding == "utf-8"
    assert result.text == original[:len(data[:cut].decode())] + "\ufffd" + original[len(data[:cut].decode()):]
    assert result.warnings == [f"invalid utf-8 at byte offset {cut}: replaced with U+FFFD"]


def test_a_file_cut_inside_a_character_keeps_the_rest():
    data = corpus_text("000").encode("utf-8")
    result = read(data[:-1])   # ends inside a 3-byte character
    assert result.text.endswith("\ufffd") and "byte offset" in result.warnings[0]


def test_decoding_speed_of_legacy_encodings():
    data = (corpus_text("001") * 60).encode("gb18030")       # ~2 MB of text
    start = time.perf_counter()
    decoded = decode(data)
    elapsed = time.perf_counter() - start
    assert decoded.encoding == "gb18030" and elapsed < 2.0


# --- HTML ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, charset, codec", [
    ("000", "utf-8", "utf-8"), ("004", "gb2312", "gb18030"), ("002", "big5", "cp950")])
def test_portal_page_gives_the_article_body(name, charset, codec):
    original = corpus_text(name)
    # characters the charset lacks become character references, as browsers save them
    result = read(make_html(original, charset).encode(codec, "xmlcharrefreplace"))
    assert result.reader == "html"
    assert paragraphs(result.text) == paragraphs(original)
    for chrome in ("网站首页", "政务公开", "脚本", "版权所有", "相关链接", "国务院办公厅"):
        assert chrome not in result.text
    same_mentions(result.text, original)


def test_html_source_map_points_at_each_paragraph():
    markup = ("<html><body><div class='nav'><a href='/'>首页</a></div>\n<div id='zoom'>"
              "\n<p>第一段。</p>\n<p>第二段，市财政局给予补助。</p></div></body></html>")
    result = read(markup.encode("utf-8"))
    assert result.text == "第一段。\n第二段，市财政局给予补助。"
    source_lines = markup.split("\n")
    assert [(s, e) for s, e, _ in result.source_map] == [(0, 4), (5, 18)]
    for (_, _, where), needle in zip(result.source_map, ("<p>第一段", "<p>第二段")):
        tag, line_col = where.split("@")
        line, col = map(int, line_col.split(":"))
        assert tag == "p" and source_lines[line - 1][col - 1:].startswith(needle)


def test_html_layout_breaks_tables_and_entities():
    markup = ("<html><body><div id='content'><h1>关于印发方案的通知</h1>"
              "<p>第一行<br>第二行&nbsp;&amp;&#x4E09;&lt;</p>"
              "<p>市财政局\n给予补助</p><p>Open\nData</p>"
              "<table><tr><th>序号</th><th>任务</th><th>牵头单位</th></tr>"
              "<tr><td><p>1</p></td><td>建设项目</td><td>市发展改革委</td></tr></table>"
              "<div>最后<div>一段</div></div></div></body></html>")
    result = read(markup.encode("utf-8"))
    assert result.text == ("关于印发方案的通知\n第一行\n第二行 &三<\n市财政局给予补助\nOpen Data\n"
                           "序号\t任务\t牵头单位\n1\t建设项目\t市发展改革委\n最后\n一段")
    assert [w.split("@")[0] for *_, w in result.source_map] == [
        "h1", "p", "p", "p", "p", "tr", "tr", "div", "div"]


def test_html_with_a_template_latin1_declaration_is_detected():
    markup = make_html("市财政局给予最高不超过30万元的一次性补助，各区县人民政府要认真贯彻落实。", "iso-8859-1")
    result = read(markup.encode("gb18030"))
    assert result.encoding == "gb18030"
    assert result.warnings[0] == ("declared charset 'iso-8859-1' not trusted for non-ASCII bytes; "
                                  "detected gb18030")
    assert result.text.endswith("\n市财政局给予最高不超过30万元的一次性补助，各区县人民政府要认真贯彻落实。")


def test_html_suffix_with_no_markup_is_still_read(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes("<P>市财政局给予补助。".encode("gb18030"))
    result = read(path)
    assert (result.reader, result.text, result.encoding) == ("html", "市财政局给予补助。", "gb18030")


def test_html_with_a_wrong_charset_declaration_falls_back_to_detection():
    markup = make_html("市财政局给予最高不超过30万元的一次性补助，各区县人民政府要认真贯彻落实。", "utf-8")
    result = read(markup.encode("gb18030"))
    assert result.encoding == "gb18030"
    assert result.warnings[0] == "declared charset 'utf-8' does not fit the bytes; detected gb18030"
    assert result.text.endswith("\n市财政局给予最高不超过30万元的一次性补助，各区县人民政府要认真贯彻落实。")


# --- DOCX ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ("000", "002", "004"))
def test_docx_paragraphs_give_the_corpus_text(name):
    original = corpus_text(name)
    result = read(make_docx(original.split("\n")))
    assert result.reader == "docx" and result.encoding is None
    assert paragraphs(result.text) == paragraphs(original)
    same_mentions(result.text, original)


def test_docx_tables_in_reading_order_with_positions():
    data = make_docx(["一、工作任务", "具体分工如下：", "二、保障措施"], table=None)
    import docx

    document = docx.Document(io.BytesIO(data))
    table = document.add_table(rows=2, cols=3)
    for c, value in enumerate(("序号", "任务", "牵头单位")):
        table.cell(0, c).text = value
    table.cell(1, 0).text = "1"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "由市发展改革委负责"
    # move the table between paragraph 1 and 2: reading order follows the body XML
    document.paragraphs[1]._p.addnext(table._tbl)
    buf = io.BytesIO()
    document.save(buf)
    result = read(buf.getvalue())
    assert result.text == "一、工作任务\n具体分工如下：\n序号\t任务\t牵头单位\n1\t由市发展改革委负责\n二、保障措施"
    assert result.source_map == [(0, 6, "p[0]"), (7, 14, "p[1]"), (15, 25, "table[0]/row[0]"),
                                 (26, 37, "table[0]/row[1]"), (38, 44, "p[2]")]


def test_docx_nested_table_and_multi_paragraph_cells_stay_in_their_row():
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "补助标准"
    cell = table.cell(0, 1)
    cell.text = "第一款。"
    cell.add_paragraph("第二款。")
    inner = cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "国家级", "200万元"
    buf = io.BytesIO()
    document.save(buf)
    assert read(buf.getvalue()).text == "补助标准\t第一款。 第二款。 国家级 200万元"


# --- PDF ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, font", [("000", "china-s"), ("002", "china-t"), ("004", "china-s")])
def test_pdf_pages_rejoin_wrapped_lines_and_drop_running_heads(name, font):
    original = corpus_text(name)
    result = read(make_pdf(original, font))
    assert result.reader == "pdf"
    assert paragraphs(result.text) == paragraphs(original)   # wraps re-joined, heads gone
    assert "潍坊市人民政府文件" not in result.text and "— 2 —" not in result.text
    assert result.source_map[0][:2] == (0, len(paragraphs(original)[0]))
    assert result.source_map[-1][2] == f"page[{result.source_map[-1][2][5:-1]}]"
    same_mentions(result.text, original)


def test_pdf_single_page_keeps_a_top_line_that_is_not_repeated():
    result = read(make_pdf("关于印发实施方案的通知\n市财政局给予补助。", header="内部资料"))
    # one page: the header is not "repeated", but the page number still goes
    assert result.text == "内部资料\n关于印发实施方案的通知\n市财政局给予补助。"


GOV_PAGE = """<html><head><meta charset="utf-8"><title>国务院办公厅关于印发某某方案的通知</title></head>
<body><div class="header"><div class="logo">中国政府网</div><div class="nav"><a>首页</a><a>国务院</a><a>政策</a></div></div>
<table class="bd1"><tr><td><b>索引号：</b></td><td>000014349/2020-00045</td><td><b>主题分类：</b></td><td>综合政务</td></tr>
<tr><td><b>发文机关：</b></td><td>国务院办公厅</td><td><b>成文日期：</b></td><td>2020年03月20日</td></tr></table>
<div class="pages_content" id="UCAP-CONTENT">
<p style="text-align: center;"><strong>国务院办公厅关于印发某某方案的通知</strong></p>
<p style="text-align: center;">国办发〔2020〕6号</p>
<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>
<p style="text-indent: 2em;">《某某方案》已经国务院同意，现印发给你们，请认真贯彻执行。</p>
<p style="text-align: right;">国务院办公厅</p><p style="text-align: right;">2020年3月20日</p>
<p style="text-indent: 2em;">为贯彻落实党中央、国务院决策部署，到2020年底前完成各项任务，中央财政安排资金100亿元。</p>
</div>
<div class="share"><span>分享到：</span><a>微博</a><a>微信</a></div>
<div class="related"><h3>相关稿件</h3><ul><li><a>国务院办公厅关于进一步做好稳就业工作的意见</a></li></ul></div>
<div class="footer">版权所有：中国政府网 | 中文域名：中国政府网.政务</div></body></html>"""


def test_short_notice_on_a_portal_with_metadata_table_and_footer():
    """Prose decides: the metadata table, share bar and footer hold as many Han
    characters as this short notice, but no sentences."""
    result = read(GOV_PAGE.encode("utf-8"))
    assert result.text == (
        "国务院办公厅关于印发某某方案的通知\n国办发〔2020〕6号\n"
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
        "《某某方案》已经国务院同意，现印发给你们，请认真贯彻执行。\n国务院办公厅\n2020年3月20日\n"
        "为贯彻落实党中央、国务院决策部署，到2020年底前完成各项任务，中央财政安排资金100亿元。")


def test_cli_output_names_the_reader(tmp_path, capsys):
    from policy_extract.cli import main

    text = corpus_text("004")[:2000]
    files = {"a.docx": make_docx(text.split("\n")), "b.pdf": make_pdf(text),
             "c.html": make_html(text).encode("utf-8"), "d.txt": text.encode("gb18030")}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert main(["extract", *(str(tmp_path / n) for n in files)]) == 0
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(d["doc"], d["normalization"]["source"]["reader"], d["normalization"]["source"]["encoding"])
            for d in docs] == [("a.docx", "docx", None), ("b.pdf", "pdf", None),
                               ("c.html", "html", "utf-8"), ("d.txt", "text", "gb18030")]
    assert all(d["mentions"] for d in docs)
