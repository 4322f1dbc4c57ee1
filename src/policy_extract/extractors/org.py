"""org mentions: organizations that can act or be assigned work.

Mechanism: a regex over the suffixes of unit names (局, 委员会, 领导小组, 中心, 政府, …)
finds anchors; cheap checks drop most non-units, then jieba cuts a short window around
the rest (8 characters left of the suffix, 3 right, never past punctuation; segment.py,
memoized) and the name is read leftwards word by word until a verb, preposition,
punctuation or other non-name word (segment.is_stop); only a name that reaches the
window's edge is cut again with its whole clause. Deciding the left edge from the
dictionary alone where the stretch from punctuation to the suffix holds no function word
was measured: it settled 13-22% of the windows with unchanged output but its dictionary
probes cost as much as the cut they saved. A window is cut only when a name is read in
it: rules that need no words (a modifier after the head, a facility head, a head needing
a collective word) reject anchors first, saving ~6% of the cuts. A cut costs ~0.7 µs a
character in pure Python; jieba_fast's C route is no substitute: it breaks ties the
other way (县县县: 县|县县, jieba 县县|县). The suffix must close a word: 格局, 举办, 全部
are no units. A name is cut right of an earlier mention inside it (两级 in
市、城区两级创城指挥部). Coordinated names are split (市委、市政府; 市委市政府;
镇党委政府); parenthesized parts stay inside (县(市、区)人才工作领导小组, 市直部门(单位)); nothing inside 《》 counts.
Places act as organizations only with a collective determiner (各县市区), beside another
organization, or as the subject that opens a clause (高新区召开…).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import itemgetter

import regex

from .. import segment  # imports jieba only when a window is first cut
from ..pipeline import Candidate, register_extractor
from ..resources import load_lines, load_yaml

_HARD = "。；;，,：:！？!?\n"
# Searches of a character class over a few characters, one or two per anchor: the
# standard library's engine runs them in a third (forward) or two thirds (backward) of
# the time `regex` takes. A backward search is a greedy match: _LAST_X.match(text, lo, hi)
# ends just after the last X in text[lo:hi].
_LAST_HARD = re.compile(r"(?s:.*)[%s]" % re.escape(_HARD))
_NEXT_HARD = re.compile(r"[%s]" % re.escape(_HARD))
_BOOK = regex.compile(r"《[^《》\n]{0,200}》")
_COORD = frozenset("、和及与或")
# Characters at which jieba splits its input into separate blocks (not in its re_han):
# no word crosses them, so a window needs no text beyond them, and one that stops at
# them is cut like the same name anywhere else (the memo then serves repeated names)
_SEP_CLASS = r"[^\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]"
_SEP = re.compile(_SEP_CLASS)
_LAST_SEP = re.compile("(?s:.*)" + _SEP_CLASS)
_LOOK_RIGHT = 16  # characters a clause reaches right of an anchor
# The window jieba cuts: most names are bounded by a verb or preposition a few characters
# left of the suffix, and the suffix word needs only a couple of characters on its right
# (办事|处分管, 市委书记); jieba's cost grows with the window's length.
_LEFT = 8
_RIGHT = 3
_WIDEN = 8  # characters a window is widened by, up to the clause
_CHAIN = 6  # an anchor ending this close to the previous one is cut with it
_NEG_BACK = 4  # a non-unit word read before any cut ends an anchor within this many characters


@lru_cache(maxsize=1)
def _cfg():
    suf = load_yaml("org/suffixes.yaml")
    lex = load_yaml("org/lexicon.yaml")
    named = set(suf["named"]) | set(suf["standalone"]) | set(suf["coordinated_only"]) \
        | set(suf["generic"])
    places = set(suf["place"])
    alts = sorted(named | places, key=len, reverse=True)
    # patterns tried at one position or over a few characters, one to a few times per
    # anchor: the standard library's engine runs them in half the time `regex` takes
    c = {
        "named": frozenset(named),
        "standalone": frozenset(suf["standalone"]),
        "coord_only": frozenset(suf["coordinated_only"]),
        "generic": frozenset(suf["generic"]),
        "top": frozenset(suf["top_level"]),
        "place": frozenset(places),
        "paren": re.compile(r"\(%s\)" % suf["paren_inner"]),
        "paren_full": re.compile(r"^\(%s\)$" % suf["paren_inner"]),
        "max_len": suf["max_len"],
        "actor_next": re.compile("|".join(map(re.escape, sorted(
            lex["actor_next"], key=len, reverse=True)))),
        "self": frozenset(lex["self_reference"]),
        "neg_right": re.compile("|".join(map(re.escape, sorted(
            lex["negative_right"], key=len, reverse=True)))),
        "neg_words": frozenset(lex["negative_words"]),
        "bad_qualifiers": frozenset(lex["bad_qualifiers"]),
        "needs_collective": frozenset(suf["needs_collective"]),
        "party_organs": frozenset(lex["party_organs"]),
        "name_verbs": frozenset(lex["name_verbs"]),
        "numeral_place": re.compile(lex["numeral_place"]),
        "project_verb": re.compile("|".join(map(re.escape, lex["project_verbs"]))),
        "project_before": re.compile("(?:%s)(?:%s)?$" % ("|".join(map(re.escape, sorted(
            lex["project_verbs"], key=len, reverse=True))), lex["project_count"])),
        "before_admin": frozenset(lex["before_admin"]),
        "organ_title": re.compile("|".join(map(re.escape, lex["organ_titles"]))),
        "kind": re.compile("|".join(map(re.escape, lex["kind_words"]))),
        "distributive": re.compile("(?:%s)(?![%s])" % (
            "|".join(map(re.escape, sorted(suf["distributive"], key=len, reverse=True))),
            re.escape(suf["not_distributive_next"]))),
        "not_unit": frozenset(suf["not_unit_heads"]),
        "neg_right_first": frozenset(w[0] for w in lex["negative_right"]),
        "kind_first": frozenset(w[0] for w in lex["kind_words"]),
        "collective_re": re.compile("|".join(map(re.escape, sorted(
            lex["collective"], key=len, reverse=True)))),
        "titles": frozenset(load_lines("org/job_titles.txt")),
        "labels": frozenset(lex["labels"]),
        "admin": segment.admin_prefixes(),
    }
    c["all_suffixes"] = frozenset(alts)
    # heads needing a collective word that no longer suffix ends with: an anchor on one
    # of them is the head of whatever name the cut gives
    c["collective_heads"] = frozenset(
        h for h in suf["needs_collective"]
        if not any(len(a) > len(h) and a.endswith(h) for a in alts))
    c["suffix_lengths"] = _lengths_by_last(alts)
    c["neg_lengths"] = _lengths_by_last(c["neg_words"])
    c["neg_at_anchor"] = {a: _neg_at_anchor(a, c) for a in alts}
    c["not_unit_lengths"] = _lengths_by_last(c["not_unit"])
    # the suffix and place words that no non-unit word ends (most heads jieba gives):
    # _is_unit_word accepts them at once
    c["unit_words"] = frozenset(w for w in c["named"] | c["place"]
                                if not _ending_in(w, c["neg_words"], c["neg_lengths"]))
    # cheap filters before any jieba cut: a one-character suffix followed by a character
    # that continues another word (局面, 处理, 组织), a place not followed by what an
    # acting place is followed by (召开, 、, ( …)
    cont = suf["continuations"]
    tail = {}  # suffix -> what must (not) follow it
    for a in alts:
        p = ""
        if a in cont:
            p += "(?![%s])" % re.escape(cont[a])
        if a in places and a not in named:
            p += "(?=[%s]|%s)" % (re.escape(suf["place_next"]),
                                  "|".join(map(re.escape, lex["actor_next"])))
        tail[a] = p
    # the anchor scans the whole text: the standard library's engine runs this literal
    # alternation three times faster than `regex` (31 vs 9 M chars/s), and a quarter
    # faster again as a trie (委(?:员会|…)) than as a flat list of suffixes
    c["anchor"] = re.compile(_trie_pattern(alts, tail))
    # a place after a collective word (各县市区, 每个县市区) needs no right context
    c["collective_place"] = re.compile("(?:%s)[\u4e00-\u9fff]{0,6}?(%s)" % (
        "|".join(map(re.escape, sorted(lex["collective"], key=len, reverse=True))),
        "|".join(map(re.escape, sorted(places - named, key=len, reverse=True)))))
    return c


def _trie_pattern(words, tail: dict) -> str:
    """A regex matching the longest of `words` (each followed by its `tail` pattern) at a
    position, as the alternation of the words longest first does: at each character the
    longer words are tried before the word that ends there."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = w

    def alternatives(node) -> list[str]:
        out = [re.escape(ch) + group(child) for ch, child in node.items() if ch]
        if "" in node:
            out.append(tail[node[""]])
        return out

    def group(node) -> str:
        alts = alternatives(node)
        return alts[0] if len(alts) == 1 else "(?:%s)" % "|".join(alts)

    return "|".join(alternatives(trie))


