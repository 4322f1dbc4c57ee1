"""jieba, used only where rules need a word boundary: the left edge of an organization
name (set phrases of the user dictionary, 一把手 or 三区三线, stay one word there).

jieba never runs over a whole document: callers hand it a short window around a rare
trigger, and every window is memoized. jieba is imported on first use only.

Start-up: jieba's own start reads a 580k-entry prefix dictionary (0.6 s, ~100 MB) and
its POS tags would cost another 0.4 s. We load instead one compact table built once from
jieba's dict.txt: rare personal names and other rare classes that never border a unit
name are dropped (_RARE_FLAGS below frequency _RARE_MIN; measured: no org span on the
corpora changes), the government user dictionary is merged in, and POS tags are kept
only where they differ from "n". The table is a marshal file in the user's cache
directory, keyed by jieba's version and our dictionary's hash, so a process start costs
~0.2 s. With the compiled extension (below) a second cache file holds the trie
serialized and the tags, and a process start costs ~0.06 s without building the Python
table at all. Without a writable cache directory both are rebuilt in memory (~1 s) per
process.

Speed: a block is cut by jieba's own algorithm compiled (_route.c: a prefix trie over
the same table, built once per process in ~0.07 s; ~0.1 µs a character). Where the
extension was not built (no C compiler at install), the same algorithm runs in Python
(_route below, ~0.7 µs a character); tests/test_segment_backend.py checks that the two
give the same words. jieba_fast's C route is not used: it breaks ties between routes of
equal weight the other way (县县县: 县|县县, jieba 县县|县) and its HMM sums in another
order.
"""
from __future__ import annotations

import logging
import os
import re
import sys
import threading
from functools import lru_cache
from math import log

from .resources import data_path, load_lines, load_yaml

_LOCK = threading.Lock()
_STATE: dict = {}
# Word classes of jieba's dictionary that matter only when frequent: personal and other
# proper names, morphemes, non-Chinese strings, onomatopoeia, interjections, modal words.
_RARE_FLAGS = frozenset("nr nrt nrfg zg nz x g ng b k s o e y".split())
_RARE_MIN = 100
_FORMAT = 1  # bump when the table's layout or the filter changes


def _import_jieba():
    """jieba without pkg_resources: its _compat module imports it only to locate dict.txt
    (80 ms of a 100 ms import) and falls back to a plain path when the import fails."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba
        return jieba
    sys.modules["pkg_resources"] = None  # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


def _cache_dirs() -> list[str]:
    import tempfile

    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return [os.path.join(xdg, "policy_extract"), tempfile.gettempdir()]


def _build_table(jieba) -> tuple[dict, int, dict]:
    """(prefix dictionary, total frequency, tags other than "n") from jieba's dict.txt
    filtered and the government user dictionary merged in with jieba's add_word."""
    freq: dict = {}
    tags: dict = {}
    total = 0
    with jieba.dt.get_dict_file() as fh:
        for raw in fh:
            parts = raw.decode("utf-8").split()
            if len(parts) < 2:
                continue
            word, f = parts[0], int(parts[1])
            flag = parts[2] if len(parts) > 2 else "n"
            if flag in _RARE_FLAGS and f < _RARE_MIN:
                continue
            freq[word] = f
            total += f
            if flag != "n":
                tags[word] = flag
            for i in range(1, len(word)):
                freq.setdefault(word[:i], 0)
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = freq, total, True
    for line in load_lines("jieba/gov_userdict.txt"):  # skips comment lines
        word, f, flag = (line.split() + [None, None])[:3]
        tk.add_word(word, int(f) if f else None, flag)
        if flag and flag != "n":
            tags[word] = flag
        else:
            tags.pop(word, None)
    return tk.FREQ, tk.total, tags


def _cache_name(kind: str, jieba) -> str:
    """File name of a cached table: keyed by jieba's version, our dictionary and filter."""
    import hashlib

    key = hashlib.md5(open(data_path("jieba/gov_userdict.txt"), "rb").read()
                      + repr((_FORMAT, sorted(_RARE_FLAGS), _RARE_MIN)).encode()).hexdigest()
    return "policy_extract-%s-%s-%s.marshal" % (kind, jieba.__version__, key[:16])


