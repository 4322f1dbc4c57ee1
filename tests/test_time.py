"""time mentions: spans and values on real corpus sentences and on hard cases."""
import datetime as dt
import time

import pytest

from policy_extract.pipeline import run

from conftest import corpus_text, gold

REF = dt.date(2020, 3, 25)


def times(text, ref=REF):
    doc = run(text, ref, extractors=("time",), linkers=())
    return [(m.text, m.value.model_dump(exclude_none=True)) for m in doc.mentions]


def spans(name, ref):
    doc = run(corpus_text(name), ref, extractors=("time",), linkers=())
    return {(m.start, m.end): m.value.model_dump(exclude_none=True) for m in doc.mentions}


@pytest.mark.parametrize("name", ["000", "001", "002", "004"])
def test_gold_time_mentions_exact(name):
    """Every gold time mention is found with its exact span and value, and nothing else."""
    g = gold(name)
    found = spans(name, dt.date.fromisoformat(g["reference_date"]))
    expected = {(m["start"], m["end"]): {k: x for k, x in m["value"].items() if x is not None}
                for m in g["mentions"] if m["type"] == "time"}
    assert found == expected


def test_deadlines_in_a_task_002():
    """Line 7 of 002: three deadlines resolved to the reference year 2020."""
    found = spans("002", dt.date(2020, 3, 25))
    assert found[(1248, 1252)] == {"kind": "before", "end": "2020-04-30"}
    assert found[(1270, 1275)] == {"kind": "before", "end": "2020-10-31"}
    assert found[(1282, 1285)] == {"kind": "before", "end": "2020-12-31"}


def test_compilation_resolves_relative_years_per_report_001():
    """Report 3 of 001 speaks from 2012 (it reports 2011 as 去年); report 4 states no
    year and keeps the document date (2003); report 5 takes 2021 from its title."""
    text = corpus_text("001")
    found = spans("001", dt.date(2003, 3, 1))
    assert text[11470:11472] == "今年"
    assert found[(11470, 11472)] == {"kind": "date", "start": "2012-01-01", "end": "2012-12-31"}
    assert found[(10226, 10229)] == {"kind": "date", "start": "2011-12-01", "end": "2011-12-31"}
    assert found[(11816, 11818)] == {"kind": "date", "start": "2003-01-01", "end": "2003-12-31"}
    assert found[(17041, 17046)] == {"kind": "after", "start": "2021-07-21"}


HARD = [
    ("本办法自2020年1月1日起施行,有效期至2022年12月31日。",
     [("自2020年1月1日起", {"kind": "after", "start": "2020-01-01"}),
      ("2022年12月31日", {"kind": "before", "end": "2022-12-31"})]),
    ("到2025年,全市高新技术企业达到500家。", [("2025年", {"kind": "before", "end": "2025-12-31"})]),
    ("截至2019年底,全市共有企业3000家。",
     [("2019年底", {"kind": "date", "start": "2019-12-01", "end": "2019-12-31"})]),
    ("申报时间为2020年4月1日至4月30日。",
     [("2020年4月1日至4月30日", {"kind": "date", "start": "2020-04-01", "end": "2020-04-30"})]),
    ("二〇二〇年三月二十五日", [("二〇二〇年三月二十五日",
                                {"kind": "date", "start": "2020-03-25", "end": "2020-03-25"})]),
    ("3-5月开展专项行动,6月起全面推开。",
     [("3-5月", {"kind": "date", "start": "2020-03-01", "end": "2020-05-31"}),
      ("6月起", {"kind": "after", "start": "2020-06-01"})]),
    ("今年一季度以来,经济运行稳定。", [("今年一季度以来", {"kind": "after", "start": "2020-01-01"})]),
    ("从2018年到2020年,累计投入。",
     [("2018年到2020年", {"kind": "date", "start": "2018-01-01", "end": "2020-12-31"})]),
    ("6月中下旬召开会议。", [("6月中下旬", {"kind": "date", "start": "2020-06-11", "end": "2020-06-30"})]),
    ("“十一五”以来,十四五期间将继续加大投入。",
     [("“十一五”以来", {"kind": "after", "start": "2006-01-01"}),
      ("十四五期间", {"kind": "date", "start": "2021-01-01", "end": "2025-12-31"})]),
    ("各地要在春节前完成排查,汛前完成检修。",
     [("春节前", {"kind": "before", "event": "春节"}), ("汛前", {"kind": "before", "event": "汛期"})]),
    ("每半年报送一次,每两年开展一次评估,两周一次。",
     [("每半年", {"kind": "recurring", "every": "P6M"}),
      ("每两年", {"kind": "recurring", "every": "P2Y"}),
      ("两周一次", {"kind": "recurring", "every": "P2W"})]),
    ("企业半年一次上报数据,半月一次也不行。",
     [("半年一次", {"kind": "recurring", "every": "P6M"})]),
    ("补贴期限最长不超过36个月,3日内答复。",
     [("36个月", {"kind": "duration", "duration": "P36M"}),
      ("3日内", {"kind": "duration", "duration": "P3D"})]),
    ("2020年内完成,今年内完成,完成年内目标。",
     [("2020年内", {"kind": "before", "end": "2020-12-31"}),
      ("今年内", {"kind": "before", "end": "2020-12-31"}),
      ("年内", {"kind": "before", "end": "2020-12-31"})]),
    ("自2020年1月1日起至2022年12月31日止。",
     [("2020年1月1日起至2022年12月31日", {"kind": "date", "start": "2020-01-01", "end": "2022-12-31"})]),
    ("供暖期为每年11月15日至次年3月15日,当年12月完成。",
     [("每年11月15日", {"kind": "recurring", "every": "P1Y"})]),
    ("今年前三季度,1至9月,全市GDP增长。",
     [("今年前三季度", {"kind": "date", "start": "2020-01-01", "end": "2020-09-30"}),
      ("1至9月", {"kind": "date", "start": "2020-01-01", "end": "2020-09-30"})]),
    ("1998年以来,2000年以后,90年代。",
     [("1998年以来", {"kind": "after", "start": "1998-01-01"}),
      ("2000年以后", {"kind": "after", "start": "2001-01-01"}),
      ("90年代", {"kind": "date", "start": "1990-01-01", "end": "1999-12-31"})]),
]