def _neg_at_anchor(a: str, c) -> bool | tuple:
    """Whether a non-unit word of at most _NEG_BACK characters ends where anchor `a`
    ends: True when one ends `a` itself, else the lengths of those reaching left of `a`
    (干部, 格局 for 部, 局), to look up in the text."""
    lengths = c["neg_lengths"].get(a[-1], ())
    if any(n <= min(len(a), _NEG_BACK) and a[-n:] in c["neg_words"] for n in lengths):
        return True
    return tuple(n for n in lengths if len(a) < n <= _NEG_BACK)


def _lengths_by_last(words) -> dict:
    """Last character -> lengths of the words ending with it, longest first."""
    out: dict = {}
    for w in words:
        out.setdefault(w[-1], set()).add(len(w))
    return {ch: tuple(sorted(ns, reverse=True)) for ch, ns in out.items()}


def _ending_in(word: str, words: frozenset, lengths: dict) -> str | None:
    """The longest of `words` that `word` ends with (lengths: _lengths_by_last(words))."""
    ns = lengths.get(word[-1]) if word else None
    if ns:
        m = len(word)
        for n in ns:
            if n <= m and word[-n:] in words:
                return word[-n:]
    return None


_SUFFIXES: dict = {}  # word -> _suffix_of(word): words are vocabulary, few recur often


