"""segment.py's compiled cut (policy_extract._route, built from _route.c at install) and
its pure-Python twin give the same words: on corpus windows, on windows built to tie
(县县县: equal-weight routes, the later end wins), on runs that go to the HMM, and on
text outside the dictionary."""
import os
import random
import subprocess
import sys

import pytest

from conftest import corpus_text
from policy_extract import segment

try:
    from policy_extract import _route
except ImportError:  # installed without a C compiler: only the Python route exists
    _route = None
needs_ext = pytest.mark.skipif(_route is None, reason="the C extension is not built")


@pytest.fixture
def both(monkeypatch):
    """(cut with the pure-Python route, cut with the compiled trie)."""
    freq, logtotal = segment._table()
    trie = _route.Trie(freq, logtotal)

    def cut_with(backend):
        def cut(texts):
            monkeypatch.setitem(segment._STATE, "trie", backend)
            return [segment._cut(t) for t in texts]
        return cut

    return cut_with(False), cut_with(trie)


@needs_ext
def test_compiled_cut_equals_python_on_corpus_windows(both):
    from policy_extract.normalize import normalize

    python_cut, trie_cut = both
    text = normalize(corpus_text("002") + corpus_text("004")).text
    windows = [text[i:i + n] for i in range(0, len(text) - 40, 5) for n in (3, 9, 17, 40)]
    windows += ["", "市委 市政府\r\n", "莘县妹冢镇党委政府", "SMT加工中心3.5%", "了嬜机制",
                text[:3000]]  # a block longer than the extension's stack buffers
    got = trie_cut(windows)
    assert got == python_cut(windows)
    assert got[-4] == ["莘县", "妹冢", "镇党委", "政府"]  # jieba's own cut


@needs_ext
def test_compiled_cut_equals_python_on_ties_and_unknown_runs(both):
    python_cut, trie_cut = both
    rng = random.Random(11)
    chars = "一二三个人大小中国家市场发展工作组织会议公司新区县乡镇嬜冢𠀀"
    windows = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 24)))
               for _ in range(20000)]
    windows += ["县县县大家场三", "人人人个", "国中组二织二小司人人人个"]
    assert trie_cut(windows) == python_cut(windows)
    assert trie_cut(["县县县"]) == python_cut(["县县县"]) == [["县县", "县"]]


@needs_ext
def test_route_positions_equal_python():
    freq, logtotal = segment._table()
    trie = _route.Trie(freq, logtotal)
    for s in ("由市发展和改革委员会牵头", "县县县", "嬜", "a"):
        assert trie.route(s) == segment._route(s, freq, logtotal)[:len(s)]
    assert trie.nodes == len(freq) + 1  # the table is prefix-closed: one node a key


@needs_ext
def test_compiled_hmm_equals_python():
    # every Han run of the corpora, and random runs of common, rare and unlisted
    # characters (unlisted ones take finalseg's MIN_FLOAT emission)
    import re

    from policy_extract.normalize import normalize

    segment.initialize()
    hmm = segment._compiled_hmm()
    assert hmm is not segment._hmm_han
    text = normalize(corpus_text("001") + corpus_text("003")).text
    runs = re.findall("[\u4e00-\u9fd5]+", text)
    rng = random.Random(5)
    chars = "的了是在人有我他这中大来上国个到说们为子和你地出道也时年嬜冢龘鬱"
    runs += ["".join(rng.choice(chars) for _ in range(rng.randint(1, 30)))
             for _ in range(20000)]
    assert [hmm(r) for r in runs] == [segment._hmm_han(r) for r in runs]
    assert hmm("了嬜机制") == segment._hmm_han("了嬜机制")


@needs_ext
def test_trie_rejects_a_bad_table():
    with pytest.raises(TypeError):
        _route.Trie({"市": "1"}, 1.0)
    t = _route.Trie({"市": 1}, 1.0)
    with pytest.raises(RuntimeError):
        t.__init__({"市": 1}, 1.0)
    with pytest.raises(TypeError):
        _route.Hmm((0.0,) * 4, (0.0,) * 8, ({}, {}, {"ab": 1.0}, {}), -1.0)


def test_extension_is_built_where_a_compiler_is():
    # the extension is optional so that installing never fails; where the machine has a
    # C compiler (as CI does) a failed build would only show as a slower pipeline
    import shutil
    import sysconfig

    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if not shutil.which(cc):
        pytest.skip("no C compiler here: the pure-Python route is expected")
    assert _route is not None, "policy_extract._route did not build: see pip's log"


def test_pure_python_fallback_gives_the_same_document():
    # without the extension (POLICY_EXTRACT_PURE_PYTHON), a document's organizations
    # come out the same
    code = ("import json,sys; from policy_extract import extract, segment;"
            "d = extract(sys.stdin.read());"
            "print(bool(segment._compiled_trie()));"
            "print(json.dumps([m.text for m in d.mentions if m.type == 'org'],"
            " ensure_ascii=False))")
    text = corpus_text("004")[:6000]
    outs = []
    for pure in ("", "1"):
        env = dict(os.environ, POLICY_EXTRACT_PURE_PYTHON=pure)
        r = subprocess.run([sys.executable, "-c", code], input=text, env=env,
                           capture_output=True, text=True, encoding="utf-8", check=True)
        outs.append(r.stdout.splitlines())
    assert outs[1][0] == "False"
    assert outs[0][0] == str(_route is not None)
    assert outs[0][1] == outs[1][1] and len(outs[0][1]) > 100


@needs_ext
def test_serialized_trie_cuts_the_same_and_answers_is_word():
    freq, logtotal = segment._table()
    trie = _route.Trie(freq, logtotal)
    copy = _route.Trie.loads(trie.dumps())
    for s in ("由市发展和改革委员会牵头", "县县县", "莘县妹冢镇党委政府"):
        assert copy.route(s) == trie.route(s)
    words = list(freq)[:20000] + ["委员会", "发展和", "", "嬜"]
    assert [copy.is_word(w) for w in words] == [bool(freq.get(w)) for w in words]
    for bad in (b"", b"PETRIE1\0" + bytes(40), trie.dumps()[:-8]):
        with pytest.raises(ValueError):
            _route.Trie.loads(bad)


@needs_ext
def test_start_up_reads_the_trie_cache_and_never_builds_the_python_table(tmp_path):
    # first process: cache miss, builds and stores; second: reads it, no Python table;
    # a damaged cache file is rebuilt in memory, with the same words
    code = ("import sys; from policy_extract import segment; segment.initialize();"
            "print('pos' in segment._STATE, segment._cut('由市发展和改革委员会牵头'),"
            " segment.word_flag('发改委'))")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), POLICY_EXTRACT_PURE_PYTHON="")
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout for _ in range(2)]
    cache = list((tmp_path / "policy_extract").glob("policy_extract-trie*.marshal"))
    assert len(cache) == 1
    cache[0].write_bytes(cache[0].read_bytes()[:-100])
    runs.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                               text=True, check=True).stdout)
    words = "['由市', '发展和改革委员会', '牵头']"  # jieba with our user dictionary
    assert runs[0].startswith("True " + words)
    assert runs[1].startswith("False " + words)
    assert runs[2].split(" ", 1)[1] == runs[1].split(" ", 1)[1]
    assert runs[1].split()[-1] == segment.word_flag("发改委")