def _cached(name: str, build):
    """The object marshalled in cache file `name`, or build() stored there on a miss."""
    import marshal

    for d in _cache_dirs():
        try:
            with open(os.path.join(d, name), "rb") as fh:
                return marshal.loads(fh.read())  # load(fh) reads object by object: 4x slower
        except (OSError, EOFError, ValueError, TypeError):
            pass
    obj = build()
    for d in _cache_dirs():
        path = os.path.join(d, name)
        tmp = "%s.%d" % (path, os.getpid())
        try:
            os.makedirs(d, exist_ok=True)
            with open(tmp, "wb") as fh:
                marshal.dump(obj, fh)
            os.replace(tmp, path)  # atomic: concurrent workers never read half a file
            break
        except OSError:  # read-only or missing: try the next place, else stay in memory
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return obj


def _load_table(jieba) -> tuple[dict, int, dict]:
    """The compact table from the cache, built and stored there on a miss."""
    return _cached(_cache_name("jieba", jieba), lambda: _build_table(jieba))


def _posseg():
    """(tokenizer, tags other than "n") with the compact dictionary, once per process."""
    state = _STATE.get("pos")
    if state is not None:
        return state
    with _LOCK:
        if "pos" not in _STATE:
            jieba = _import_jieba()
            jieba.setLogLevel(logging.WARNING)
            freq, total, tags = _load_table(jieba)
            tk = jieba.Tokenizer()
            tk.FREQ, tk.total, tk.initialized = freq, total, True
            _STATE["pos"] = (tk, tags)
    return _STATE["pos"]


def initialize() -> None:
    """Load the dictionary (compiled trie or Python table) now, e.g. before timing a
    batch or forking workers, instead of on the first window."""
    _lexicon()


_DIGITS = frozenset("0123456789.%")


def _guess_flag(word: str) -> str:
    """Tag of a word outside the dictionaries (found by jieba's HMM): digits are numerals,
    other non-Han runs punctuation, new Han words of two or three characters mostly
    names (nouns), longer ones fixed expressions (牵线搭桥)."""
    if all(c in _DIGITS for c in word):
        return "m"
    if not "\u4e00" <= word[0] <= "\u9fff":
        return "x"
    return "n" if len(word) < 4 else "l"


# jieba's own block and whitespace patterns (Tokenizer.cut): the same split, same words
_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_SKIP = re.compile(r"(\r\n|\s)")
_LOGP: dict = {}  # dictionary word -> log(frequency) - log(total), jieba's route weight;
# 0.0 for a prefix that is no word. Filled on use, bounded by the dictionary.


def _cut(text: str) -> list[str]:
    """Exactly jieba's Tokenizer.cut(text, HMM=True), in a third of its time on short
    windows: the prefix-dictionary DAG and the best route are computed in one backward
    pass with memoized word weights, and jieba's generators and per-call set-up are
    skipped (tests/test_org.py compares the two on corpus windows)."""
    trie = _STATE.get("trie")
    if trie is None:
        trie = _compiled_trie()
    cut_block = trie.cut if trie else _cut_block
    out: list[str] = []
    if _HAN_ONLY.fullmatch(text):  # the usual window: one block, nothing to split
        cut_block(text, out, _hmm)
        return out
    for blk in _HAN.split(text):
        if not blk:
            continue
        if _HAN.match(blk):
            cut_block(blk, out, _hmm)
        else:
            for x in _SKIP.split(blk):
                if _SKIP.match(x):
                    out.append(x)
                else:
                    out.extend(x)
    return out


_HAN_ONLY = re.compile(_HAN.pattern[1:-1])


def _table() -> tuple[dict, float]:
    """(prefix dictionary, log of its total frequency), once per process."""
    t = _STATE.get("table")
    if t is None:
        base, _ = _posseg()
        t = _STATE["table"] = (base.FREQ, log(base.total))
    return t


def _cut_block(s: str, out: list, hmm) -> None:
    """The Python twin of _route.Trie.cut: jieba's words of one block appended to out."""
    freq, logtotal = _table()
    nxt = _route(s, freq, logtotal)
    n = len(s)
    x, buf = 0, ""
    while x < n:
        y = nxt[x]
        if y - x == 1:
            buf += s[x]
        else:
            if buf:
                _flush(buf, freq, out, hmm)
                buf = ""
            out.append(s[x:y])
        x = y
    if buf:
        _flush(buf, freq, out, hmm)