def _suffix_of(word: str, cfg) -> str | None:
    """The longest unit suffix a jieba word ends with (memoized in _SUFFIXES)."""
    suf = _SUFFIXES.get(word, _SUFFIXES)
    if suf is _SUFFIXES:
        suf = _ending_in(word, cfg["all_suffixes"], cfg["suffix_lengths"])
        if len(_SUFFIXES) < 100000:  # bounded in a long-running process
            _SUFFIXES[word] = suf
    return suf


def _is_unit_word(word: str, flag: str, cfg) -> bool:
    """Whether a jieba word can close a unit name (科技局, 服务中心, 委), not 格局/举办."""
    if word in cfg["unit_words"]:
        return True
    neg = cfg["neg_lengths"]
    if word[-1:] in neg and _ending_in(word, cfg["neg_words"], neg):
        return False
    # (a suffix or place word is in unit_words unless it ends in a non-unit word)
    if flag == "nt":
        return True
    suf = _suffix_of(word, cfg)
    if suf is None:
        return False
    # a one-character suffix glued into a longer dictionary word is usually another
    # word (干部, 格局); abbreviations (发改委/j) and names jieba guessed are kept
    if len(suf) >= 2 or flag in ("j", "nz", "nr", "nrt", "ns"):
        return True
    # 慰问组, 园镇: a one-character suffix closing a noun jieba does not list as a word
    return flag == "n" and (len(word) >= 3 or suf in cfg["place"])


class _Clause:
    """A clause cut by jieba once, with helpers to read names inside it."""

    __slots__ = ("lo", "hi", "clo", "chi", "text", "words", "ends", "glued")

    def __init__(self, text: str, lo: int, hi: int, clo: int, chi: int):
        self.lo, self.hi = lo, hi  # the window cut
        self.clo, self.chi = clo, chi  # the clause around it
        self.text = text
        # jieba cuts the window when a name is first read in it (_name_at): an anchor
        # that the rules needing no words reject costs no cut, and a later anchor inside
        # the window still reads the same cut
        self.words = self.ends = None

    def cut(self) -> None:
        self.words, self.ends = segment.window_spans(self.text[self.lo:self.hi])


