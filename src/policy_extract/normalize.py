"""Normalization: one simplified-script, clean text for the extractors, plus a map back.

Steps, each recorded in the offset map so that every extracted span can be reported at
its exact place in the original text:

1. deletions on the original: pinyin romanization inserted after characters
   (`關(guān)于` -> `關于`) and line breaks that page layout put inside a sentence;
2. full-width ASCII folded to half-width (one character for one, no map change);
3. OpenCC traditional -> simplified. Phrase tables may change a stretch's length, so
   lines whose length changed are aligned character by character and mapped as blocks.

Mojibake is detected and reported, never repaired: a repair would invent text.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
import weakref
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import add, getitem

import regex

from .models import MojibakeSpan, NormalizationReport
from .offsets import OffsetMap, apply_edits, delete_spans
from .resources import load_yaml

_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH["\u3000"] = " "
_FULLWIDTH_RE = re.compile(r"[\uff01-\uff5e\u3000]")
# Script detection looks at a sample: enough to tell the script, cheap on 50 MB files.
_SCRIPT_SAMPLE = 10000
# The standard library scans a plain character class like this one four times faster.
_MOJIBAKE_START = re.compile(r"[?\ufffd\ue000-\uf8ff\u3220-\u3243ÃÂâ]")
_QUESTION_WINDOW = 80  # how far back a question word may open the question


@dataclass
class Normalized:
    original: str
    text: str
    map: OffsetMap
    report: NormalizationReport

    def to_orig(self, start: int, end: int) -> tuple[int, int]:
        return self.map.span(start, end)


@lru_cache(maxsize=1)
def _converters():
    import opencc  # the C++ binding: ~20 M characters/s

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@lru_cache(maxsize=1)
def _patterns():
    cfg = load_yaml("normalize/normalize.yaml")
    py = cfg["pinyin"]
    tones = py["tone_marks"]
    # A word is a syllable when, stripped of its marks, it is an initial (or none) and a
    # final: a set of those ~900 strings answers that faster than a pattern.
    syllables = {i + f for i in [""] + py["initials"] for f in py["finals"]}
    # Stripping marks per letter: what NFD leaves of it without combining characters
    # (the words are single letters side by side, so NFD works letter by letter).
    letters = "abcdefghijklmnopqrstuvwxyzü" + tones
    strip = str.maketrans({c: "".join(d for d in unicodedata.normalize("NFD", c)
                                      if not unicodedata.combining(d)) for c in letters})
    # The character before must be Han; that is checked per candidate (memoized), since
    # the standard library's split() finds the candidates twice as fast as `regex` would
    # with the lookbehind, and a pattern opening on "(" keeps its fast scan.
    romanization = re.compile(r"(\([%s]{1,7}\))" % letters)
    lj = cfg["line_join"]
    # A break inside a sentence: a non-terminal character, newlines (and blank lines), and
    # a Han character or opening quote on the next line. The match opens on the newline,
    # so that the scan jumps between newlines; the blanks before it (group "blank") are
    # part of the break.
    term = regex.escape(lj["terminal_chars"])
    join = regex.compile(r"\n(?<=[^\s%s](?P<blank>[ \t]*)\n)(?:[ \t]*\n)*[ \t]*(?=[\p{Han}“‘《])"
                         % term)
    heading = regex.compile(lj["heading_start"])
    moj = cfg["mojibake"]
    mojibake = regex.compile("|".join("(?:%s)" % p for p in moj["patterns"])
                             + r"|(?<=\p{Han})\?(?=\p{Han})")
    qwords = regex.compile("|".join(map(regex.escape, moj["question_words"])))
    word_check = (syllables, strip, set(tones), regex.compile(r"\p{Han}"))
    return (romanization, word_check, join, heading, lj["min_line_length"], mojibake, qwords)


@lru_cache(maxsize=4096)  # a romanized text repeats a few hundred character-syllable pairs
def _is_romanization(candidate: str) -> bool:
    """`candidate` is a parenthesized word and the character before it ("關(guān)"), or
    the word alone ("(guān)") at the start of the text or right after another word."""
    syllables, strip, tones, han = _patterns()[1]
    word = candidate[2:-1]
    return (han.match(candidate) is not None and not tones.isdisjoint(word)
            and word.translate(strip) in syllables)


_LAST = slice(-1, None)


def _romanization(text: str) -> list[tuple[int, int]]:
    """Spans of the romanization to remove, in text order."""
    parts = _patterns()[0].split(text)  # [text, "(word)", text, "(word)", ..., text]
    if len(parts) == 1:
        return []
    # A text romanized throughout has a match every few characters: split() hands all of
    # them back in one call, where finditer() costs a match object each. The spans
    # follow from the running lengths; each word is judged with the last character of
    # the text before it.
    bounds = list(accumulate(map(len, parts)))
    before = map(getitem, parts[0:-1:2], repeat(_LAST))
    return list(compress(zip(bounds[0::2], bounds[1::2]),
                         map(_is_romanization, map(add, before, parts[1::2]))))


def _deletions(text: str):
    """Spans (start, end) removing romanization and mid-sentence line breaks, in text order."""
    _, _, join, heading, min_len, _, _ = _patterns()
    spans = _romanization(text)
    n_rom = len(spans)
    joins = []
    for m in join.finditer(text):
        start, end = m.start("blank"), m.end()
        # Short lines (titles, captions) end where they end; look back only min_len chars.
        if text.rfind("\n", max(0, start - min_len), start) >= 0 or start < min_len:
            continue
        nxt = text[end: end + 12]
        if heading.match(nxt):
            continue
        joins.append((start, end))
    if joins:
        # Romanization never contains a newline, so the two kinds cannot overlap.
        spans = sorted(spans + joins)
    return spans, n_rom, len(joins)


def _align_line(src: str, dst: str, base: int):
    """Edits turning line `src` into `dst` (a length-changing OpenCC rewrite)."""
    edits = []
    sm = difflib.SequenceMatcher(None, src, dst, autojunk=False)
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            continue
        same = op == "replace" and a1 - a0 == b1 - b0
        edits.append((base + a0, base + a1, dst[b0:b1], same))
    return edits


def _convert(text: str) -> tuple[str, OffsetMap | None, int]:
    """OpenCC t2s; returns the text, a map when any length changed, and how many lines."""
    t2s, _ = _converters()
    out = t2s.convert(text)
    if len(out) == len(text):
        # Equal total length: check line by line, since growth in one line could hide
        # shrinking in another. Lines are cut the same way in both texts.
        if out.count("\n") == text.count("\n"):
            src_lines = text.split("\n")
            dst_lines = out.split("\n")
            if list(map(len, src_lines)) == list(map(len, dst_lines)):
                return out, None, 0
    src_lines = text.split("\n")
    dst_lines = out.split("\n")
    if len(src_lines) != len(dst_lines):  # a phrase rule touched a newline: convert per line
        dst_lines = [t2s.convert(line) for line in src_lines]
        out = "\n".join(dst_lines)
    edits = []
    pos = 0
    changed = 0
    for a, b in zip(src_lines, dst_lines):
        if a != b:
            if len(a) != len(b):
                edits.extend(_align_line(a, b, pos))
                changed += 1
            else:
                edits.append((pos, pos + len(a), b, True))
        pos += len(a) + 1
    new, m = apply_edits(text, edits)
    assert new == out
    return out, m, changed


# Per converter: (characters looked up so far, those it changes on their own). Keyed
# weakly by the converter itself: an id() could be reused by a later converter.
_CHAR_CONVERSIONS: "weakref.WeakKeyDictionary[object, tuple[set, set]]" = weakref.WeakKeyDictionary()


def _changed_chars(distinct: set, converter) -> int:
    """How many of the distinct characters the converter changes on their own.
    Single-character conversions are memoized per process, so a document costs a set()
    of its characters and a few set operations."""
    seen, changed = _CHAR_CONVERSIONS.setdefault(converter, (set(), set()))
    new = list(distinct - seen - {"\n"})
    if new:  # one per line, so no phrase rule applies
        out = converter.convert("\n".join(new)).split("\n")
        seen.update(new)
        if len(out) == len(new):
            changed.update(c for c, d in zip(new, out) if d != c)
    return len(distinct & changed)


def detect_script(text: str) -> tuple[str, int]:
    """'simplified', 'traditional', 'mixed' or 'none', and how many distinct traditional
    characters the text's opening (_SCRIPT_SAMPLE characters) holds."""
    t2s, s2t = _converters()
    distinct = set(text[:_SCRIPT_SAMPLE])
    n_trad = _changed_chars(distinct, t2s)
    n_simp = _changed_chars(distinct, s2t)
    if not n_trad and not n_simp:
        has_han = any("\u4e00" <= c <= "\u9fff" for c in distinct)
        return ("simplified" if has_han else "none"), 0
    # A few characters are shared or converted by context (干, 于); a small share of the
    # other script is noise, a large share is a mixed text.
    if n_trad > 0 and n_simp > 0.15 * n_trad and n_trad > 0.15 * n_simp:
        return "mixed", n_trad
    return ("traditional" if n_trad > n_simp else "simplified"), n_trad


