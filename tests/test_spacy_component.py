"""The spaCy component puts mentions on the Doc as spans with their values."""
import spacy

from policy_extract import extract


def test_add_pipe_on_blank_zh_puts_mentions_on_doc():
    nlp = spacy.blank("zh")
    nlp.add_pipe("policy_extract", config={"reference_date": "2020-03-25"})
    text = "4月底前出台我市深化工业企业评价改革的意见,10月底前完成分类分档。"
    doc = nlp(text)
    expected = [(m.type, m.start, m.end) for m in extract(text, reference_date="2020-03-25").mentions]
    got = [(s.label_, s.start_char, s.end_char) for s in doc.spans["policy_extract"]]
    assert got == expected
    assert ("time", 0, 4) in got
    first = doc.spans["policy_extract"][0]
    assert first.text == "4月底前"
    assert first._.pe_value == {"kind": "before", "end": "2020-04-30"}
    assert [e.label_ for e in doc.ents] == [s.label_ for s in doc.spans["policy_extract"]]
    assert doc._.policy_extract.reference_date == "2020-03-25"


def test_traditional_script_spans_index_the_doc_text():
    nlp = spacy.blank("zh")
    nlp.add_pipe("policy_extract", config={"reference_date": "2020-03-25", "set_ents": False})
    text = "年內完成5.7萬戶農村廁所擴面改造"
    doc = nlp(text)
    spans = {s.text: s for s in doc.spans["policy_extract"]}
    assert "5.7萬戶" in spans
    assert spans["5.7萬戶"]._.pe_value["min"] == 57000
    assert list(doc.ents) == []