def _read_left(cl: _Clause, k: int, cfg, limit: int) -> list[int]:
    """Indices of the name words before word k (left to right), stopping at a non-name
    word; brackets and quotes are taken whole when what they hold fits a name."""
    words, roles = cl.words, _ROLES
    out: list[int] = []
    j = k - 1
    length = 0
    while j >= 0:
        s, e, w, f = words[j]
        if w in (")", "”"):
            opener = "(" if w == ")" else "“"
            i = j - 1
            while i >= 0 and k - i < 12 and words[i][2] != opener:
                i -= 1
            if i < 0 or words[i][2] != opener:
                break
            inner = "".join(x[2] for x in words[i:j + 1])
            if w == ")" and not cfg["paren_full"].match(inner):
                break
            if w == "”" and (len(inner) > 12 or any(x[3] == "x" and x[2] not in "“”、"
                                                     for x in words[i + 1:j])):
                break
            out[:0] = range(i, j + 1)
            length += e - words[i][0]
            j = i - 1
            continue
        role = roles.get((w, f))
        if role is None:
            role = _word_role(w, f, cfg)
        if role is _GLUED:
            out.insert(0, j)  # 经市 -> the prefix 市 joins the name (segment.glued_admin_prefix)
            cl.glued = j
            break
        if role is _STOP and not (f == "m" and k < len(words)
                         and _numeral_place(w, words[out[0] if out else k], cfg)):
            break
        if out and words[out[0]][3].startswith("v") \
                and (f == "nt" or _suffix_of(w, cfg) in cfg["named"]):
            # a unit before a verb is its subject: 中国科学院|合作共建研究院
            while out and words[out[0]][3].startswith("v"):
                out.pop(0)
            break
        if out and words[out[0]][2] in cfg["admin"] and not (
                f in ("ns", "nt", "j") or cfg["collective_re"].match(w)
                or w in cfg["before_admin"] or _suffix_of(w, cfg) in cfg["place"]):
            break  # 市财政 after 平台: only a place or a collective word goes before 市
        length += e - s
        if length > limit:
            break
        out.insert(0, j)
        j -= 1
    return out


# What a word is when a name is read leftwards, by (word, POS flag): the same few
# hundred words come up in every document, and the rules behind it cost several calls
_GLUED, _STOP, _NAME = "glued", "stop", "name"
_ROLES: dict = {}


def _word_role(w: str, f: str, cfg) -> str:
    """_GLUED for a preposition glued to an administrative prefix (经市), _STOP for a word
    that ends a name (a verb, a function word; not a collective word: 各, 所有), else _NAME;
    memoized in _ROLES."""
    if len(w) == 2 and segment.glued_admin_prefix(w):  # (only a two-character word is)
        role = _GLUED
    elif segment.is_stop(w, f) and not cfg["collective_re"].match(w):
        role = _STOP
    else:
        role = _NAME
    if len(_ROLES) < 100000:  # bounded in a long-running process
        _ROLES[(w, f)] = role
    return role


def _numeral_place(word: str, right, cfg) -> bool:
    """A numeral word that begins a place name (十八里|铺镇), not a count (两个|县市区)."""
    return (cfg["numeral_place"].fullmatch(word) is not None
            and (right[3] == "ns" or _suffix_of(right[2], cfg) in cfg["place"]))


def _trim_governing_verb(cl: _Clause, idx: list[int], cfg) -> list[int]:
    """Drop leading verbs that govern the name rather than belong to it: a name goes on
    with a place or an administrative prefix only at its start (协调|市发改委,
    启动申报|山东海洋技术大学)."""
    if len(idx) < 2:
        return idx
    admin = cfg["admin"]
    n = 0
    while n < len(idx) - 1:
        w, f = cl.words[idx[n]][2], cl.words[idx[n]][3]
        if not (f.startswith("v") or w in cfg["name_verbs"]):
            break
        n += 1
    nxt, nf = cl.words[idx[n]][2], cl.words[idx[n]][3]
    return idx[n:] if n and (nxt in admin or nf == "ns") else idx


def _split_points(cl: _Clause, idx: list[int], cfg) -> list[int]:
    """Word indices where a second, coordinated unit starts (市委|市政府, 党委|政府)."""
    cuts = []
    words = cl.words
    admin, top, named = cfg["admin"], cfg["top"], cfg["named"]
    last = len(idx) - 1
    for n in range(1, last + 1):
        w, prev = words[idx[n]][2], words[idx[n - 1]]
        # a top-level body, or any unit opening with its own administrative prefix
        # (市发改委|市信用办): no unit name goes on with 市/县 after a complete unit
        starts_top = w in top or (w in admin and n < last)
        if starts_top and (prev[3] == "nt" or _suffix_of(prev[2], cfg) in named):
            cuts.append(idx[n])
    return cuts


