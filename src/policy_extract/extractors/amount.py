"""amount mentions: a numeral with a money unit (200万元, 10-20万元, 5000余万元, 8元/平方米),
or a 万/亿 numeral whose money unit the context leaves implicit (补助500万, 500万的资金).

Values in yuan (or the stated currency), qualifiers from the words around the span
(GUIDELINES "amount"). Units and cue words are in data/amount/.
"""
from __future__ import annotations

from bisect import bisect_right

import regex

from ..numbers import (BIG, NUMERAL_GLUE, compile_pattern, first_chars, measure_pattern,
                       propagate_list_qualifiers, read_measure, scan)
from ..pipeline import Candidate, register_extractor
from ..resources import load_yaml

_CUR = load_yaml("amount/currencies.yaml")
UNITS: dict[str, str] = _CUR["units"]
_NOT_AFTER_YUAN = regex.compile("|".join(map(regex.escape, _CUR["not_after_yuan"])))
_DOZEN = _CUR["dozen"]
_unit_alt = "|".join(regex.escape(u) for u in sorted(UNITS, key=len, reverse=True))

_MONEY = compile_pattern(measure_pattern(
    _unit_alt, lo_units=_unit_alt, between=f"(?P<dozen>{regex.escape(_DOZEN)})?"))

_CUES = load_yaml("amount/money_cues.yaml")
_BIG_CLASS = regex.escape("".join(BIG))
# A numeral (or range, 10-20万) ending in 万/亿 with no unit after it: the "unit" is an
# empty match that only looks back at the magnitude (two fixed-width lookbehinds, which
# the standard library's engine reads).
_IMPLIED = compile_pattern(measure_pattern(rf"(?<=[{_BIG_CLASS}])|(?<=[{_BIG_CLASS}][多余])"))
_CUE_AFTER = regex.compile("|".join(map(regex.escape, sorted(_CUES["after"], key=len, reverse=True))))
_CUE_BEFORE = regex.compile("(?:" + "|".join(map(regex.escape, _CUES["before"]))
                            + r")[^,.;:!?、。，；：\n]{0,8}$")
# What may follow an implied-元 number: a clause break, 的, or a comparison word.
_IMPLIED_END = regex.compile(r"$|[,.;:!?、。)\s]|的|以[上下内]|左右|之[内多]|多|余")


_FOLLOW = NUMERAL_GLUE | first_chars(UNITS) | {_DOZEN}
# An implied-元 number ends in 万/亿 (or goes on with a glue character: 10-20万).
_BIG_CHARS = frozenset(BIG)


def _value(lo: float, hi: float, currency: str, qual: str) -> dict:
    return {"min": lo, "max": hi, "currency": currency, "qualifier": qual}


def _implied(ctx, found: list[Candidate]) -> list[Candidate]:
    text = ctx.text
    spans = sorted((c.start, c.end) for c in found)
    starts = [a for a, _ in spans]
    out = []
    for m in scan(ctx, _IMPLIED, NUMERAL_GLUE, _BIG_CHARS):
        s, e = m.span()
        k = bisect_right(starts, e - 1) - 1
        if k >= 0 and spans[k][1] > s:
            continue
        cue_after = _CUE_AFTER.match(text, e, e + 8)
        if not cue_after:
            if not _IMPLIED_END.match(text, e, e + 2):
                continue
            if not _CUE_BEFORE.search(text[max(0, s - 14):s]):
                continue
        r = read_measure(ctx, m)
        if r is None:
            continue
        start, end, lo, hi, qual = r
        out.append(Candidate("amount", start, end, _value(lo, hi, "CNY", qual)))
    return out


@register_extractor("amount")
def extract(ctx):
    text = ctx.text
    out: list[Candidate] = []
    for m in scan(ctx, _MONEY, _FOLLOW):
        unit = m.group("unit")
        if unit == "元" and _NOT_AFTER_YUAN.match(text, m.end()):
            continue
        r = read_measure(ctx, m)
        if r is None:
            continue
        start, end, lo, hi, qual = r
        if m.group("dozen"):
            lo, hi = lo * 12, hi * 12
        out.append(Candidate("amount", start, end, _value(lo, hi, UNITS[unit], qual)))
    out.extend(_implied(ctx, out))
    out.sort(key=lambda c: c.start)
    propagate_list_qualifiers(text, out)
    return out
