"""phone: real corpus numbers with exact offsets; cue-dependent and excluded shapes."""
import pytest

from conftest import corpus_text, gold
from policy_extract.extractors.phone import find
from policy_extract.pipeline import run


def test_corpus_000_matches_gold_exactly():
    text = corpus_text("000")
    doc = run(text, extractors=("doc_number", "phone"), linkers=())
    got = [(m.start, m.end, m.text) for m in doc.mentions if m.type == "phone"]
    want = [(m["start"], m["end"], m["text"]) for m in gold("000")["mentions"]
            if m["type"] == "phone"]
    assert got == want
    assert len(want) == 7 and want[0][2] == "0635-8378986"


@pytest.mark.parametrize("text,want", [
    ("咨询电话:0635-8378986(市科技局)", ["0635-8378986"]),
    ("服务热线400-888-7501", ["400-888-7501"]),
    ("联系电话:(0635)8378986", ["(0635)8378986"]),
    ("手机13812345678,座机0635-2189125-801", ["13812345678", "0635-2189125-801"]),
    ("拨打12345市民热线", ["12345"]),
    ("加强“12319”城建服务热线建设", ["12319"]),
    ("监督电话:8264105。", ["8264105"]),
    ("电话:0635—8378986", ["0635—8378986"]),          # dash left unfolded by normalization
    ("电话 (0635)-8378986", ["(0635)-8378986"]),
])
def test_shapes(text, want):
    spans = find(text)
    assert [text[s:e] for s, e in spans] == want
    assert all(text.index(w) == s for w, (s, _) in zip(want, spans))


@pytest.mark.parametrize("text", [
    "完成投资12345万元",          # an amount
    "共有12345户",                # a count without cue
    "县委、县政府“1122345”发展思路",
    "2020年12月31日",
    "增长13812345678.5元",
    "编号138123456789012",        # longer digit run
])
def test_not_phones(text):
    assert find(text) == []


@pytest.mark.parametrize("text,want", [
    ("联系方式是本单位的的12345", [(10, 15)]),     # cue exactly cue_window (6) before
    ("联系方式是本单位的的的12345", []),           # one character too far
    ("12345市民服务热线", [(0, 5)]),               # cue word after: 4 Han then 热线
    ("12345(市长)市民服务热线", []),
    ("服务热线电话12345", [(6, 11)]),              # overlapping cue words
])
def test_cue_window_edges(text, want):
    # Cued numbers are only looked for near cue words: the window must be exact.
    assert find(text) == want
