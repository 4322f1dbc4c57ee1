"""Outline: heading trees, run-on and restarting numbering, parts, ordinal words."""
from conftest import corpus_text
from policy_extract import extract
from policy_extract.outline import build_outline, cn_number, task_id
from policy_extract.pipeline import Context


def outline_of(text):
    ctx = Context(text, None)
    return ctx, build_outline(ctx)


def test_cn_numbers():
    assert [cn_number(s) for s in ("一", "十", "十五", "二十一", "(三)", "15", "第1篇", "③", "其次")] == \
        [1, 10, 15, 21, 3, 15, 1, 3, 2]


def test_002_run_on_numbering_across_groups():
    text = corpus_text("002")
    ctx, o = outline_of(text)
    assert o.run_on == {"arabic"}
    assert [r.number for r in o.roots] == ["一", "三", "四"]
    one = o.roots[0]
    assert [c.number for c in one.children][:7] == ["1", "2", "11", "12", "13", "14", "(三)"]
    g3 = one.children[6]
    assert [c.number for c in g3.children] == ["15", "16", "17"]
    h15 = g3.children[0]
    assert h15.path == "一.(三).15" and task_id(h15, o) == "15"
    # items 1..51 end up at the same level whatever group they sit in
    items = [h for h in o.headings if h.style == "arabic"]
    assert [h.value for h in items] == [1, 2] + list(range(11, 52))
    assert o.title == "中共潍坊市委 潍坊市人民政府“重点工作攻坚年”实施方案"


def test_002_sections_in_original_offsets():
    text = corpus_text("002")
    doc = extract(text, reference_date="2020-03-25")
    one = doc.sections[0]
    assert (one.id, one.number, one.title, one.level, one.line) == ("一", "一", "突出思想解放", 1, 2)
    assert text[one.start:one.start + 2] == "一、"
    g3 = next(c for c in one.children if c.number == "(三)")
    assert g3.title == "“三個模式”創新提升攻堅戰" and g3.line == 10
    s15 = g3.children[0]
    assert s15.id == "一.(三).15" and s15.line == 11 and s15.level == 3
    assert text[s15.start:s15.start + 3] == "15."
    assert s15.end == g3.children[1].start
    assert s15.title == "著力打造鄉村振興齊魯樣板先行區"


def test_001_compilation_becomes_parts():
    text = corpus_text("001")
    ctx, o = outline_of(text)
    parts = o.roots
    assert [p.number for p in parts] == ["第一篇", "第二篇", "第三篇", "第四篇", "第五篇"]
    assert all(p.style == "part" and p.level == 1 for p in parts)
    assert parts[0].title == "关于开展创建全国科技进步先进城市情况汇报"
    assert [c.number for c in parts[0].children] == ["一", "二", "三"]
    plan = parts[0].children[2]
    assert plan.title == "存在问题与下阶段的工作计划"
    assert [c.number for c in plan.children] == ["1", "2", "3", "4"]
    # inline 一是…八是 under 一、
    assert [c.number for c in parts[0].children[0].children] == list("一二三四五六七八")
    # numbering restarts in every part: 一、 of part 5 is not a child of part 4
    assert [c.number for c in parts[4].children] == list("一二三四五六七")


def test_003_parts_and_articles():
    text = corpus_text("003")
    ctx, o = outline_of(text)
    assert [p.number for p in o.roots] == [f"第{i}篇" for i in range(1, 11)]
    p5 = o.roots[4]
    arts = [c for c in p5.children if c.style == "article"]
    assert [a.number for a in arts][:3] == ["第一条", "第二条", "第三条"]
    # 第二章 opens a chapter: the articles after it nest under it, and the items of an
    # article (第六条…:一、…) under the article
    ch2 = next(c for c in p5.children if c.number == "第二章")
    assert ch2.title == "认定与管理"
    art6 = next(c for c in ch2.children if c.number == "第六条")
    assert art6.path == "第5篇.第二章.第六条"
    assert [c.number for c in art6.children] == list("一二三四五六七八")


def test_traditional_script_restarting_numbering():
    text = ("一、總體要求\n（一）工作目標\n1.加強組織領導。年底前完成。\n2.健全工作機制。\n"
            "（二）保障措施\n1.強化資金保障。\n2.加強督查考核。\n")
    ctx, o = outline_of(text)
    (one,) = o.roots
    assert [c.number for c in one.children] == ["(一)", "(二)"]
    second = one.children[1].children[0]
    assert second.path == "一.(二).1"
    assert task_id(second, o) == "一.(二).1"  # numbering restarts: the path names it
    doc = extract(text, reference_date="2020-01-01")
    s = doc.sections[0].children[1]
    assert (s.id, s.number, s.title, s.line) == ("一.(二)", "(二)", "保障措施", 5)
    assert text[s.start:s.start + 3] == "（二）"


def test_004_ordinal_words_and_inline_items():
    text = corpus_text("004")
    ctx, o = outline_of(text)
    heads = [(h.path, task_id(h, o), h.title) for h in o.headings]
    assert heads == [
        ("首先", "首先", "制定落实稳固脱贫不返贫计划"),
        ("其次", "其次", "抓好产业扶贫工程"),
        ("其次.一", "其次.一", "巩固原有扶贫产业"),
        ("其次.二", "其次.二", "提早谋划新扶贫产业"),
        ("第三", "第三", "推进行业扶贫进度,推进实施教育、医疗精准扶贫行动"),
    ]
    # 第三 ends where the next news item's headline begins
    last = o.headings[-1]
    assert ctx.text[last.end:last.end + 12] == "莘县河店镇结对帮扶显真情"