def _route(s: str, freq: dict, logtotal: float) -> list[int]:
    """jieba's best route over the prefix-dictionary DAG of a block: for each position,
    the end of the word starting there."""
    weight = _LOGP
    wget = weight.get
    n = len(s)
    score = [0.0] * (n + 1)
    nxt = [0] * (n + 1)
    ninf = float("-inf")
    for k in range(n - 1, -1, -1):
        best, bx = ninf, k + 1
        i = k + 1  # end of the fragment s[k:i]
        frag = s[k]
        while True:
            p = wget(frag)
            if p is None:
                f = freq.get(frag)
                if f is None:
                    break  # no dictionary word starts with frag
                p = weight[frag] = log(f) - logtotal if f else 0.0
            if p:  # a word, not only a prefix
                p += score[i]
                if p >= best:  # jieba's max over (weight, end): ties go right
                    best, bx = p, i
            if i == n:
                break
            i += 1
            frag = s[k:i]
        if best == ninf:  # no word starts here: the character alone, weight log(1)
            best = (log(freq.get(s[k]) or 1) - logtotal) + score[k + 1]
        score[k], nxt[k] = best, bx
    return nxt


def _compiled_trie():
    """The compiled prefix trie over our table (policy_extract._route), once per
    process; False when the extension is not built (or POLICY_EXTRACT_PURE_PYTHON is
    set), and the route is computed in Python."""
    _lexicon()
    return _STATE["trie"]


def _lexicon() -> tuple[dict, object]:
    """(POS tags other than "n", is_word) once per process. With the extension, both
    come from a cache file holding the trie serialized and the tags (~0.06 s to load),
    and the Python prefix dictionary (~0.2 s to load, 365k strings) is never built;
    without it, from the Python table."""
    state = _STATE.get("lexicon")
    if state is not None:
        return state
    trie = _load_trie()
    with _LOCK:
        if "lexicon" not in _STATE:
            _STATE["trie"] = trie[1] if trie else False
            _STATE["lexicon"] = trie[0] if trie else None
    if _STATE["lexicon"] is None:
        base, tags = _posseg()
        freq = base.FREQ
        _STATE["lexicon"] = (tags, lambda w: bool(freq.get(w)))
    return _STATE["lexicon"]


def _extension():
    """The compiled module policy_extract._route, or None when it is not built or
    POLICY_EXTRACT_PURE_PYTHON is set."""
    if os.environ.get("POLICY_EXTRACT_PURE_PYTHON"):
        return None
    try:
        from . import _route
    except ImportError:
        return None
    return _route


def _load_trie():
    """((tags, is_word), trie) from the trie cache, built from the Python table and
    stored on a miss; None when the extension is not built or not wanted."""
    _route = _extension()
    if _route is None:
        return None
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)

    def build():
        freq, logtotal = _table()
        return _posseg()[1], _route.Trie(freq, logtotal).dumps()

    name = _cache_name("trie%d" % _route.FORMAT, jieba)
    tags, blob = _cached(name, build)
    try:
        trie = _route.Trie.loads(blob)
    except ValueError:  # a damaged cache file: rebuild in memory
        tags, blob = build()
        trie = _route.Trie.loads(blob)
    return (tags, trie.is_word), trie


def _flush(buf: str, freq: dict, out: list, hmm) -> None:
    """jieba's handling of a run of single characters: a listed run stays characters,
    an unlisted one goes to the HMM (finalseg), whose result depends on the run only."""
    if len(buf) == 1:
        out.append(buf)
    elif not freq.get(buf):
        out.extend(hmm(buf))
    else:
        out.extend(buf)


_HMM_HAN = re.compile("([\u4E00-\u9FD5]+)")  # jieba.finalseg's own block patterns
_HMM_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


@lru_cache(maxsize=16384)
def _hmm(buf: str) -> tuple[str, ...]:
    """Exactly jieba.finalseg.cut(buf): unknown words found by the BMES hidden Markov
    model (tests/test_org.py compares the two)."""
    han_cut = _STATE.get("hmm")
    if han_cut is None:
        han_cut = _compiled_hmm()
    out: list[str] = []
    for blk in _HMM_HAN.split(buf):
        if _HMM_HAN.match(blk):
            out.extend(han_cut(blk))
        else:
            out.extend(x for x in _HMM_SKIP.split(blk) if x)
    return tuple(out)


def _hmm_han(blk: str) -> list[str]:
    """finalseg's words of a block of Han characters: a word from each B to its E, each
    S alone, and what follows the last E or S as one word."""
    out = []
    begin = nexti = 0
    for i, t in enumerate(_viterbi(blk)):
        if t == "B":
            begin = i
        elif t == "E":
            out.append(blk[begin:i + 1])
            nexti = i + 1
        elif t == "S":
            out.append(blk[i])
            nexti = i + 1
    if nexti < len(blk):
        out.append(blk[nexti:])
    return out