def _head(cl: _Clause, text: str, ms: int, e: int, cfg):
    """The word that closes the name at `e` and the index of the last word read before it.

    Returns (head start, head word, head flag, index of the word left of the head, partial
    name text glued to the head's left inside one jieba word) or None."""
    lo = cl.lo
    ends = cl.ends
    k = bisect_left(ends, e - lo)  # the word ending at e, or the one holding e
    if k >= len(ends):
        return None
    if ends[k] != e - lo:
        # the unit runs into a job title inside one word (市委书记, 局长): cut it there
        s, we, w, f = cl.words[k]
        if w[e - lo - s:] in cfg["titles"] and s <= ms - lo:
            w = w[:e - lo - s]
            return lo + s, w, segment.word_flag(w) or "n", k - 1, ""
        if e - ms < 3:
            return None
        # a long suffix is trusted over a word jieba glued across its end (办事|处分管)
    else:
        s, _, w, f = cl.words[k]
        if s <= ms - lo:
            return lo + s, w, f, k - 1, ""
    # the suffix spans several words (人社部|门 for 人社|部门): the suffix is the head
    j = k
    while j >= 0 and cl.words[j][0] > ms - lo:
        j -= 1
    if j < 0:
        return None
    partial = text[lo + cl.words[j][0]:ms] if cl.words[j][0] < ms - lo else ""
    return ms, text[ms:e], "n", (j - 1 if partial else j), partial


def _clause_bounds(text: str, ms: int, e: int, back: int) -> tuple[int, int]:
    """The clause around an anchor: from the last hard punctuation at most `back`
    characters left of its end to the next one at most _LOOK_RIGHT to its right."""
    lo = e - back if e > back else 0
    hi = e + _LOOK_RIGHT
    if hi > len(text):
        hi = len(text)
    lp = _LAST_HARD.match(text, lo, ms)
    np_ = _NEXT_HARD.search(text, e, hi)
    return lp.end() if lp else lo, np_.start() if np_ else hi


def _name_at(cl: _Clause, text: str, ms: int, e: int, cfg) -> tuple:
    """The name ending at `e` read in the window: (index of its first word in the window,
    then head start, head word, flag, index left of the head, partial, name word indices);
    (first index, "self", start) for 我局; (first index, None) when no unit ends here."""
    if cl.words is None:
        cl.cut()
    h = _head(cl, text, ms, e, cfg)
    if h is None:
        return (0 if cl.words and cl.lo + cl.words[0][1] >= ms else 2, None)
    hs, w, f, k, partial = h
    first = k + 1 if not partial else k  # the head's word, or the word holding `partial`
    if len(w) == 2 and w[0] in cfg["self"] and w[1] in cfg["named"]:
        return (first, "self", hs)
    if not _is_unit_word(w, f, cfg):
        return (first, None)
    cl.glued = -1
    idx = [] if partial and segment.is_stop(partial, "n") else \
        _read_left(cl, k + 1, cfg, cfg["max_len"] - len(w) - len(partial))
    # a name read up to the window's edge may go on left of it, and the window's first
    # word, which stopped it, may be a piece of a longer word or of a bracket (县(市、区)
    # cut after 县); a name stopped by a later word is complete
    first = idx[0] if idx else first
    if len(idx) > 1:  # (a verb is trimmed only before another name word)
        idx = _trim_governing_verb(cl, idx, cfg)
    return (first, hs, w, f, k, partial, idx)


_RULE_KEYS = itemgetter(
    "neg_right_first", "neg_right", "paren", "kind_first", "kind", "needs_collective", "place",
    "named", "coord_only", "standalone", "generic", "bad_qualifiers", "project_before",
    "project_verb", "self", "distributive", "organ_title", "all_suffixes")


