"""jieba, used only where rules need a word boundary: the left edge of an organization
name, and whether a numeral is part of a set phrase (一把手, 三区三线).

jieba never runs over a whole document: callers hand it a short window around a rare
trigger, and every window is memoized. jieba is imported on first use and initialized
once per process with the government user dictionary (data/jieba/gov_userdict.txt);
its prefix dictionary comes from jieba's own cache file in the temp directory and the
dictionary's POS tags from ours (policy_extract.jieba-<version>.tags, marshal), so a
start costs about one CPU second once per process (jieba alone: 0.7 s), never per
document. Batch workers forked from a warm parent pay nothing.
"""
from __future__ import annotations

import logging
import threading
from functools import lru_cache

from .resources import load_lines, load_yaml

_LOCK = threading.Lock()
_STATE: dict = {}


def _load_tags(base) -> dict:
    """POS tags of jieba's dictionary words, from a marshal cache in the temp directory
    (parsing dict.txt costs ~0.4 s; jieba.posseg, which would do it, is not imported)."""
    import marshal
    import os
    import tempfile

    import jieba

    cache = os.path.join(tempfile.gettempdir(),
                         "policy_extract.jieba-%s.tags" % jieba.__version__)
    try:
        with open(cache, "rb") as fh:
            return marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    tags = {}
    with base.get_dict_file() as fh:
        for raw in fh:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 3:
                tags[parts[0]] = parts[2]
    tmp = "%s.%d" % (cache, os.getpid())
    try:
        with open(tmp, "wb") as fh:
            marshal.dump(tags, fh)
        os.replace(tmp, cache)  # atomic: concurrent workers never read half a file
    except OSError:
        pass
    return tags


def _posseg():
    """(tokenizer, tag table) with the user dictionary loaded, built once per process."""
    state = _STATE.get("pos")
    if state is not None:
        return state
    with _LOCK:
        if "pos" not in _STATE:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            base = jieba.Tokenizer()  # default dictionary, cached in the temp dir by jieba
            base.initialize()
            tags = _load_tags(base)
            for line in load_lines("jieba/gov_userdict.txt"):  # skips comment lines
                word, freq, tag = (line.split() + [None, None])[:3]
                base.add_word(word, int(freq) if freq else None, tag)
                if tag:
                    tags[word] = tag
            _STATE["base"] = base
            _STATE["pos"] = (base, tags)
    return _STATE["pos"]


def initialize() -> None:
    """Load jieba now (e.g. before timing a batch) instead of on the first window."""
    _posseg()


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


@lru_cache(maxsize=65536)
def tag_window(text: str) -> tuple[tuple[str, str], ...]:
    """(word, POS flag) pairs of a short text; user-dictionary words carry their own tag
    (nt organization, sp set phrase, ...). Tags come from the dictionaries, not from
    jieba.posseg's HMM tagger, which costs five times as much per window."""
    base, tags = _posseg()
    return tuple((w, tags.get(w) or _guess_flag(w)) for w in base.cut(text, HMM=True))


def word_flag(word: str) -> str | None:
    """The dictionary POS tag of a word (user dictionary included), None if unlisted."""
    return _posseg()[1].get(word)


def cut_window(text: str) -> list[str]:
    """Words of a short text (memoized)."""
    return [w for w, _ in tag_window(text)]


@lru_cache(maxsize=1)
def _rules():
    cfg = load_yaml("jieba/boundary.yaml")
    return (frozenset(cfg["stop_flags"]), frozenset(load_lines("jieba/stop_words.txt")),
            frozenset(cfg["keep_words"]), frozenset(cfg["set_phrase_flags"]),
            frozenset(cfg["admin_prefixes"]))


def word_spans(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, flag) of the words of `text`."""
    out, pos = [], 0
    for w, f in tag_window(text):
        out.append((pos, pos + len(w), w, f))
        pos += len(w)
    return out


def is_stop(word: str, flag: str) -> bool:
    """True when a word cannot be part of a name read leftwards: a verb, preposition,
    conjunction, particle, numeral, time word, punctuation or a listed function word."""
    stop_flags, stop_words, keep, *_ = _rules()
    if word in keep:
        return False
    if word in stop_words:
        return True
    return flag in stop_flags


def admin_prefixes() -> frozenset:
    """One-character administrative prefixes of unit names (市, 省, 县, 区 …)."""
    return _rules()[4]


def glued_admin_prefix(word: str) -> bool:
    """A two-character word that jieba's dictionary glues from a preposition and an
    administrative prefix (经市 人社局, 由市 科技局): the prefix belongs to the name."""
    return len(word) == 2 and word[0] in _rules()[1] and word[1] in _rules()[4]


def left_boundary(text: str, end: int, max_len: int = 16) -> int:
    """Where a name ending at `end` begins: the left edge of the run of name words before
    `end`, reading at most `max_len` characters back. Returns `end` if the word before
    `end` already stops (or no word boundary falls at `end`)."""
    lo = max(0, end - max_len)
    spans = word_spans(text[lo:end])
    start = end
    for s, e, w, f in reversed(spans):
        if glued_admin_prefix(w):
            start = lo + s + 1
            break
        if is_stop(w, f):
            break
        start = lo + s
    # the first word of the window may be cut off by the window edge: drop it
    if start == lo and lo > 0 and spans:
        start = lo + spans[0][1] if len(spans) > 1 else end
    return start


@lru_cache(maxsize=1)
def _set_phrases() -> frozenset:
    words = set()
    for line in load_lines("jieba/gov_userdict.txt"):
        parts = line.split()
        if len(parts) >= 3 and parts[2] == "sp":
            words.add(parts[0])
    return frozenset(words)


def is_set_phrase(text: str, start: int, end: int) -> bool:
    """True when the numeral text[start:end] is part of one word of a set phrase
    (一把手, 一站式, 三区三线, 四个意识, 十大产业): the word holding it is a listed set
    phrase or an idiom/fixed expression of jieba's dictionary."""
    lo, hi = max(0, start - 4), min(len(text), end + 4)
    window = text[lo:hi]
    s0, e0 = start - lo, end - lo
    set_flags = _rules()[3]
    phrases = _set_phrases()
    for s, e, w, f in word_spans(window):
        if s < e0 and e > s0 and (s < s0 or e > e0):
            return w in phrases or f in set_flags
    return False
