"""Reference dates of documents and of the reports in a compilation."""
import datetime as dt

import pytest

from policy_extract.parts import split_parts
from policy_extract.pipeline import Context
from policy_extract.refdate import document_date

from conftest import corpus_text


def reference(text, given=None):
    return Context(text, given).reference


def test_given_date_wins_but_reports_keep_their_own_years_001():
    text = corpus_text("001")
    ref, source, parts, ranges = reference(text, dt.date(2003, 3, 1))
    assert (ref, source) == (dt.date(2003, 3, 1), "given")
    assert [text[p.start:p.start + 3] for p in parts] == ["第一篇", "第二篇", "第三篇", "第四篇", "第五篇"]
    assert [p.reference_date for p in parts] == [
        "2003-03-01",  # consistent with the given date (years 2001-2003, 去年 = 2002)
        "2009-01-01",  # states 2007至2008 and 2009, nothing relative
        "2012-01-01",  # latest year 2011 reported as 去年, 预计今年 → 2012
        "2003-03-01",  # no year: the document date
        "2021-01-01",  # title 关于2021开展…
    ]
    assert parts[0].title == "第一篇:关于开展创建全国科技进步先进城市情况汇报"
    assert parts[1].title == "第二篇:晋城市第五次荣获2007至2008全国科技进步考核先进城市"
    assert parts[-1].end == len(text)
    assert [r[0] for r in ranges] == sorted(r[0] for r in ranges)
    assert ranges[2][2] == dt.date(2012, 1, 1)


def test_compilation_without_given_date_003():
    text = corpus_text("003")
    ref, source, parts, _ = reference(text)
    assert (ref, source) == (dt.date(2022, 5, 11), "document")  # 时间:2022-05-11 08:38:03
    titles = [p.title for p in parts]
    assert titles[0] == "第1篇" and titles[-1] == "第10篇"
    # 第8篇 opens with 【…总结1】 (one report), then 【…总结2】 is a report of its own
    assert "第8篇 【开展2017年科技活动周工作总结1】" in titles
    assert "【开展2017年科技活动周工作总结2】" in titles
    assert len(parts) == 11
    by_title = {p.title: p.reference_date for p in parts}
    assert by_title["第3篇"] == "2019-01-01"   # 2019年公司…, 今年7月10日 (same year)
    assert by_title["第4篇"] == "2011-01-01"   # 2011年上半年…
    assert by_title["【开展2017年科技活动周工作总结2】"] == "2017-01-01"
    assert by_title["第1篇"] == "2022-05-11"   # only a planned 2021 and document numbers
    assert by_title["第9篇"] == "2015-01-01"   # 到2016年底/到2020年 are goals, not its time
    assert by_title["第10篇"] == "2004-01-01"  # 需跨2005年度完成 is ahead of it


@pytest.mark.parametrize("text,expected", [
    ("标题\n时间:2022-05-11 08:38:03\n正文", dt.date(2022, 5, 11)),
    ("标题\n印发日期:2019年3月5日\n正文", dt.date(2019, 3, 5)),
    ("正文。\n\n某某市人民政府\n二〇一八年三月十五日\n", dt.date(2018, 3, 15)),
    ("正文很长的一段。\n2018-03-15\n", dt.date(2018, 3, 15)),
    ("本报聊城3月28日讯(记者 杨淑君) 3月28日,召开会议。", None),
    ("会议指出," + "要求各地加强工作," * 5 + "2002年9月30日常委会审议批准了规划。", None),
])
def test_document_date(text, expected):
    assert document_date(text) == expected


def test_no_date_anywhere():
    ref, source, parts, ranges = reference("今年要完成三项任务。")
    assert (ref, source, parts, ranges) == (None, "none", [], [])


def test_split_parts_needs_two_headings():
    assert split_parts("第一篇 总论\n正文\n第二节\n") == []
    two = split_parts("前言\n第一部分\n甲\n第二部分\n乙\n")
    assert [p.title for p in two] == ["第一部分", "第二部分"]
    assert two[0].start == 3 and two[1].end == len("前言\n第一部分\n甲\n第二部分\n乙\n")


def test_indented_headings_open_their_line():
    """A heading after blanks opens the part at its line start; the previous part ends
    there. 第 inside a line or after other text opens nothing."""
    text = "前言\n  第一篇 总论\n甲,第二篇在句中\n\t第二篇:分论\n乙\n  【开展科技活动总结 2\n】\n丙"
    parts = split_parts(text)
    starts = [text.index("  第一篇"), text.index("\t第二篇"), text.index("  【")]
    assert [p.start for p in parts] == [s + len(text[s:]) - len(text[s:].lstrip(" \t"))
                                        for s in starts]
    assert [p.end for p in parts] == starts[1:] + [len(text)]
    assert [p.title for p in parts] == ["第一篇 总论", "第二篇:分论", "【开展科技活动总结 2\n】"]


def test_report_year_vote():
    """A report naming 2011 as done and 去年 speaks from 2012; one naming 2019 and using
    今年 for a past event speaks from 2019."""
    text = ("第一篇:甲\n2011年全市专利申请量3368件,去年新增31家,预计今年实现翻番。\n"
            "第二篇:乙\n2019年公司投入5000万元,特别是在今年7月10日防洪救灾中。\n")
    ref, _, parts, ranges = reference(text, dt.date(2022, 5, 1))
    assert [p.reference_date for p in parts] == ["2012-01-01", "2019-01-01"]
    ctx = Context(text, dt.date(2022, 5, 1))
    k = text.index("今年实现")
    assert ctx.ref_date_at(k) == dt.date(2012, 1, 1)
    assert ctx.ref_date_at(0) == dt.date(2012, 1, 1)


def test_sections_of_one_document_keep_its_date():
    """第N部分 sections are not separate reports: a history section keeps the date."""
    text = ("第一部分 发展基础\n2015年以来,全市经济快速发展,去年增长8%。\n"
            "第二部分 主要任务\n今年要完成三项任务。\n")
    ref, _, parts, _ = reference(text, dt.date(2020, 3, 1))
    assert [p.reference_date for p in parts] == ["2020-03-01", "2020-03-01"]