def find(text: str) -> list[tuple[int, int]]:
    cfg = _cfg()
    found: list[tuple[int, int, str]] = []  # (start, end, kind)
    cl = None
    max_len = cfg["max_len"]
    back = max_len + 6  # window left of an anchor: the longest name and a word before it
    # a cut costs ~14 µs a window; prose needs one per ~55 characters. Pathological
    # input (suffix characters without punctuation) is cut off at one per 30 characters.
    cuts, budget = 0, 200 + len(text) // 30
    neg_words, neg_at_anchor = cfg["neg_words"], cfg["neg_at_anchor"]
    party_organs, facility_last = cfg["party_organs"], cfg["not_unit_lengths"]
    # the rules below run per anchor: their vocabulary and patterns as locals
    (neg_right_first, neg_right, paren, kind_first, kind_re, needs_collective, place,
     named, coord_only, standalone, generic, bad_qualifiers, project_before, project_verb,
     self_words, distributive, organ_title, all_suffixes) = _RULE_KEYS(cfg)
    anchors = [m.span() for m in cfg["anchor"].finditer(text)]
    extra = [m.span(1) for m in cfg["collective_place"].finditer(text)]
    if extra:
        anchors = sorted(set(anchors) | set(extra))
    # nothing inside a 《…》 title counts: the anchor ends inside one
    in_title = _ends_inside([m.span() for m in _BOOK.finditer(text)], anchors) \
        if "《" in text else ()
    for i, (ms, e) in enumerate(anchors):
        if e in in_title:
            continue
        # cheap rejections before any cut: a one-character suffix has no name before it
        # (党(工)委 has one), or a known non-unit word ends here (社区, 部署, 格局)
        if e - ms == 1 and (ms == 0 or not ("\u4e00" <= text[ms - 1] <= "\u9fff"
                                            or text[ms - 1] in ")”")):
            continue
        # (the anchor word settles most: see _neg_at_anchor)
        neg = neg_at_anchor[text[ms:e]]
        if neg is not True:
            for n in neg:
                if n <= e and text[e - n:e] in neg_words:
                    neg = True
                    break
        if neg is True:
            continue
        if e - ms > 1 and text[ms:e] in party_organs and organ_title.match(text, e) \
                and _ending_in(text[max(0, ms - 3):ms], all_suffixes, cfg["suffix_lengths"]) \
                in named:
            continue  # 教育局党组书记: the unit is 教育局, 党组书记 a post
        # jieba cuts a short window around the anchor, widened to the clause only when
        # the name reaches the window's left edge; the next anchors reuse a window that
        # holds them
        if not (cl is not None and cl.lo <= ms and e + 2 <= cl.hi):
            cuts += 1
            if cuts > budget:
                break  # text dense with suffixes and no punctuation: not prose; stop here
            clo, chi = _clause_bounds(text, ms, e, back)
            lo = max(clo, ms - _LEFT)
            lo = _window_start(text, lo, ms, clo)
            # anchors that follow closely (市委|宣传部, 领导小组|办公室) share the cut
            reach, j = e, i + 1
            while j < len(anchors) and anchors[j][1] - reach <= _CHAIN:
                reach, j = max(reach, anchors[j][1]), j + 1
            hi = min(chi, reach + _RIGHT)
            b = _SEP.search(text, e, hi)
            cl = _Clause(text, lo, b.start() if b else hi, clo, chi)
        # most anchors end in no facility head's last character: no call for them
        facility = text[e - 1] in facility_last and _facility_end(text, e, cfg)
        if _rejected_unread(text, ms, e, min(cl.lo, e - back), facility, cfg):
            continue
        r = _name_at(cl, text, ms, e, cfg)
        while r[0] <= 1 and cl.lo > cl.clo and not _SEP.match(text, cl.lo - 1):
            clo, chi = _clause_bounds(text, ms, e, back)
            if clo >= cl.lo:
                break
            cuts += 1
            lo = clo if cl.lo - clo <= _WIDEN else cl.lo - _WIDEN
            lo = _window_start(text, lo, cl.lo, clo)
            cl = _Clause(text, lo, max(cl.hi, min(chi, e + _RIGHT)), clo, chi)
            r = _name_at(cl, text, ms, e, cfg)
        if r[1] is None:
            continue
        if r[1] == "self":
            found.append((r[2], e, "named"))  # 我局, 我办 cut as one word
            continue
        _, hs, w, f, k, partial, idx = r
        if partial:
            start = hs - len(partial)
        elif idx:
            start = cl.lo + cl.words[idx[0]][0] + (1 if idx[0] == cl.glued else 0)
        else:
            start = hs
        end = e
        pm = paren.match(text, end) if text[end:end + 1] == "(" else None
        if pm:
            end = pm.end()
        # a regex is tried only where its first character is (most anchors fail here)
        if (text[end:end + 1] in neg_right_first and neg_right.match(text, end)) \
                or _quoted(text, start, end, cl.clo, cl.chi):
            continue
        if facility:
            # a platform or facility; one being built is kept as a project so that the
            # names listed after it are read as facilities too
            if project_verb.search(text, max(0, e - 14), start):
                found.append((start, end, "project"))
            continue
        head = w if w in all_suffixes else _suffix_of(w, cfg) or w
        has_name = bool(idx or partial) or len(w) > len(head)
        if text[start:start + 1] in kind_first and kind_re.match(text, start):
            continue
        if head in needs_collective and not distributive.match(text, start):
            continue
        if head in place and f != "nt" and head not in named:
            if not has_name and len(w) == 1:
                continue
            kind = "place" if _place_acts(text, start, end, cl.clo, cfg) else "place?"
        elif not has_name and w in coord_only:
            kind = "coord"
        elif not has_name and w not in standalone and f != "nt":
            # a bare 局/办 counts only as the unit speaking of itself (我局, 我办)
            if len(w) == 1 and hs > 0 and text[hs - 1] in self_words:
                start, kind = hs - 1, "named"
            else:
                continue
        elif head in generic and any(
                x in bad_qualifiers for x in [cl.words[i][2] for i in idx]
                + ([partial] if partial else []) + [w[:len(w) - len(head)]]):
            continue
        else:
            kind = "named"
        if kind == "named" and project_before.search(text, max(0, start - 10), start):
            kind = "project"
        # split coordinated top-level bodies (市委市政府; 镇党委政府)
        prev = start
        if idx:  # a name of one word has nothing to split
            head_word = k + 1 < len(cl.words) and hs == cl.lo + cl.words[k + 1][0]
            for c in _split_points(cl, idx + [k + 1] if head_word else idx, cfg):
                found.append((prev, cl.lo + cl.words[c][0],
                              "named" if kind != "project" else kind))
                prev = cl.lo + cl.words[c][0]
        found.append((prev, end, kind))
    return _resolve(text, found, cfg)