def _compiled_hmm():
    """The Han-block cut of the HMM: compiled (policy_extract._route.Hmm over jieba's
    model) when the extension is built, else _hmm_han; once per process."""
    with _LOCK:
        if "hmm" not in _STATE:
            cut = _hmm_han
            _route = _extension()
            if _route is not None:
                low, sp, ep, trans = _hmm_model()
                cut = _route.Hmm(tuple(sp[x] for x in "BMES"), trans,
                                 tuple(ep[x] for x in "BMES"), low).cut
            _STATE["hmm"] = cut
    return _STATE["hmm"]


@lru_cache(maxsize=1)
def _hmm_model():
    from jieba import finalseg
    t = finalseg.trans_P
    return (finalseg.MIN_FLOAT, finalseg.start_P, finalseg.emit_P,
            (t["E"]["B"], t["S"]["B"], t["M"]["M"], t["B"]["M"],
             t["S"]["S"], t["E"]["S"], t["B"]["E"], t["M"]["E"]))


def _viterbi(obs: str) -> list[str]:
    """jieba.finalseg.viterbi over the four states unrolled, with its sums in its order
    and its ties (max over (probability, state): the later letter wins)."""
    low, sp, ep, (eb, sb, mm, bm, ss, es, be, me) = _hmm_model()
    pB, pM, pE, pS = ep["B"], ep["M"], ep["E"], ep["S"]
    c = obs[0]
    vb, vm = sp["B"] + pB.get(c, low), sp["M"] + pM.get(c, low)
    ve, vs = sp["E"] + pE.get(c, low), sp["S"] + pS.get(c, low)
    back = []  # per character: the previous state of B, M, E, S (indices into "BMES")
    for c in obs[1:]:
        em = pB.get(c, low)
        a, b = ve + eb + em, vs + sb + em
        nb, fb = (b, 3) if b >= a else (a, 2)
        em = pM.get(c, low)
        a, b = vm + mm + em, vb + bm + em
        nm, fm = (a, 1) if a >= b else (b, 0)
        em = pS.get(c, low)
        a, b = vs + ss + em, ve + es + em
        ns, fs = (a, 3) if a >= b else (b, 2)
        em = pE.get(c, low)
        a, b = vb + be + em, vm + me + em
        ne, fe = (b, 1) if b >= a else (a, 0)
        back.append((fb, fm, fe, fs))
        vb, vm, ve, vs = nb, nm, ne, ns
    state = 3 if vs >= ve else 2
    path = [state]
    for prev in reversed(back):
        state = prev[state]
        path.append(state)
    path.reverse()
    return ["BMES"[x] for x in path]


@lru_cache(maxsize=65536)
def window_spans(text: str) -> tuple[list, list]:
    """([(start, end, word, flag)], [end of each word]) of a short text, memoized: the
    form the org extractor reads names from, built in one pass. User-dictionary words
    carry their own tag (nt organization, sp set phrase, ...). Tags come from the
    dictionaries, not from jieba.posseg's HMM tagger, which costs five times as much per
    window; a word in neither dictionary gets _guess_flag's."""
    flags = _FLAGS
    words, ends, pos = [], [], 0
    for w in _cut(text):
        e = pos + len(w)
        f = flags.get(w)
        if f is None:
            f = word_flag(w) or _guess_flag(w)
            if len(flags) < 200000:  # bounded in a long-running process
                flags[w] = f
        words.append((pos, e, w, f))
        ends.append(e)
        pos = e
    return words, ends


_FLAGS: dict = {}  # word -> flag, as window_spans gives it


def word_flag(word: str) -> str | None:
    """The dictionary POS tag of a word (user dictionary included), None if unlisted."""
    tags, is_word = _lexicon()
    return tags.get(word) or ("n" if is_word(word) else None)


@lru_cache(maxsize=1)
def _rules():
    cfg = load_yaml("jieba/boundary.yaml")
    return (frozenset(cfg["stop_flags"]), frozenset(load_lines("jieba/stop_words.txt")),
            frozenset(cfg["keep_words"]), frozenset(cfg["admin_prefixes"]))


def is_stop(word: str, flag: str) -> bool:
    """True when a word cannot be part of a name read leftwards: a verb, preposition,
    conjunction, particle, numeral, time word, punctuation or a listed function word."""
    r = _rules()
    if word in r[2]:
        return False
    return word in r[1] or flag in r[0]


def admin_prefixes() -> frozenset:
    """One-character administrative prefixes of unit names (市, 省, 县, 区 …)."""
    return _rules()[3]


def glued_admin_prefix(word: str) -> bool:
    """A two-character word that jieba's dictionary glues from a preposition and an
    administrative prefix (经市 人社局, 由市 科技局): the prefix belongs to the name."""
    if len(word) != 2:
        return False
    r = _rules()
    return word[0] in r[1] and word[1] in r[3]
