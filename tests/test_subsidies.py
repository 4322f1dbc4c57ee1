"""Subsidy standards: recipients, distributive pairing, modes, caps, conditions."""
import pytest
from conftest import corpus_text, gold
from policy_extract import extract


def name(s):
    return s.recipient_name or (s.recipient.text if s.recipient else None)


def recs(doc):
    return [(name(s), s.amount.text, s.mode) for s in doc.subsidies]


def test_000_every_standard_against_the_text():
    text = corpus_text("000")
    doc = extract(text, reference_date="2018-03-28")
    g = gold("000")["subsidies"]
    assert len(doc.subsidies) == len(g) == 6
    for s, gs in zip(doc.subsidies, g):
        assert text[s.amount.start:s.amount.end] == s.amount.text == gs["amount"]
        assert (s.amount.start, s.amount.end) == (gs["amount_start"], gs["amount_end"])
        assert s.line == gs["line"]
        assert name(s) == gs["recipient"]
        assert text[s.recipient.start:s.recipient.end] == s.recipient.text
        assert s.value.max == gs["value"]["max"] and s.mode == gs["mode"]
    first, second, third = doc.subsidies[:3]
    # "国家级和省级…分别给予200万元、50万元": one recipient each, composed from the list
    assert first.recipient == second.recipient
    assert first.recipient.text.startswith("国家级和省级重点实验室")
    assert first.conditions == "符合资助条件"
    assert first.section == "一.第四条.(一)"
    # "给予最高不超过30万元的一次性补助": a cap
    assert third.cap is not None and third.cap.max == 300000 and first.cap is None
    # plain recipients are original text at their place
    r = doc.subsidies[3].recipient
    assert text[r.start:r.end] == "国家级技能大师工作室"


def test_001_distributive_old_and_new_amounts():
    text = corpus_text("001")
    doc = extract(text, reference_date="2003-03-01")
    assert [(r[1], r[2]) for r in recs(doc)] == [
        ("2萬(wàn)元", None), ("1萬(wàn)元", None), ("0.5萬(wàn)元", None),
        ("8萬(wàn)元", None), ("5萬(wàn)元", None), ("3萬(wàn)元", None)]
    names = [r[0] for r in recs(doc)]
    assert names == ["市科學(xué)技術(shù)獎一等獎", "市科學(xué)技術(shù)獎二等獎",
                     "市科學(xué)技術(shù)獎三等獎"] * 2
    # 發放資金250萬元 (money paid at a ceremony) and 獲得…資助資金 are no standards
    assert all("250" not in s.amount.text and "10739" not in s.amount.text for s in doc.subsidies)


def test_no_standards_in_work_plans():
    assert extract(corpus_text("002"), reference_date="2020-03-25").subsidies == []
    assert extract(corpus_text("004"), reference_date="2018-03-15").subsidies == []


TEXT = ("第十条 对新认定的国家级、省级众创空间，分别给予100万元、30万元一次性奖励。\n"
        "第十一条 对引进的高层次人才，每月发放生活补贴3000元，连续发放3年；"
        "购房的，给予最高不超过50万元的购房补贴。\n"
        "第十二条 企业申请的发明专利每件资助800元。\n"
        "第十三条 项目总投资5亿元，去年共发放奖励资金250万元，获得上级补助资金1200万元。\n")


def test_modes_caps_conditions_and_non_standards():
    doc = extract(TEXT, reference_date="2020-03-25")
    assert recs(doc) == [
        ("国家级众创空间", "100万元", "one_time"),
        ("省级众创空间", "30万元", "one_time"),
        ("高层次人才", "3000元", "per_month"),
        ("高层次人才", "50万元", None),
        ("发明专利", "800元", "per_item"),
    ]
    s = doc.subsidies
    assert [x.conditions for x in s] == ["新认定", "新认定", "引进", "引进;购房", "企业申请"]
    assert s[3].cap.max == 500000 and s[2].cap is None
    assert [x.section for x in s] == ["第十条", "第十条", "第十一条", "第十一条", "第十二条"]
    assert TEXT[s[2].recipient.start:s[2].recipient.end] == "高层次人才"


def test_labels_in_the_amount_clause_and_reckoned_standards():
    text = ("第五条 对企业购置研发设备的，按设备投资额的10%给予补助，最高不超过100万元。\n"
            "第六条 市科技进步奖奖励标准为：一等奖5万元，二等奖3万元，三等奖1万元。\n"
            "第七条 对新引进的博士研究生，每人每月发放生活补贴2000元。\n")
    d = extract(text, reference_date="2020-03-25")
    assert recs(d) == [("企业购置研发设备", "100万元", None), ("一等奖", "5万元", None),
                       ("二等奖", "3万元", None), ("三等奖", "1万元", None),
                       ("博士研究生", "2000元", "per_month")]
    assert d.subsidies[0].cap.max == 1_000_000
    assert d.subsidies[4].conditions == "新引进"
    for s in d.subsidies:
        assert text[s.recipient.start:s.recipient.end] == s.recipient.text
        assert text[s.amount.start:s.amount.end] == s.amount.text


def test_mode_stated_by_the_heading():
    text = "第三条 新认定平台一次性补助标准：\n（一）国家级技能大师工作室，补助20万元；\n（二）省级技能大师工作室，补助10万元。\n"
    d = extract(text, reference_date="2020-03-25")
    assert recs(d) == [("国家级技能大师工作室", "20万元", "one_time"), ("省级技能大师工作室", "10万元", "one_time")]
    assert [s.section for s in d.subsidies] == ["第三条.(一)", "第三条.(二)"]


def test_budgets_are_no_standards():
    text = "第八条 市财政每年安排奖励资金总额不超过1000万元。对获评省级示范的企业，给予一次性奖励20万元。\n"
    d = extract(text, reference_date="2020-03-25")
    assert recs(d) == [("企业", "20万元", "one_time")]
    assert d.subsidies[0].conditions == "获评省级示范"


def test_mode_is_the_first_mode_word_longest_at_a_tie():
    """_mode's one alternation search against the definition: of every mode word's first
    occurrence the leftmost, the longest (then first listed) where several start there."""
    from policy_extract.linking import subsidies as S
    from policy_extract.pipeline import Context

    c = S.load_yaml("subsidy/subsidy.yaml")
    modes = sorted(((w, mode) for mode, words in c["modes"].items() for w in words),
                   key=lambda p: -len(p[0]))

    def by_words(text, lo, hi):
        found = [(text.find(w, lo, hi), i) for i, (w, _) in enumerate(modes)
                 if 0 <= text.find(w, lo, hi) <= hi - len(w)]
        return modes[min(found)[1]][1] if found else None

    text = Context(corpus_text("002"), None).text
    windows = [(lo, lo + n) for lo in range(0, len(text), 7) for n in (3, 40)]
    got = [S._mode(text, lo, hi) for lo, hi in windows]
    assert got == [by_words(text, lo, hi) for lo, hi in windows]
    assert any(got)


@pytest.mark.parametrize("payer", ["由市财政", "由县财政", "区财政", "财政", "由省财政"])
def test_the_payer_at_the_end_of_a_recipient_phrase_is_no_part_of_it(payer):
    text = "对新认定的高新技术企业，%s给予20万元一次性奖励。" % payer
    subs = extract(text).subsidies
    assert [(s.recipient.text, s.mode) for s in subs] == [("高新技术企业", "one_time")]
    assert subs[0].value.min == 200000