@pytest.mark.parametrize("text,expected", HARD)
def test_hard_cases(text, expected):
    assert times(text) == expected


@pytest.mark.parametrize("text", [
    "近年来,目前,今后,近日,及时,长期坚持。",
    "上年同期为10%,当年完成,本年度计划,次年起,上一年度。",
    "根据《聊城市教育局2018年全国文明城市创建工作实施方案》(聊发〔2017〕18号)。",
    "第十五条规定,三年行动计划,五年规划纲要,二十五规划。",
    "开设24小时便利店,资格审定前审核,培训结束后考试。",
    "青少年中开展活动,这一周期,一天天好起来,三天两头检查。",
    "2019年中国",  # only the year
])
def test_not_times(text):
    got = times(text)
    assert got == ([("2019年", {"kind": "date", "start": "2019-01-01", "end": "2019-12-31"})]
                   if text == "2019年中国" else [])


def test_recurring_cycle_word_beside_other_recurrences():
    """年终 listed with 月度/双月 recurs yearly; alone it is December of the year."""
    assert times("健全月度例会、双月考评和年终考评等机制。")[-1] == (
        "年终", {"kind": "recurring", "every": "P1Y"})
    assert times("纳入年终考核。") == [("年终", {"kind": "date", "start": "2020-12-01",
                                             "end": "2020-12-31"})]


def test_goal_prefix_depends_on_reference_date():
    """到/截至 + a date still ahead is a deadline; a date already past stays a date."""
    assert times("截至今年底完成。")[0][1] == {"kind": "before", "end": "2020-12-31"}
    assert times("截至去年底,共有企业。")[0][1]["kind"] == "date"


def test_without_reference_date_no_year_is_invented():
    assert times("今年4月底前完成,2019年已启动。", ref=None) == [
        ("今年4月底前", {"kind": "before"}),
        ("2019年", {"kind": "date", "start": "2019-01-01", "end": "2019-12-31"})]


def test_bare_day_needs_a_month_before_it():
    assert times("本报讯 25日,召开会议。") == []
    assert times("3月25日讯 25日,召开会议。")[1] == (
        "25日", {"kind": "date", "start": "2020-03-25", "end": "2020-03-25"})


def test_pathological_inputs_are_fast():
    for text in ("2" * 300_000, "一" * 300_000, "年" * 300_000, "每" * 300_000, "月" * 300_000,
                 "1-" * 100_000, "“十" * 100_000):
        t = time.perf_counter()
        times(text)
        assert time.perf_counter() - t < 5


def test_age_in_full_years_is_no_week_duration():
    from policy_extract import extract

    doc = extract("年满18周岁的居民两周内完成登记。", reference_date="2020-01-01")
    got = [(m.type, m.text) for m in doc.mentions]
    assert ("time", "18周") not in got
    assert ("time", "两周内") in got


def test_fast_scans_find_what_the_patterns_find():
    """The literal prefilters, the word finder and the one-character split are speed-only: on corpus text
    and on adjacent, overlapping triggers they give exactly the matches of one regex."""
    import regex

    from policy_extract.extractors import time as tm

    v = tm._vocab()
    texts = [corpus_text(d) for d in ("000", "001", "002", "003", "004")] + [
        "2019-2020-2021年", "2001—2002年度和2003/04/05", "1919-1920年, 2020 — 2021, 192019.3.4",
        "x2019-20-2021.01.02 1999~2000至2001",  "今日即日起新春伊始", "按季度月度双月考核", "按季度度按按月度季度双双月",
        "主汛期前后,汛前,春节之后,国庆以前"]
    checked = 0
    for rx in v.date_res + v.other_res:
        if isinstance(rx, (tm._Prefiltered, tm._AtWords)):
            whole = rx.rx
        elif isinstance(rx, tm._OneCharMerge):
            p = rx.parts[0].pattern
            # without the one-class first look, which must change nothing either
            bare = regex.sub(r"^\(\?<=\[[^\]]*\]\)", "", p)
            assert bare != p
            whole = regex.compile(bare[:-len("前)")] + "[前后])")
        else:
            continue
        checked += 1
        for t in texts:
            assert [(m.span(), m.groupdict()) for m in rx.finditer(t)] == \
                [(m.span(), m.groupdict()) for m in whole.finditer(t)]
    assert checked == 4
