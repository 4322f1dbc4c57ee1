"""Reference dates: the date a document (or each report of a compilation) speaks from.

Relative times (今年, 年底前, 4月底前) resolve against it.

Document date. Given explicitly it wins (source "given"). Otherwise it is read from the
document itself (source "document"), in this order: a labelled date (时间:, 发布时间,
印发日期, 成文日期 …), a line holding nothing but a full date (a signature date or a
trailing "2018-03-15"), the latest full date on a short line of the header or footer.
A month and day without a year ("本报聊城3月28日讯") is not enough, nor is a date inside
a paragraph (that is an event the text reports).

Report parts. A compilation (see parts.py) is split into reports and each report gets
the year it speaks from, by these rules in order:

1. its title names one year ("关于2021开展…总结", "【开展2017年…总结2】") → that year;
2. otherwise its latest stated year Y (years in 《》 titles, document numbers and goals
   such as "到2020年" or "2010年规划" do not count). A report speaks from Y or from Y+1:
   if the document date's year is one of the two, the document date holds (the report
   is consistent with it). Otherwise a vote decides: "去年" and a projected "今年"
   ("预计今年…") speak for Y+1, a "今年" that reports what was done speaks for Y.
   Ties go to Y, the year the report talks about;
3. a report that states no year keeps the document date.

Parts headed 第N部分 may be the sections of one document rather than separate reports:
when the document date is known they only take a year from their title (rule 1).

A report dated by rule 1 or 2 only knows its year: its reference date is 1 January of
that year, and the extractors are told (ctx.cache["refdate.year_only_parts"]) not to
resolve days and months from it.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from typing import Optional

import regex

from .models import Part
from .parts import split_parts

_Y4 = r"(?:19|20)\d{2}"
_CN = "〇○零O一二三四五六七八九"
_DATE = (rf"(?<!\d)(?P<y>{_Y4})[-年./](?P<m>1[0-2]|0?[1-9])[-月./](?P<d>3[01]|[12]\d|0?[1-9])日?(?!\d)"
         rf"|(?P<cy>[一二][{_CN}]{{3}})年(?P<cm>十[一二]?|[一二三四五六七八九])月"
         rf"(?P<cd>三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])日")
_DATE_RE = regex.compile(_DATE)
_LABELLED = regex.compile(
    r"(?:发布时间|发布日期|印发日期|成文日期|发文日期|公布日期|更新时间|日期|时间)[ \t]*[:：][ \t]*(?:%s)" % _DATE)
_DATE_LINE = regex.compile(r"(?m)^[ \t]*(?:%s)(?:[ \t]+\d{1,2}:\d{2}(?::\d{2})?)?[ \t]*$" % _DATE)
# Years a report states. Goals and plans (到2020年, 力争2025年, 2010年规划) are not what
# the report speaks from.
# Anchored on the literal 年 (or 关于) so that the scan is fast.
_YEAR = regex.compile(rf"(?<=(?<![\d.〔\[(（【])(?P<y>{_Y4}))年|关于(?P<y2>{_Y4})(?!\d)")
_GOAL_BEFORE = regex.compile(r"(?:到|至|跨|力争|争取|预计|计划|确保|目标|将在|将于|之前)$")
_GOAL_AFTER = regex.compile(r"^(?:[^,，。;；\n]{0,8}?(?:规划|计划|纲要|目标|远景|前))")
_YEAR_SPAN = regex.compile(rf"{_Y4}年?[ \t]*[至—\-～到]")  # 2019年至2021年: no one year
_REL = regex.compile(r"[今去]年")
_PROJECTION = regex.compile(r"(?:预计|计划|力争|争取|将|确保|预期)$")
_BOOK = regex.compile(r"《[^《》]{0,200}》")
_HEAD = 1500  # characters of header/footer searched for a document date
_META_LINE = 60  # longest line read as a date line (发布时间 2018-03-15 来源:…)

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT.update({"○": 0, "零": 0, "O": 0})


def _cn_small(s: str) -> int:
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN_DIGIT[a] if a else 1) * 10 + (_CN_DIGIT[b] if b else 0)
    return _CN_DIGIT[s]


def _valid(y: int, m: int, d: int) -> Optional[dt.date]:
    if not 1949 <= y <= 2100:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _date_of(m) -> Optional[dt.date]:
    if m.group("y"):
        return _valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    y = int("".join(str(_CN_DIGIT[c]) for c in m.group("cy")))
    return _valid(y, _cn_small(m.group("cm")), _cn_small(m.group("cd")))


def document_date(text: str) -> Optional[dt.date]:
    """The date a document states for itself, or None."""
    n = len(text)
    regions = [(0, min(n, _HEAD)), (max(0, n - _HEAD), n)]
    for lo, hi in regions:
        for m in _LABELLED.finditer(text, lo, hi):
            d = _date_of(m)
            if d:
                return d
    for pattern in (_DATE_LINE, _DATE_RE):
        found = []
        for lo, hi in regions:
            for m in pattern.finditer(text, lo, hi):
                # a date inside a paragraph is an event, not the document's date line
                ls = text.rfind("\n", 0, m.start()) + 1
                le = text.find("\n", m.end())
                if (le if le >= 0 else n) - ls > _META_LINE:
                    continue
                d = _date_of(m)
                if d:
                    found.append(d)
        if found:
            return max(found)
    return None


def _stated_years(text: str, lo: int, hi: int, books) -> list[int]:
    years = []
    starts, ends = books
    for m in _YEAR.finditer(text, lo, hi):
        s = m.start("y") if m.group("y") else m.start("y2")
        k = bisect_right(starts, s) - 1
        if k >= 0 and s < ends[k]:
            continue
        if _GOAL_BEFORE.search(text[max(lo, s - 4):s]):
            continue
        e = m.end()
        if _GOAL_AFTER.match(text[e:e + 12]) and "以来" not in text[e:e + 4]:
            continue
        years.append(int(m.group("y") or m.group("y2")))
    return years


def _title_year(title: str) -> Optional[int]:
    ys = {int(m.group("y") or m.group("y2")) for m in _YEAR.finditer(title)}
    if len(ys) != 1 or _YEAR_SPAN.search(title):
        return None
    return ys.pop()


def _vote(text: str, lo: int, hi: int) -> int:
    """> 0 when the report speaks from the year after the one it reports on."""
    score = 0
    for m in _REL.finditer(text, lo, hi):
        if m.group()[0] == "去" or _PROJECTION.search(text, max(lo, m.start() - 2), m.start()):
            score += 1
        else:
            score -= 1
    return score


def _part_year(text: str, lo: int, hi: int, title: str, doc: Optional[dt.date], books,
               compiled: bool = True) -> Optional[int]:
    """The year a report speaks from, or None where the document date holds."""
    ty = _title_year(title)
    if ty:
        return ty
    if not compiled and doc is not None:
        return None  # sections of one document speak from its date
    years = _stated_years(text, lo, hi, books)
    if not years:
        return None
    y = max(years)
    if doc is not None and doc.year in (y, y + 1):
        return None
    return y + 1 if _vote(text, lo, hi) > 0 else y


def _norm_pos(ctx, orig_pos: int, lo: int, hi: int) -> int:
    """Smallest normalized offset in [lo, hi] whose original offset is >= orig_pos."""
    start = ctx.norm.map.start
    return bisect_left(range(lo, hi + 1), orig_pos, key=start) + lo


def _title_end(ctx, h: int, end: int) -> int:
    """End of a heading line (not a 【…】 title, which ends at its 】): its original line
    (normalization may have joined lines)."""
    text = ctx.text
    o = ctx.to_orig(h, h + 1)[0]
    nl = ctx.original.find("\n", o)
    if nl < 0:
        nl = len(ctx.original)
    limit = text.find("\n", h, end)
    limit = end if limit < 0 else limit
    return min(_norm_pos(ctx, nl, h, limit), limit)


def infer_reference(ctx):
    """(reference date, source, parts, [(norm_start, norm_end, date)]) — see module doc."""
    text = ctx.text
    if ctx.given_reference_date is not None:
        doc, source = ctx.given_reference_date, "given"
    else:
        doc = document_date(text)
        source = "document" if doc else "none"
    spans = split_parts(text)
    if not spans:
        return doc, source, [], []
    found = list(_BOOK.finditer(text)) if "《" in text else []
    books = ([m.start() for m in found], [m.end() for m in found])
    parts: list[Part] = []
    ranges = []
    year_only = []
    for p in spans:
        if text[p.start] == "【" or "【" in p.title:
            te, title = p.title_end, p.title.strip()
        else:
            te = _title_end(ctx, p.start, p.end)
            title = text[p.start:te].strip()
        y = _part_year(text, te, p.end, title, doc, books, p.compiled)
        if y is not None:
            ref = dt.date(y, 1, 1)
            year_only.append((p.start, p.end))
        else:
            ref = doc
        s, e = ctx.to_orig(p.start, p.end)
        parts.append(Part(title=title, start=s, end=e,
                          reference_date=ref.isoformat() if ref else None))
        ranges.append((p.start, p.end, ref))
    ctx.cache["refdate.year_only_parts"] = year_only
    return doc, source, parts, ranges
