"""amount extractor: gold sentences of the dev corpus and hard cases (exact offsets and values)."""
import pytest
from conftest import corpus_text, gold, mentions_of


DOCS = ("000", "001", "002", "004")


def _amounts(text, **kw):
    return mentions_of("amount", text, **kw)


@pytest.fixture(scope="module")
def predicted():
    out = {}
    for d in DOCS:
        g = gold(d)
        out[d] = _amounts(corpus_text(d), reference_date=g["reference_date"])
    return out


@pytest.mark.parametrize("doc", DOCS)
def test_gold_amounts_found_exactly(doc, predicted):
    want = [(m["text"], m["start"], m["end"], m["value"]) for m in gold(doc)["mentions"]
            if m["type"] == "amount"]
    got = {(t, s, e): v for t, s, e, v in predicted[doc]}
    for text, s, e, value in want:
        assert (text, s, e) in got, (doc, text, s)
        v = got[(text, s, e)]
        assert v["min"] == pytest.approx(value["min"]) and v["max"] == pytest.approx(value["max"])
        assert (v["currency"], v["qualifier"]) == (value["currency"], value["qualifier"]), text
    assert len(predicted[doc]) == len(want)


def test_lost_number_gives_no_mention():
    # 002 line 11: "全市減輕企業和社會負擔約億元" — the number was lost in publishing
    text = corpus_text("002")
    i = text.index("約億元")
    assert not [a for a in _amounts(text[i - 20:i + 10]) if "億元" in a[0]]


def test_bare_magnitude_after_comparison_word():
    text = corpus_text("001")
    i = text.index("上億元")
    got = _amounts(text[i - 5:i + 8])
    assert [(t, s) for t, s, _, _ in got] == [("億元", 6)]
    assert got[0][3]["min"] == 1e8 and got[0][3]["qualifier"] == "min"


@pytest.mark.parametrize("text,want", [
    ("给予10-20万元奖励", [("10-20万元", 2, 100000, 200000, "range")]),
    ("给予10至20万元奖励", [("10至20万元", 2, 100000, 200000, "range")]),
    ("销售收入5000余万元", [("5000余万元", 4, 5e7, 5e7, "min")]),
    ("经费支持2400多万元", [("2400多万元", 4, 2.4e7, 2.4e7, "min")]),
    ("给予最高不超过30万元的一次性补助", [("30万元", 7, 3e5, 3e5, "max")]),
    ("房租按8元/平方米/月收取", [("8元", 3, 8, 8, "exact")]),
    ("发明专利每件资助800元", [("800元", 8, 800, 800, "exact")]),
    ("分别给予200万元、50万元一次性补助", [("200万元", 4, 2e6, 2e6, "exact"),
                                         ("50万元", 10, 5e5, 5e5, "exact")]),
    ("签订了500万的贷款合同", [("500万", 3, 5e6, 5e6, "exact")]),
    ("每个项目补助500万,", [("500万", 6, 5e6, 5e6, "exact")]),
    ("每个项目资助10-20万,", [("10-20万", 6, 1e5, 2e5, "range")]),
    ("引进投资过百亿元项目", [("百亿元", 5, 1e10, 1e10, "min")]),
    ("总投资4.78万亿元", [("4.78万亿元", 3, 4.78e12, 4.78e12, "exact")]),
    ("壹佰伍拾元整", [("壹佰伍拾元", 0, 150, 150, "exact")]),
    ("出口额达3亿美元", [("3亿美元", 4, 3e8, 3e8, "exact")]),
    ("約億元的負擔", []),                  # lost number
    ("经济总量突破万亿元", [("万亿元", 6, 1e12, 1e12, "min")]),
    ("每万元GDP能耗", []),                 # 万元 as a unit of reference, no count
    ("城乡二元结构", []),
    ("人口500万,", []),                    # no money cue: 万 alone is not money
    ("补贴3万户", []),                     # a quantity, not money
])
def test_hard_cases(text, want):
    got = [(t, s, v["min"], v["max"], v["qualifier"]) for t, s, _, v in _amounts(text)]
    assert got == [(t, s, pytest.approx(lo), pytest.approx(hi), q) for t, s, lo, hi, q in want]


def test_currency():
    (a,) = _amounts("出口额达3亿美元")
    assert a[3]["currency"] == "USD"
    (b,) = _amounts("补助20万元")
    assert b[3]["currency"] == "CNY"


def test_leading_cap_holds_for_each_member_of_a_list():
    got = _amounts("分别给予最高500万元、200万元奖励")
    assert [(t, s, e, v["qualifier"]) for t, s, e, v in got] == [
        ("500万元", 6, 11, "max"), ("200万元", 12, 17, "max")]
    # a cap on one amount does not spread past other words
    got = _amounts("最高奖励30万元,其他给予10万元")
    assert [v["qualifier"] for *_, v in got] == ["max", "exact"]