def _window_start(text: str, lo: int, end: int, clo: int) -> int:
    """Where a window reaching back to `lo` starts: after the last character jieba splits
    blocks at before `end` (no word crosses it), or at the clause start `clo` when that
    character is a closing bracket or quote, which is read whole with the name."""
    b = _LAST_SEP.match(text, lo, end)
    if not b:
        return lo
    return clo if text[b.end() - 1] in ")”" else b.end()


def _ends_inside(spans: list[tuple[int, int]], anchors: list[tuple[int, int]]) -> set[int]:
    """The anchor ends e with s < e <= t for a span (s, t) of `spans` (which do not
    overlap): one bisect per span rather than one per anchor."""
    ends = sorted(e for _, e in anchors)
    out = set()
    for s, t in spans:
        k = bisect_right(ends, s)
        while k < len(ends) and ends[k] <= t:
            out.add(ends[k])
            k += 1
    return out


def _rejected_unread(text: str, ms: int, e: int, lo: int, facility: bool, cfg) -> bool:
    """Whether a rule below that reads no word rejects the name ending at `e` wherever
    the cut puts its start (>= lo): a modifier follows it (政府投资), it ends as a
    facility with no building verb before it (研究中心), or its head needs a collective
    word and none precedes it (信息系统, 金融机构). Unit speaking of itself (我局) is
    read before these rules and never rejected here."""
    if e >= 2 and text[e - 2] in cfg["self"] and text[e - 1] in cfg["named"]:
        return False
    if text[e:e + 1] in cfg["neg_right_first"] and cfg["neg_right"].match(text, e):
        return True
    if facility:
        return not cfg["project_verb"].search(text, max(0, e - 14), e)
    return text[ms:e] in cfg["collective_heads"] \
        and not cfg["distributive"].search(text, max(0, lo), e)


def _facility_end(text: str, e: int, cfg) -> bool:
    """A platform or facility name ends at `e` (研究中心, 实验室, 工作站)."""
    lengths = cfg["not_unit_lengths"]
    return text[e - 1] in lengths \
        and _ending_in(text[max(0, e - 8):e], cfg["not_unit"], lengths) is not None