def _mojibake(norm: str, m: OffsetMap, original: str) -> list[MojibakeSpan]:
    *_, pattern, qwords = _patterns()
    spans: list[list[int]] = []
    pos = 0
    while True:
        # Jump between the few characters that can start mojibake, then match in place:
        # much faster than letting the alternation try every position.
        cand = _MOJIBAKE_START.search(norm, pos)
        if cand is None:
            break
        hit = pattern.match(norm, cand.start())
        if hit is None:
            pos = cand.start() + 1
            continue
        s, e = hit.span()
        pos = max(e, s + 1)
        if hit.group() == "?":
            window = max(0, s - _QUESTION_WINDOW)
            sent_start = max(norm.rfind(c, window, s) for c in "。！？!?；;\n") + 1
            if qwords.search(norm, max(sent_start, window), s):
                continue
        if spans and s - spans[-1][1] <= 3:
            spans[-1][1] = e
        else:
            spans.append([s, e])
    out = []
    for s, e in spans:
        os_, oe = m.span(s, e)
        out.append(MojibakeSpan(start=os_, end=oe, text=original[os_:oe]))
    return out


def _fold_fullwidth(text: str) -> tuple[str, int]:
    """Full-width forms folded to half-width, and how many there were."""
    n = 0
    m = _FULLWIDTH_RE.search(text)
    while m:
        # One count and one str.replace per distinct form, found again by a search from
        # where the last one started: translate() looks up every character of the text
        # in a dict and is ten times slower on Chinese text, and findall() would make a
        # string of every full-width comma.
        c = m.group()
        n += text.count(c)
        text = text.replace(c, _FULLWIDTH[c])
        m = _FULLWIDTH_RE.search(text, m.start())
    return text, n


def normalize(original: str) -> Normalized:
    """Normalize `original`; the result's map takes normalized offsets back to `original`."""
    cuts, n_rom, n_join = _deletions(original)
    text, m = delete_spans(original, cuts)
    text, n_fw = _fold_fullwidth(text)
    text2, m2, n_changed = _convert(text)
    if m2 is not None:
        m = m.compose(m2)
    script, n_trad = detect_script(original)
    report = NormalizationReport(
        script=script, traditional_chars=n_trad, romanization_removed=n_rom,
        fullwidth_folded=n_fw, lines_joined=n_join, length_changes=n_changed,
        mojibake=_mojibake(text2, m, original))
    return Normalized(original, text2, m, report)
