"""quantity mentions: a numeral with a measure word or unit (62%, 5.7万户, 7-8人,
49微克/立方米), percentages and fractions as unit % (三分之二, 百分之八十, 占2/3).

Not quantities (GUIDELINES): set phrases and slogans (四个意识, 一次性, 一事一议), ordinals,
numbers in names, and whatever an earlier extractor (time, amount, doc_number, phone)
already holds. Units and exclusions are in data/quantity/.
"""
from __future__ import annotations

from bisect import bisect_right

import regex

from ..numbers import (BIG, DIGITS, SMALL, MAGNITUDES, MAG_CLASS, NUMERAL, NUMERAL_GLUE, first_chars,
                       compile_pattern,
                       measure_pattern, parse_fraction, pattern_first_chars,
                       propagate_list_qualifiers,
                       qualifier, read_measure, scan)
from ..pipeline import Candidate, register_extractor
from ..resources import load_lines, load_yaml

UNITS = load_lines("quantity/units.txt")
_EX = load_yaml("quantity/exclusions.yaml")
# Percent-like units: the factor that turns the number into percent.
_PERCENT = {"%": 1.0, "‰": 0.1, "个百分点": 1.0, "百分点": 1.0, "成": 10.0}

_UNIT_SET = frozenset(UNITS)
# Units that begin with a magnitude character (千瓦, 千米, 百分点) are matched by their
# tail, since the numeral takes the magnitude (30万千|瓦); _measure re-attaches it...
_MAG_TAILS = frozenset(u[1:] for u in UNITS if MAGNITUDES.intersection(u[:1]) and len(u) > 1)
# ...unless the magnitude is the place of a digit after a larger unit: 1万5千米 = 15000 米.
_PLACE_VALUE = regex.compile(rf"[{MAG_CLASS}][^{MAG_CLASS}]+[{MAG_CLASS}]$")
_unit_alt = "|".join(regex.escape(u) for u in sorted(_UNIT_SET | _MAG_TAILS | {"成"},
                                                      key=len, reverse=True))
# a/b is a fraction only in a share statement (占全市的2/3); elsewhere it is a date or a
# ratio. 占 stands up to 8 characters before: one fixed-width lookbehind per distance (the
# standard library's engine reads no other), tried only where a/b follows.
_SHARE_BEFORE = "|".join(rf"(?<=占[^,.;:!?。\d]{{{k}}})" for k in range(9))
_PATTERN = compile_pattern(
    rf"(?P<frac>(?P<den>{NUMERAL})分之(?P<fnum>{NUMERAL}))"
    rf"|(?=[0-9]{{1,4}}/)(?:{_SHARE_BEFORE})(?P<sn>[0-9]{{1,4}})/(?P<sd>[0-9]{{1,4}})(?![0-9/])"
    rf"|(?P<neg>负|(?<![0-9A-Za-z.])-)?" + measure_pattern(_unit_alt, lo_units=r"%|‰")
    + r"(?P<half>(?<=成)半)?")

# Group numbers of _PATTERN: looking a group up by name costs more, on every candidate.
_G = _PATTERN.groupindex
_UNIT, _NUM, _SP, _NEG, _HALF = (_G[k] for k in ("unit", "num", "sp", "neg", "half"))

_FOLLOW = NUMERAL_GLUE | first_chars(UNITS) | first_chars(_PERCENT) | first_chars(_MAG_TAILS)
_FOLLOWERS = frozenset(_EX["unit_followers"])
_TIME_AFTER_GE = regex.compile("|".join(map(regex.escape, _EX["time_after_ge"])))
_SET_PHRASES = regex.compile("|".join(f"(?:{p})" for p in _EX["set_phrases"]))
_SET_FIRST = pattern_first_chars("|".join(_EX["set_phrases"]))   # most numbers skip the match
_QUOTE_MAX = int(_EX["quoted_slogan_max_chars"])
_IDIOM_PARTNERS = frozenset(_EX["idiom_partners"])
_ARTICLE_BEFORE = frozenset(_EX["article_before_yi"])
_CLASS_UNITS = frozenset(_EX["class_units"])
_CN_NUM = frozenset(DIGITS) | frozenset(SMALL) | frozenset(BIG)
_MAGNITUDE = regex.compile(f"[{MAG_CLASS}]")
# 成 is a unit (三成 = 30%) only where no word goes on after it (一成不变, 建成, 成员).
_CHENG_END = regex.compile(r"$|[,.;:!?、。)\s”]|以[上下内]|左右|多|的|上下")
_OPEN_QUOTES = "“‘\"「『"
_CLOSE_QUOTES = "”’\"」』"
_BLOCKING = ("time", "amount", "doc_number", "phone")