def _quoted(text, start, end, lo, hi) -> bool:
    """Inside a “…” pair of the clause (推行“党工委(管委会)+”模式; 更名“大学”)."""
    op = text.rfind("“", lo, start + 1)
    if op < 0 or text.find("”", op, start) >= 0:
        return False
    cl = text.find("”", end, hi)
    return cl >= 0 and text.find("“", end, cl) < 0


def _place_acts(text, start, end, lo, cfg) -> bool:
    """A place is an organization when a collective determiner leads it (各县市区) or
    it opens a clause as the subject of an action (高新区召开…; 莘县妹冢镇:…)."""
    if cfg["collective_re"].match(text, start):
        return True
    if start == lo or text[start - 1] in "\n ,，。;；)":
        return bool(cfg["actor_next"].match(text, end))
    return False


def _resolve(text: str, found: list[tuple[int, int, str]], cfg) -> list[tuple[int, int]]:
    """Keep the longest of nested names; then places and bare heads that stand beside a
    kept unit, where they overlap nothing kept."""
    def flat(cands):
        kept: list[tuple[int, int, str]] = []
        for s, e, kind in sorted(set(cands), key=lambda x: (x[0], -(x[1] - x[0]))):
            if kept and s < kept[-1][1]:
                if e > kept[-1][1] and e - s > kept[-1][1] - kept[-1][0]:
                    kept[-1] = (s, e, kind)
                continue
            kept.append((s, e, kind))
        return kept

    sure = flat(c for c in found if c[2] in ("named", "place", "project"))
    # a facility being built is no unit, nor are the names listed after it
    # (建设市全民健身中心、国际足球学校、电子竞技学院)
    for i in range(1, len(sure)):
        if sure[i - 1][2] == "project" and _adjacent(text, sure, i, i - 1):
            sure[i] = (sure[i][0], sure[i][1], "project")
    sure = [c for c in sure if c[2] != "project"]
    maybe = [c for c in found if c[2] in ("coord", "place?")]
    if maybe:
        starts = [c[0] for c in sure]
        free = []
        for c in maybe:
            k = bisect_left(starts, c[1])
            if k == 0 or sure[k - 1][1] <= c[0]:
                free.append(c)
        allc = sorted(sure + flat(free))
        sure = [c for i, c in enumerate(allc)
                if c[2] in ("named", "place") or _beside_unit(text, allc, i, cfg)]
    return [(s, e) for s, e, _ in sure]


def _adjacent(text: str, kept, i: int, j: int) -> bool:
    a, b = (kept[j][1], kept[i][0]) if j < i else (kept[i][1], kept[j][0])
    gap = text[a:b]
    return len(gap) <= 2 and all(ch in _COORD for ch in gap)


def _beside_unit(text, kept, i, cfg) -> bool:
    """Whether candidate i is coordinated with a unit: a named one or an acting place
    (县市区、市属开发区党(工)委), or, for two bare top-level bodies, each other (党委、政府)."""
    s, e, kind = kept[i]
    for j in (i - 1, i + 1):
        if not (0 <= j < len(kept)) or not _adjacent(text, kept, i, j):
            continue
        other = kept[j][2]
        if other in ("named", "place"):
            return True
        if kind == "coord" and other == "coord" and text[s:e] in cfg["top"] \
                and text[kept[j][0]:kept[j][1]] in cfg["top"]:
            return True
    return False


def _after_earlier(spans: list[tuple[int, int]], taken: list[tuple[int, int]]):
    """Cut each name to what lies right of an earlier mention inside it (a time, a
    quantity: 两级 in 市、城区两级创城指挥部), so that the unit itself survives."""
    if not taken:
        return spans
    taken = sorted(taken)
    starts = [a for a, _ in taken]
    out = []
    for s, e in spans:
        k = bisect_left(starts, e)
        cut = s
        for a, b in taken[max(0, k - 8):k]:
            if b > cut and a < e:
                cut = max(cut, b)
        if e - cut >= 2:
            out.append((cut, e))
    return out


@register_extractor("org")
def extract(ctx):
    text = ctx.text
    spans = _after_earlier(find(text), [(c.start, c.end) for c in ctx.candidates])
    labels = _cfg()["labels"]
    return [Candidate("org", s, e, None) for s, e in spans
            if not (text[e:e + 1] == ":" and text[s:e] in labels)]