def test_stray_inline_item_is_no_list():
    ctx, o = outline_of("一、总体要求\n坚持问题导向,统筹推进。一是方向明确,但力量分散。\n")
    assert [h.number for h in o.headings] == ["一"]


def _outline_after_mentions(text, ref=None):
    """The outline built inside a real run (mentions resolved)."""
    from policy_extract import pipeline

    seen = {}

    def grab(ctx, document):
        seen["o"] = build_outline(ctx)

    pipeline._LINKERS["grab_outline"] = grab
    try:
        pipeline.run(text, ref, "-", linkers=("grab_outline",))
    finally:
        del pipeline._LINKERS["grab_outline"]
    return seen["o"]


def test_metadata_title_issuers_number_and_date():
    text = ("聊城市人民政府办公室关于印发聊城市科技创新平台补助实施细则的通知\n"
            "聊政办发〔2018〕12号\n"
            "各县(市、区)人民政府,市政府各部门:\n现将《细则》印发给你们,请认真贯彻执行。\n"
            "聊城市人民政府办公室\n2018年3月20日\n")
    o = _outline_after_mentions(text)
    assert o.title == "聊城市人民政府办公室关于印发聊城市科技创新平台补助实施细则的通知"
    assert o.doc_number == "聊政办发〔2018〕12号"
    assert o.issue_date == "2018-03-20"
    assert [m.text for m in o.issuers] == ["聊城市人民政府办公室"]
    # no org in the title: the signature names the issuer
    o = _outline_after_mentions("关于做好春耕生产工作的通知\n各乡镇:\n请抓好落实。\n\n县农业农村局\n2020年3月1日\n")
    assert [m.text for m in o.issuers] == ["县农业农村局"] and o.issue_date == "2020-03-01"


def test_document_info_from_a_red_header_notice():
    from policy_extract import extract

    text = ("聊城市人民政府文件\n聊政发〔2020〕12号\n关于印发某某办法的通知\n各县(市、区)人民政府:\n"
            "现将《办法》(鲁发〔2017〕26号)印发给你们。\n聊城市人民政府\n2020年3月5日")
    info = extract(text).info
    assert info.title.text == "关于印发某某办法的通知"
    assert text[info.title.start:info.title.end] == info.title.text
    assert info.doc_number == "聊政发〔2020〕12号"  # not the one cited in the body
    assert [s.text for s in info.issuers] == ["聊城市人民政府"]
    assert info.issue_date == "2020-03-05"


def test_mention_index_orders_by_start_and_answers_ranges():
    from types import SimpleNamespace

    from policy_extract.outline import MentionIndex

    # mentions handed over out of text order are sorted (stably) by their start
    ctx = SimpleNamespace(mention_norm=[(10, 14), (0, 3), (5, 9), (20, 30)],
                          mentions=["c", "a", "b", "d"])
    index = MentionIndex(ctx)
    assert index.items == ["a", "b", "c", "d"]
    assert index.starts == [0, 5, 10, 20]
    # within: mentions wholly inside [lo, hi)
    assert list(index.within(4, 14)) == [1, 2]
    assert list(index.within(4, 13)) == [1]
    assert list(index.within(21, 40)) == []
    in_order = MentionIndex(SimpleNamespace(mention_norm=[(0, 3), (5, 9)], mentions=["a", "b"]))
    assert in_order.items == ["a", "b"] and list(in_order.within(0, 9)) == [0, 1]


def test_headline_lines_end_sections():
    # a short unpunctuated line ends the section before it, with blanks around it or
    # as the last line; a long line or one with a comma does not
    heads = "一、总体要求\n全面推进各项工作。\n"
    for line, cut in (("  新闻标题在此  \n正文。", True), ("新闻标题", True),
                      ("这一行很长" * 7 + "\n正文。", False), ("标题,带逗号\n正文。", False),
                      ("标题" + " " * 40 + "\n正文。", True)):
        ctx, o = outline_of(heads + line)
        end = o.headings[0].end
        assert (end < len(ctx.text) and ctx.text[end:].startswith(line.strip()[:4])) == cut, line
        assert end == (len(heads) + len(line) - len(line.lstrip()) if cut else len(ctx.text))


def test_task_ids_of_a_long_plan_restart_per_parent():
    """Items numbered from 1 under each of many parents are named by their path; an
    item list under one parent only keeps its own number (the memo of which parents
    start a run must tell the two apart)."""
    cn = "一二三四五六七八九十"
    parts = ["2024年工作计划\n"]
    for i in range(1, 11):
        parts.append(f"{cn[i - 1]}、推进第{i}项工作\n")
        parts += [f"{j}.建设项目{j}个。\n" for j in range(1, 4)]
    _, o = outline_of("".join(parts))
    ids = [task_id(h, o) for h in o.headings if h.style == "arabic"]
    assert ids[:4] == ["一.1", "一.2", "一.3", "二.1"] and ids[-1] == "十.3"
    _, o = outline_of("工作计划\n一、推进工作\n1.建设项目。\n2.完成验收。\n二、保障措施\n加强领导。\n")
    assert [task_id(h, o) for h in o.headings if h.style == "arabic"] == ["1", "2"]
