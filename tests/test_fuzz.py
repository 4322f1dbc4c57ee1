"""Property-based tests over extract() and read(): arbitrary Unicode, mixed scripts,
mutated corpus documents and damaged containers. Bounded example counts keep the file
under a minute; fuzz/run_fuzz.py runs the same properties for as long as one wants."""
import sys

from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import ROOT

sys.path.insert(0, str(ROOT / "fuzz"))
from fuzz_targets import (MUTATIONS, SNIPPETS, check_extract, check_read,  # noqa: E402
                          container_seeds, corpus_slice, mutate, mutate_bytes)

def fuzz(max_examples):
    return settings(max_examples=max_examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

mixed_script = st.lists(st.one_of(st.sampled_from(SNIPPETS),
                                  st.text(alphabet=st.sampled_from("".join(SNIPPETS) + "的了在是发展建设"),
                                          max_size=8)),
                        max_size=60).map("".join)


@st.composite
def mutated_corpus(draw):
    text = corpus_slice(draw(st.integers(0, 4)), draw(st.floats(0, 1)), draw(st.integers(0, 3000)))
    for _ in range(draw(st.integers(0, 8))):
        text = mutate(text, draw(st.sampled_from(MUTATIONS)), draw(st.floats(0, 1)),
                      draw(st.integers(1, 40)), draw(st.integers(0, 10_000)))
    return text


@st.composite
def damaged_container(draw):
    seeds = container_seeds()
    data = seeds[draw(st.integers(0, len(seeds) - 1))]
    for _ in range(draw(st.integers(1, 3))):
        data = mutate_bytes(data, draw(st.integers(0, 4)), draw(st.floats(0, 1)),
                            draw(st.integers(1, 64)), draw(st.integers(0, 255)))
    return data


@fuzz(300)
@given(st.text(max_size=400))
@example("")
@example("\n" * 50)
@example("约亿元")
@example("〔2020〕号0536-万元年底前")
def test_extract_arbitrary_unicode(text):
    check_extract(text)


@fuzz(300)
@given(mixed_script)
def test_extract_mixed_scripts(text):
    check_extract(text)


@fuzz(150)
@given(mutated_corpus())
def test_extract_mutated_corpus_documents(text):
    check_extract(text)


@fuzz(120)
@given(damaged_container())
def test_read_damaged_containers(data):
    check_read(data)


MAGIC = st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff",
                         b"\xef\xbb\xbf", b"<html><body><p>", b"<!--", b"\x89PNG\r\n\x1a\n"])


@fuzz(200)
@given(MAGIC, st.binary(max_size=600))
def test_read_arbitrary_bytes(magic, data):
    check_read(magic + data)


TAG_SOUP = st.lists(st.sampled_from([
    "<div id='zoom'>", "<div class='nav'>", "</div>", "<p>", "</p>", "<table>", "</table>", "<tr>",
    "</tr>", "<td>", "</td>", "<br>", "<br/>", "<script>", "</script>", "<style>", "</style>",
    "<a href='x'>", "</a>", "<!--", "-->", "<!DOCTYPE html>", "<pre>", "</pre>", "&amp;", "&#x4e09;",
    "&nbsp;", "&bogus;", "<", ">", "</", "<a ", "'", '"', "\n", "市财政局给予补助30万元。",
    "各区县人民政府，", "２０２０年底前", "关(guān)于", "<meta charset='gb2312'>", "<h1>", "</h1>"]),
    max_size=80).map("".join)


@fuzz(150)
@given(TAG_SOUP, st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_read_tag_soup(markup, codec):
    check_read(("<html><body>" + markup).encode(codec))


def test_properties_do_catch_bad_offsets(monkeypatch):
    """The checker is not vacuous: a document whose mention misses the text fails it."""
    import pytest

    import policy_extract
    from policy_extract.models import Document, Mention

    bad = Document(doc="-", mentions=[Mention(type="amount", text="30万元", start=1, end=5,
                                              line=1, normalized="30万元")])
    monkeypatch.setattr(policy_extract, "extract", lambda text, **kw: bad)
    with pytest.raises(AssertionError, match="text\\[1:5\\]"):
        check_extract("补助30万元。")