def _is_set_phrase(text: str, s: int, e: int) -> bool:
    """Numeral phrases that name rather than count (GUIDELINES: names, slogans, set phrases)."""
    if (_SET_FIRST is None or text[s] in _SET_FIRST) and _SET_PHRASES.match(text, s):
        return True
    first = text[s]
    if first == "一" and e - s == 2 and s > 0 and text[s - 1] in _ARTICLE_BEFORE:
        return True
    if first not in _CN_NUM:
        return False
    # Idioms and names of two numeral+word pairs: 一事一议, 三区三线, 一岗双责, 两学一做,
    # 十九届四中全会, 十届三次会议.
    if e + 1 < len(text) and (text[e] in _CN_NUM or text[e] in _IDIOM_PARTNERS) \
            and text[e + 1] not in _CN_NUM:
        return True
    if e - s == 2 and s >= 2 and text[s - 2] in _CN_NUM and text[s - 1] not in _CN_NUM:
        return True
    # A Chinese numeral opening a short quoted phrase is a slogan: “四个意识”.
    if s > 0 and text[s - 1] in _OPEN_QUOTES:
        close = min((i for i in (text.find(q, e, e + _QUOTE_MAX) for q in _CLOSE_QUOTES)
                     if i >= 0), default=-1)
        if close >= 0:
            return True
    return False


def _inside_title(text: str, s: int) -> bool:
    """Numbers inside a 《title》 belong to the title (a name)."""
    lo = max(0, s - 60)
    o = text.rfind("《", lo, s)
    return o >= 0 and text.rfind("》", o, s) < 0 and text.find("》", s, s + 60) >= 0


def _blocked_spans(ctx):
    spans = sorted((c.start, c.end) for c in ctx.candidates if c.type in _BLOCKING)
    return [a for a, _ in spans], spans


def _value(lo, hi, unit, qual):
    return {"min": lo, "max": hi, "unit": unit, "qualifier": qual}


def _fraction(ctx, m):
    text = ctx.text
    if m.group("frac"):
        v = parse_fraction(m.group("den"), m.group("fnum"))
    else:
        v = parse_fraction(m.group("sd"), m.group("sn"))
    if v is None:
        return None
    s, e = m.span()
    if s > 0 and text[s - 1] == "第":
        return None
    return Candidate("quantity", s, e, _value(v, v, "%", qualifier(text, s, e)))


def _measure(ctx, m):
    text = ctx.text
    spans = m.regs
    e = spans[0][1]
    unit = text[spans[_UNIT][0]:spans[_UNIT][1]]
    if unit == "成" and not _CHENG_END.match(text, e):
        return None
    if text[e:e + 1] in _FOLLOWERS:
        return None
    if unit[-1].isascii() and unit[-1].isalnum() and text[e:e + 1].isascii() \
            and text[e:e + 1].isalnum():
        return None     # 5kWp, 3kmh: the unit goes on
    if unit == "个" and _TIME_AFTER_GE.match(text, e):
        return None
    num_end = None
    num_s, num_e = spans[_NUM]
    num = text[num_s:num_e]
    if len(num) > 1 and num[-1] in MAGNITUDES and num[-1] + unit in _UNIT_SET \
            and not _PLACE_VALUE.search(num):
        num_end, unit = num_e - 1, num[-1] + unit    # 5千米 is 5 km, 30万|千瓦
    elif unit not in _UNIT_SET and unit != "成":
        return None
    r = read_measure(ctx, m, num_end)
    if r is None:
        return None
    s, e, lo, hi, qual = r
    num = text[num_s:num_end or num_e]
    if spans[_SP][0] >= 0 and (not num[-1:].isdigit() or s == 0 or text[s - 1] == "\n"):
        return None     # "5 家" mid-sentence counts; "3.1 个人…" opening a line is a heading
    if not num.strip("零〇"):
        return None     # 零部件, 零距离: 零 written out is a word, not a count
    if num == "0" and (s == 0 or not text[s - 1].isdigit()):
        return None     # a lone 0 counted (引进…0人以上, 组织0家企业) is a number lost in
                        # publishing, not zero: GUIDELINES give lost numbers no mention
    if unit in _CLASS_UNITS and _MAGNITUDE.search(num):
        return None
    if _is_set_phrase(text, s, e) or _inside_title(text, s):
        return None
    factor = _PERCENT.get(unit)
    if factor is not None:
        neg_s, neg_e = spans[_NEG]
        if neg_s >= 0 and neg_e == s:
            s = neg_s
            lo, hi = -hi, -lo
        lo, hi = lo * factor, hi * factor
        if spans[_HALF][0] >= 0:
            lo, hi = lo + 5, hi + 5     # 三成半 = 35%
        unit = "%"
    return Candidate("quantity", s, e, _value(round(lo, 10), round(hi, 10), unit, qual))


@register_extractor("quantity")
def extract(ctx):
    text = ctx.text
    starts, spans = _blocked_spans(ctx)
    out: list[Candidate] = []
    for m in scan(ctx, _PATTERN, _FOLLOW):
        c = _measure(ctx, m) if m.regs[_UNIT][0] >= 0 else _fraction(ctx, m)
        if c is None:
            continue
        k = bisect_right(starts, c.end - 1) - 1
        if k >= 0 and spans[k][1] > c.start:
            continue
        out.append(c)
    propagate_list_qualifiers(text, out)
    return out
