"""segment.py's optional compiled route (jieba_next's Rust prefix trie): the same cut as
the pure-Python route on corpus windows and on random windows built to tie (县县县)."""
import random

import pytest

from conftest import corpus_text
from policy_extract import segment

try:
    import jieba_next.jieba_next_rust  # noqa: F401
    HAVE_TRIE = True
except ImportError:
    HAVE_TRIE = False
needs_trie = pytest.mark.skipif(not HAVE_TRIE, reason="jieba-next is not installed")


def test_trie_built_only_after_many_blocks(monkeypatch):
    # a short run never pays the trie's build; a long one builds it once (or, without
    # jieba-next, settles on the pure-Python route)
    segment.initialize()
    monkeypatch.setattr(segment, "_STATE", {"pos": segment._STATE["pos"]})
    monkeypatch.setattr(segment, "_TRIE_AFTER", 3)
    assert segment._compiled_trie() is None and segment._compiled_trie() is None
    trie = segment._compiled_trie()
    assert bool(trie) is HAVE_TRIE and segment._STATE["trie"] is trie
    assert segment._cut("经市人社局审定") == ["经市", "人社局", "审定"]


@pytest.fixture
def both(monkeypatch):
    """(cut with the pure-Python route, cut with the compiled trie)."""
    segment.initialize()
    monkeypatch.setitem(segment._STATE, "trie", False)

    def python_cut(texts):
        segment._STATE["trie"] = False
        return [segment._cut(t) for t in texts]

    trie = segment._build_trie()
    assert trie, "jieba_next is installed: the trie must be built"

    def trie_cut(texts):
        segment._STATE["trie"] = trie
        return [segment._cut(t) for t in texts]

    return python_cut, trie_cut


@needs_trie
def test_trie_cut_equals_python_on_corpus_windows(both):
    from policy_extract.normalize import normalize

    python_cut, trie_cut = both
    text = normalize(corpus_text("002") + corpus_text("004")).text
    windows = [text[i:i + n] for i in range(0, len(text) - 40, 5) for n in (3, 9, 17, 40)]
    windows += ["", "市委 市政府\r\n", "莘县妹冢镇党委政府", "SMT加工中心3.5%"]
    assert trie_cut(windows) == python_cut(windows)


@needs_trie
def test_trie_cut_equals_python_on_ties(both):
    # repeated and interchangeable words make routes of equal weight: the later end wins
    python_cut, trie_cut = both
    rng = random.Random(11)
    chars = "一二三个人大小中国家市场发展工作组织会议公司新区县乡镇"
    windows = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 24)))
               for _ in range(20000)]
    windows += ["县县县大家场三", "人人人个", "国中组二织二小司人人人个"]
    assert trie_cut(windows) == python_cut(windows)
    assert python_cut(["县县县"]) == [["县县", "县"]]


def test_trie_used_only_where_exact():
    # the trie collects at most 12 words per position: no chain in the table is that deep
    base, _ = segment._posseg()
    assert segment._deepest_chain(base.FREQ) < 12
    assert segment._deepest_chain({"a": 1, "ab": 0, "abc": 2, "abcd": 3}) == 3
