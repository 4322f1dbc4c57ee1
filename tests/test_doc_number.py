"""doc_number: real corpus numbers with exact offsets, and bracket/issuer edge cases."""
import pytest

from conftest import corpus_text, gold
from policy_extract.extractors.doc_number import find
from policy_extract.pipeline import run


def _spans(doc, kind):
    return [(m.start, m.end, m.text) for m in doc.mentions if m.type == kind]


def test_corpus_000_matches_gold_exactly():
    text = corpus_text("000")
    doc = run(text, extractors=("doc_number",), linkers=())
    want = [(m["start"], m["end"], m["text"]) for m in gold("000")["mentions"]
            if m["type"] == "doc_number"]
    assert _spans(doc, "doc_number") == want
    assert want[0][2] == "鲁发〔2017〕26号"


def test_corpus_003_numbers():
    text = corpus_text("003")
    doc = run(text, extractors=("doc_number",), linkers=())
    got = [t for _, _, t in _spans(doc, "doc_number")]
    assert "淮分类办〔2020〕1号" in got
    assert "淮公节办〔2020〕3号" in got
    # the year was lost in publishing: still a document number, nothing invented
    assert "国科发高字[]498号" in got
    # a date before the issuer is not part of it
    assert "国务院[2000]75号函" in got


@pytest.mark.parametrize("text,want", [
    ("根据晋政办发〔2017〕55号文件精神", "晋政办发〔2017〕55号"),
    ("按照鲁政字[2018]12号要求", "鲁政字[2018]12号"),
    ("印发了《通知》(聊政发(2019)3号)", "聊政发(2019)3号"),
    ("见国发【2016】第8号", "国发【2016】第8号"),
    ("企业行动工作方案》(*发〔2019〕6号)的要求", "*发〔2019〕6号"),
])
def test_shapes(text, want):
    spans = find(text)
    assert [text[s:e] for s, e in spans] == [want]
    s, e = spans[0]
    assert text.index(want) == s and s + len(want) == e


@pytest.mark.parametrize("text", [
    "全年完成(2017)5号楼建设",        # ASCII brackets without issuer: no number
    "1号文件的形式印发",
    "2017年26号台风",
])
def test_not_document_numbers(text):
    assert find(text) == []
