"""time mentions: dates and periods, deadlines, starts, durations and recurrences.

How it works (vocabulary in data/time/, mechanism here):

1. *Atoms* are found by a few compiled regexes anchored on digits, Han numerals and
   calendar words: absolute dates (2008年, 2002年9月30日, 2022-05-11, 二〇一八年三月),
   relative years (今年, 去年12月, 去年底), bare months and days (5月中旬, 3月28日, 25日),
   year and quarter parts (年初, 上半年, 一季度), five-year plans (“十五”期间), festival
   periods (新春伊始), durations (三年, 5个工作日内, 两年来), recurrences (每月20日,
   两月一次, 月度) and event deadlines (主汛期前).
2. Date atoms joined by a range connector become one range (6月—7月, 1985年至2010年).
3. The words around a date decide its kind: 前 → before; 以来/起/开始/自 → after;
   到/至/截至 → before when the date is still ahead of the reference date, else a date.
4. Missing years come from the reference date in force at the mention (per report in
   a compilation, see refdate.py), or from an explicit year earlier in the same
   sentence; missing months of a bare day from the last month named before it (a day
   with no month before it is dropped). Without a reference date a mention keeps its
   kind and leaves the dates it cannot know as null; in a report whose reference only
   knows its year, days and months are not taken from it.
5. Not times: words in data/time/negatives.txt (上年, 当年, 青少年 …) and what they cut
   through, months after a floating year (次年3月), anything inside 《》 titles.
   Document numbers (〔2017〕) have no 年 and never match.
"""
from __future__ import annotations

import calendar
import datetime as dt
import heapq
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

import regex

from ..pipeline import Candidate, register_extractor
from ..resources import load_lines, load_yaml


# ---------------------------------------------------------------------------------------
# vocabulary and patterns


def _alt(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


class _Prefiltered:
    """A pattern the `regex` engine scans slowly (no literal to look for first), with
    patterns `pres`, each beginning with a literal (which the engine looks for quickly),
    whose matches cover every place where one of its matches can start. Each place inside
    a `pres` match is tried, in text order, which gives the leftmost, non-overlapping
    matches finditer would (none of these patterns matches the empty string)."""

    def __init__(self, rx, pres):
        self.rx = rx
        self.pres = [regex.compile(p) for p in pres]

    def finditer(self, text: str):
        return _matches_at(self.rx, text, sorted({
            p for pre in self.pres for w in pre.finditer(text) for p in range(w.start(), w.end())}))


class _AtWords:
    """A pattern whose matches begin with one of a list of literal words: the places where
    a word stands are found with str.find on the words' first characters (a scan for one
    character in C, many times faster than either regex engine's scan for an alternation)
    and a tuple startswith; the pattern is tried at each, in text order, which gives the
    leftmost, non-overlapping matches finditer would (none matches the empty string)."""

    def __init__(self, rx, words):
        self.rx = rx
        self.words = words
        by_first: dict = {}
        for w in words:
            by_first.setdefault(w[0], []).append(w)
        self.by_first = [(c, tuple(ws)) for c, ws in by_first.items()]

    def finditer(self, text: str):
        find, starts = text.find, text.startswith
        places = []
        for c, ws in self.by_first:
            i = find(c)
            while i >= 0:
                if starts(ws, i):
                    places.append(i)
                i = find(c, i + 1)
        places.sort()
        return _matches_at(self.rx, text, places)


def _matches_at(rx, text: str, places):
    """The matches of rx tried at each of the sorted `places`, skipping places inside an
    earlier match: what finditer gives when every match starts at one of them."""
    match = rx.match
    last = 0
    for p in places:
        if p >= last:
            m = match(text, p)
            if m is not None:
                last = m.end()
                yield m


class _OneCharMerge:
    """Patterns whose matches are one character each, a different one per pattern, so
    that they never overlap: the `regex` engine scans for one literal character far
    faster than for a class of two, so each is scanned alone and the matches merged."""

    def __init__(self, parts):
        self.parts = parts

    def finditer(self, text: str):
        return heapq.merge(*(rx.finditer(text) for rx in self.parts), key=lambda m: m.start())


@dataclass(frozen=True)
class _Vocab:
    digits: dict
    ten: str
    year_parts: dict
    after_year_parts: tuple
    deadline_words: tuple
    quarters: dict
    month_parts: dict
    rel_years: dict
    rel_days: dict
    festivals: dict
    fyp: dict
    spring: dict
    rec_units: dict
    rec_words: dict
    rec_blockers: str
    rec_blocked: tuple
    cycle_words: tuple
    dur_units: dict
    year_blockers: "regex.Pattern"
    unit_blockers: dict
    inner_tails: tuple
    event_deadlines: dict
    ctx: dict
    negatives: "regex.Pattern"
    suffix_re: "regex.Pattern"
    suffix_cat: dict
    after_prefixes: str
    goal_re: "regex.Pattern"
    date_res: list
    fyp_cue: "regex.Pattern"
    other_res: list
    connector_re: "regex.Pattern"
    book_re: "regex.Pattern"


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    cal = load_yaml("time/calendar.yaml")
    rec = load_yaml("time/recurrence.yaml")
    dur = load_yaml("time/durations.yaml")
    ev = load_yaml("time/events.yaml")
    cx = load_yaml("time/context.yaml")
    spring = {int(y): dt.date(int(y), *map(int, md.split("-")))
              for y, md in load_yaml("time/spring_festival.yaml").items()}
    digits = cal["numerals"]["digits"]
    hd = "".join(d for d in digits if digits[d] > 0 and d != "两")
    hz = "".join(d for d in digits if digits[d] == 0)

    y4 = r"(?:19|20)\d{2}"
    y4cn = "[一二][%s九][%s%s]{2}" % (hz, hz, hd)
    two = cal["two_digit_years"]
    y2 = "(?:%s)\\d" % "|".join(two.values())
    m = r"(?:1[0-2]|0?[1-9])"
    mcn = "(?:十[一二]?|[%s])" % hd
    d = r"(?:3[01]|[12]\d|0?[1-9])"
    dcn = "(?:三十一?|二十[%s]?|十[%s]?|[%s])" % (hd, hd, hd)
    mparts = _alt(cal["month_parts"])
    ayparts = _alt(cal["after_year_parts"])
    qs = "".join(cal["quarters"])
    # 前三季度: the first three quarters
    quarter = "(?P<qf>前)?第?(?P<q>[%s])季度(?P<qe>末|底)?" % qs
    # What may follow 年 (2019年…, 今年…): a month with its day or part, a part of the
    # year, a quarter, or 度 (2019年度). Which of them a head accepts is decided in code.
    ytails = sorted(set(cal["after_year_parts"]) | {w[1:] for w in list(cal["year_parts"])
                    + cal["year_deadline_words"] if w.startswith("年")}, key=len, reverse=True)
    # A space may stand between the parts (2020 年 3 月 25 日, text from PDFs).
    tail = (r"(?:[ \t]?(?P<m>%s|%s)(?:[—–\-~～](?P<m2>%s))?[ \t]?月份?(?:[ \t]?(?P<d>%s|%s)[ \t]?[日号]"
            "|(?P<mp>%s))?|(?P<yp>%s)|%s|(?P<du>度))?"
            % (m, mcn, m, d, dcn, mparts, _alt(ytails), quarter))
    bare_tails = [w[1:] for w in list(cal["year_parts"]) + cal["year_deadline_words"]
                  if w.startswith("年")]
    rel_pre = _alt(w[:-1] for w in cal["relative_years"] if w.endswith("年"))
    yw_pre = _alt(w[:-1] for w in cal["year_parts"] if w.endswith("年"))
    fyp = cal["five_year_plans"]
    ev_pre = [w[:-1] for w in ev["deadline_words"] if w.endswith("前")]
    # Most families are anchored on a literal (年, 月, 日, 五, 前/后, a unit) with what
    # comes before it in a lookbehind: the regex engine then scans for the literal, which
    # is many times faster than trying a digit or numeral class at every position. One
    # alternation of all families would lose that scan too.
    date_res = [regex.compile(p) for p in (
        # ISO-like full dates (a clock time after them stays out) and bare year ranges
        # (2001—2002年, 1999-2000年度, 2007至2008)
        rf"(?<![\d.])(?P<iy>{y4})(?P<sep>[-/.])(?P<im>{m})(?P=sep)(?P<id>{d})(?!\d)"
        rf"|(?<![\d.\-])(?P<ry1>{y4})[ \t]*(?:——|[—–\-~～至到])[ \t]*(?P<ry2>{y4})(?P<ryn>年度?)?(?![\d.])",
        # 年 with its head (2019, 二〇一九, 96, 今/去, 上半/全) and tail
        rf"(?<=(?:(?<![\d.])(?P<y4>{y4})|(?P<ycn>{y4cn})|(?<![\d.])(?P<y2>{y2})"
        rf"|(?<![\d一二两三四五六七八九十几多年])(?P<rel>{rel_pre})|(?P<ywp>{yw_pre}))[ \t]?)年(?!代){tail}"
        rf"|年(?P<yp>{_alt(bare_tails)})",
        # decades: 90年代
        rf"(?<=(?<![\d.])(?P<dec>(?:19|20)?[0-9]0))年代",
        # a bare year after 关于 (关于2021开展…)
        rf"关于(?P<by>{y4})(?![\d.年月日\-/])",
        # bare months (3月28日, 5月中旬, 4月份); a range 1-6月 is completed in code
        rf"(?<![\d.个第/])(?P<bm>{m})[ \t]?月份?"
        rf"(?:[ \t]?(?P<bd>{d})[ \t]?[日号]|(?P<bmp>{mparts}))?",
        # Han months with a day (三月十五日)
        rf"(?<![{hd}十个第每两])(?P<bmc>{mcn})月(?:(?P<bdc>{dcn})[日号]|份)",
        # bare days (25日): the month comes from the context
        rf"(?<![\d.月/\-:第个每])(?P<bday>{d})日(?![内以之])",
        # quarters of the reference year
        rf"(?<![每本上下该当次个])(?P<qf>前)?(?P<bq>第?[{qs}]季度)(?P<qe>末|底)?",
        # relative days and festival periods
        rf"(?P<rd>{_alt(cal['relative_days'])})|(?P<fest>{_alt(cal['festival_periods'])})",
        # five-year plans (十五, 十四五), quoted or followed by a cue word (checked in code)
        rf"(?<=(?P<fq>[“\"])?(?P<fyn>十[{hd}]?|[{hd}]))五(?P<fq2>[”\"])?(?P<fys>{_alt(fyp['span_words'])})?",
    )]
    n = r"\d{1,3}|[%s十两]{1,3}" % hd
    du = dur["units"]
    ru = rec["units"]
    rw = rec["words"]
    events = ev["events"]
    tails = _alt(dur["inner_tails"] + dur["since_tails"])
    # A full date or a year range: a year's first two digits, then a separator or dash.
    date_res[0] = _Prefiltered(date_res[0], [rf"{c}(?=\d\d(?:[-/.]|[ \t]*[—–\-~～至到]))"
                                             for c in ("19", "20")])
    date_res[8] = _AtWords(date_res[8], list(cal["relative_days"]) + list(cal["festival_periods"]))
    other_res = [regex.compile(p) for p in (
        # recurrences: 每月20日, 每月30日前, 每周一次, 每两年, 每年3月底前
        rf"(?P<every>每(?:个|一)?(?P<rn>{n}|半)?个?(?P<ru>{_alt(ru)}))"
        rf"(?:(?P<rday>{d})[日号](?P<rby>之前|以前|前)?|(?P<rym>{m})月(?:{d}[日号]|{mparts})?"
        rf"(?:之前|以前|前)?|一次)?",
        rf"(?<=(?<![第每\d{hd}十])(?P<in>{n}|半)个?(?P<iu>{_alt(ru)}))一次",
        rf"(?P<rw>{_alt(rw)})",
    )]
    # event deadlines and starts: 主汛期前, 春节后, 汛前. The character before 前/后 ends
    # an event word or is 之/以: one class looked at first spares the word lookbehind
    # at most places.
    ev_last = regex.escape("".join(sorted({w[-1] for w in list(events) + ev_pre} | {"之", "以"})))
    other_res.append(_OneCharMerge([regex.compile(
        rf"(?<=[{ev_last}])(?<=(?P<ev>{_alt(events)})(?P<evp>之|以)?|(?P<evw>{_alt(ev_pre)}))"
        rf"(?P<evs>{c})") for c in "前后"]))
    other_res[2] = _AtWords(other_res[2], list(rw))
    # durations (三年, 5个工作日内, 两年来, 20多年, 半年多, 3个月), one regex per unit
    for unit in du:
        other_res.append(regex.compile(
            rf"(?<=(?<![第每\d.{hd}十两])(?P<dn>{n}|半)(?P<dm1>[多余])?(?P<dge>个)?(?P<dm2>[多余])?)"
            rf"(?P<dunit>{regex.escape(unit)})(?P<dm3>[多余])?(?P<dt>{tails})?"))
    fyp_cue = regex.compile(_alt(fyp["cue_words"]))
    conn = _alt(cx["range_connectors"])
    # suffix word -> what it makes of the date before it
    suffix_cat = {}
    for cat in ("span", "within", "before", "after", "since_now", "after_end"):
        for w in cx[cat + "_suffixes"]:
            suffix_cat[w] = cat
    return _Vocab(
        digits=digits, ten=cal["numerals"]["ten"],
        year_parts={k: tuple(v) for k, v in cal["year_parts"].items()},
        after_year_parts=tuple(cal["after_year_parts"]),
        deadline_words=tuple(cal["year_deadline_words"]),
        quarters={k: tuple(v) for k, v in cal["quarters"].items()},
        month_parts={k: tuple(v) for k, v in cal["month_parts"].items()},
        rel_years=cal["relative_years"], rel_days=cal["relative_days"],
        festivals={k: tuple(v) for k, v in cal["festival_periods"].items()},
        fyp=fyp, spring=spring,
        rec_units={k: tuple(v) for k, v in ru.items()}, rec_words=rw,
        rec_blockers=rec["word_blockers"], rec_blocked=tuple(rec["blocked_words"]),
        cycle_words=tuple(cal["cycle_words"]),
        dur_units={k: tuple(v) for k, v in du.items()},
        year_blockers=regex.compile(_alt(dur["year_blockers"])),
        unit_blockers=dur.get("unit_blockers") or {},
        inner_tails=tuple(dur["inner_tails"]),
        event_deadlines=ev["deadline_words"], ctx=cx,
        negatives=regex.compile(_alt(load_lines("time/negatives.txt"))),
        suffix_re=regex.compile(_alt(suffix_cat)), suffix_cat=suffix_cat,
        after_prefixes="".join(cx["after_prefixes"]),
        goal_re=regex.compile("(?:%s)$" % _alt(cx["goal_prefixes"])),
        date_res=date_res, other_res=other_res, fyp_cue=fyp_cue,
        connector_re=regex.compile(r"[ \t]*(?:%s)[ \t]*" % conn),
        book_re=regex.compile(r"《[^《》]{0,200}》"),
    )


# ---------------------------------------------------------------------------------------
# numbers


def _num(s: str, v: _Vocab) -> Optional[int]:
    """Arabic or Han count up to 99 (十五, 二十, 两); None when it is not one."""
    if s.isdigit():
        return int(s)
    if v.ten in s:
        a, _, b = s.partition(v.ten)
        if len(a) > 1 or len(b) > 1 or "两" in b:
            return None
        hi = v.digits.get(a, None) if a else 1
        lo = v.digits.get(b, None) if b else 0
        if hi is None or lo is None or hi == 0:
            return None
        return hi * 10 + lo
    if len(s) != 1 or s not in v.digits:
        return None
    return v.digits[s]


def _year_cn(s: str, v: _Vocab) -> int:
    return int("".join(str(v.digits[c]) for c in s))


# ---------------------------------------------------------------------------------------
# date atoms


@dataclass
class _Date:
    """A calendar period with possibly unknown parts.

    y/y2: explicit first/last year; yrel: year relative to the reference; m1..d2: months
    and days (None: whole year / month; d2 == -1: last day of the month).
    """
    start: int
    end: int
    y: Optional[int] = None
    y2: Optional[int] = None
    yrel: Optional[int] = None
    m1: Optional[int] = None
    m2: Optional[int] = None
    d1: Optional[int] = None
    d2: Optional[int] = None
    drel: Optional[int] = None          # days relative to the reference date
    fest: Optional[tuple] = None        # (first, last) day offsets from Spring Festival
    bare_day: bool = False              # the month comes from context
    kind: str = "date"                  # 'before' for 年内
    word: str = ""                      # period word (年终…) for the recurrence rule
    fixed: bool = False                 # a span that already carries its kind
    is_range: bool = False              # two dates joined (6月—7月): a period, never a start
    value: Optional[dict] = None        # for non-date atoms (duration, recurring, event)


def _month_span(v: _Vocab, part: Optional[str]):
    if not part:
        return None, None
    lo, hi = v.month_parts[part]
    return lo, (-1 if hi is None else hi)


def _head_tail(a: _Date, g: dict, v: _Vocab) -> None:
    """Fill months/days from the tail groups after a year head."""
    if g.get("m"):
        mm = _num(g.get("m"), v)
        a.m1 = a.m2 = mm
        if g.get("m2"):  # 2020年1-6月
            a.m2 = int(g["m2"])
            a.is_range = True
            if a.m2 <= a.m1:
                a.m2 = a.m1
        elif g.get("d"):
            a.d1 = a.d2 = _num(g.get("d"), v)
        elif g.get("mp"):
            a.d1, a.d2 = _month_span(v, g.get("mp"))
    elif g.get("yp"):
        a.m1, a.m2 = v.year_parts.get(g.get("yp"), v.year_parts.get("年" + g.get("yp")))
        a.word = "年" + g.get("yp") if not g.get("yp").endswith("年") else g.get("yp")
    elif g.get("q"):
        a.m1, a.m2 = v.quarters[g.get("q")]
        if g.get("qf"):
            a.m1 = 1
        if g.get("qe"):  # 一季度末: the last month of the quarter
            a.m1 = a.m2


@lru_cache(maxsize=None)
def _group_keys(rx) -> tuple[tuple, Optional[tuple]]:
    """The group names in group-number order, and their numbers when some groups have no
    name (None when all have one: then mt.groups() lists exactly the named groups)."""
    gi = rx.groupindex
    names = tuple(sorted(gi, key=gi.get))
    if sorted(gi.values()) == list(range(1, rx.groups + 1)):
        return names, None
    return names, tuple(gi[k] for k in names)


def _groupdict(mt) -> dict:
    """mt.groupdict(), built from one call for all groups: groupdict itself costs three
    times more on these many-group patterns, once per atom, and groups() less than
    group(*numbers)."""
    names, idxs = _group_keys(mt.re)
    if idxs is None:
        return dict(zip(names, mt.groups()))
    if len(idxs) == 1:
        return {names[0]: mt.group(idxs[0])}
    return dict(zip(names, mt.group(*idxs)))


_MONTH_BEFORE = regex.compile(r"(?<![\d.\-/])(1[0-2]|0?[1-9])[ \t]*[-—–~～至到]$")


def _date_atom(mt, text: str, v: _Vocab) -> Optional[_Date]:
    g = _groupdict(mt)
    s, e = mt.span()
    a = _Date(s, e)
    if g.get("iy"):
        a.y = int(g.get("iy"))
        a.m1 = a.m2 = int(g.get("im"))
        a.d1 = a.d2 = int(g.get("id"))
    elif g.get("ry1"):
        a.y, a.y2 = int(g.get("ry1")), int(g.get("ry2"))
        if a.y2 <= a.y:
            return None
    elif "ywp" in g:  # the 年-anchored family
        head = next((k for k in ("y4", "ycn", "y2", "rel") if g[k]), None)
        yp = g["yp"]
        if head:
            a.start = mt.start(head)
            if head == "y4":
                a.y = int(g["y4"])
            elif head == "ycn":
                a.y = _year_cn(g["ycn"], v)
            elif head == "y2":
                a.y = (1900 if g["y2"][0] in "89" else 2000) + int(g["y2"])
            else:
                a.yrel = v.rel_years[g["rel"] + "年"]
            if yp and yp not in v.after_year_parts:  # 2019年中国…, 今年内: stop at 年
                a.end = mt.start("yp")
            else:
                _head_tail(a, g, v)
        elif g["ywp"]:  # 上半年, 全年
            w = g["ywp"] + "年"
            a.start, a.end, a.yrel, a.word = mt.start("ywp"), mt.start() + 1, 0, w
            a.m1, a.m2 = v.year_parts[w]
        elif yp and "年" + yp in v.deadline_words:  # 年内
            a.end, a.yrel, a.kind, a.fixed = mt.end("yp"), 0, "before", True
        elif yp and "年" + yp in v.year_parts:  # 年初, 年底
            w = "年" + yp
            a.end, a.yrel, a.word = mt.end("yp"), 0, w
            a.m1, a.m2 = v.year_parts[w]
        else:
            return None
    elif g.get("dec"):
        a.start = mt.start("dec")
        dec = g["dec"]
        y = int(dec) if len(dec) == 4 else (1900 + int(dec) if int(dec) >= 30 else 2000 + int(dec))
        a.y, a.y2 = y, y + 9
    elif g.get("by"):
        a.start = mt.start("by")
        a.y = int(g["by"])
    elif g.get("bm") or g.get("bmc"):
        a.yrel = 0
        a.m1 = a.m2 = _num(g.get("bm") or g.get("bmc"), v)
        if g.get("bm") and s > 0 and text[s - 1] in "-—–~～至到":
            # 1-6月: the first month is written without 月
            r = _MONTH_BEFORE.search(text, max(0, s - 5), s)
            if r is not None:
                if g.get("bd") or g.get("bmp") or int(r.group(1)) >= a.m1:
                    return None
                a.start, a.m1, a.is_range = r.start(), int(r.group(1)), True
        dd = g.get("bd") or g.get("bdc")
        if dd:
            a.d1 = a.d2 = _num(dd, v)
        elif g.get("bmp"):
            a.d1, a.d2 = _month_span(v, g.get("bmp"))
    elif g.get("bday"):
        a.yrel = 0
        a.bare_day = True
        a.d1 = a.d2 = int(g.get("bday"))
    elif g.get("bq"):
        a.yrel = 0
        a.m1, a.m2 = v.quarters[g.get("bq").lstrip("第")[0]]
        if g.get("qf"):
            a.start, a.m1 = mt.start("qf"), 1
        if g.get("qe"):
            a.m1 = a.m2
    elif g.get("rd"):
        a.drel = v.rel_days[g.get("rd")]
    elif g.get("fest"):
        a.yrel = 0
        a.fest = v.festivals[g.get("fest")]
    elif "fyn" in g:  # five-year plans
        k = _num(g["fyn"], v)
        quoted = bool(g["fq"]) and bool(g["fq2"])
        a.start = mt.start("fq") if quoted else mt.start("fyn")
        if not k or (bool(g["fq"]) != bool(g["fq2"])):
            return None
        if not quoted:
            before = text[a.start - 1:a.start] if a.start else ""
            if before in v.digits or before.isdigit() or before in "十第" or \
                    not v.fyp_cue.match(text, mt.end("fyn") + 1):
                return None
        fixed = {int(x): y for x, y in v.fyp["fixed"].items()}
        anchor = v.fyp["anchor"]
        start = fixed.get(k, anchor["start"] + 5 * (k - anchor["number"]))
        a.y, a.y2 = start, start + 4
        part = g["fys"] or ""
        if part.endswith("末"):  # 十三五末: the plan's last year
            a.y = a.y2
        elif part.endswith("初"):
            a.y2 = a.y
    else:
        return None
    if a.m1 is not None and not (1 <= a.m1 <= 12 and 1 <= (a.m2 or a.m1) <= 12):
        return None
    if a.d1 is not None and not (1 <= a.d1 <= 31):
        return None
    return a


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _resolve(a: _Date, ref: Optional[dt.date], v: _Vocab):
    """(start, end) dates of a date atom, None where the text and reference cannot tell."""
    if a.drel is not None:
        if ref is None:
            return None, None
        day = ref + dt.timedelta(days=a.drel)
        return day, day
    y = a.y
    if y is None and a.yrel is not None and ref is not None:
        y = ref.year + a.yrel
    if y is None:
        return None, None
    y2 = a.y2 if a.y2 is not None else y
    if a.fest is not None:
        sf = v.spring.get(y)
        if sf is None:
            return None, None
        return sf + dt.timedelta(days=a.fest[0]), sf + dt.timedelta(days=a.fest[1])
    m1 = a.m1
    if a.bare_day:
        if ref is None:
            return None, None
        m1 = a.m1 or ref.month
    m2 = a.m2 if a.m2 is not None else m1
    try:
        if m1 is None:
            return dt.date(y, 1, 1), dt.date(y2, 12, 31)
        d1 = a.d1 or 1
        d2 = a.d2
        last = _last_day(y2, m2)
        d2 = last if d2 is None or d2 == -1 else min(d2, 31)
        if d2 > last:
            return None, None
        return dt.date(y, m1, d1), dt.date(y2, m2, d2)
    except ValueError:
        return None, None


# ---------------------------------------------------------------------------------------
# other atoms: durations, recurrences, events


def _other_atom(mt, text: str, v: _Vocab) -> Optional[_Date]:
    g = _groupdict(mt)
    s, e = mt.span()
    if g.get("every"):
        unit, mult = v.rec_units[g.get("ru")]
        k = 1
        if g.get("rn"):
            if g.get("rn") == "半":
                if g.get("ru") != "年":
                    return None
                unit, mult = "M", 6
            else:
                k = _num(g.get("rn"), v)
                if not k:
                    return None
        val = {"kind": "recurring", "every": "P%d%s" % (k * mult, unit)}
        if g.get("rday") and unit == "M" and k * mult == 1:
            val["by_day" if g.get("rby") else "day"] = int(g.get("rday"))
        elif g.get("rday"):  # 每年20日 does not read as a day of the year: stop before it
            e = mt.start("rday")
        elif g.get("rym") and unit != "Y":
            e = mt.start("rym")
        return _Date(s, e, fixed=True, kind="recurring", value=val)
    if g.get("in"):
        s = mt.start("in")
        unit, mult = v.rec_units[g.get("iu")]
        if g.get("in") == "半":
            if g.get("iu") != "年":
                return None
            unit, mult, k = "M", 1, 6
        else:
            k = _num(g.get("in"), v)
            if not k:
                return None
        return _Date(s, e, fixed=True, kind="recurring",
                     value={"kind": "recurring", "every": "P%d%s" % (k * mult, unit)})
    if g.get("rw"):
        if s > 0 and text[s - 1] in v.rec_blockers and g["rw"] in v.rec_blocked:
            return None
        return _Date(s, e, fixed=True, kind="recurring",
                     value={"kind": "recurring", "every": v.rec_words[g.get("rw")]})
    if g.get("dunit"):
        s = mt.start("dn")
        unit = g.get("dunit")
        des, needs_inner, counter = v.dur_units[unit]
        tail = g.get("dt") or ""
        if (counter == "required") != bool(g.get("dge")) and counter != "allowed":
            return None
        if needs_inner and tail not in v.inner_tails:
            return None
        if not tail and not g.get("dm3") and text[e:e + 1] in v.unit_blockers.get(unit, ""):
            return None
        if unit == "年" and not tail and v.year_blockers.match(text, e):
            return None
        if g.get("dn") == "半":
            if unit == "年":
                dur = "P6M"
            elif unit == "月":
                dur = "P15D"
            else:
                return None
        else:
            k = _num(g.get("dn"), v)
            if not k:
                return None
            dur = ("PT%dH" if des == "H" else "P%d" + des) % k
        val = {"kind": "duration", "duration": dur}
        if unit == "工作日":
            val["business_days"] = True
        return _Date(s, e, fixed=True, kind="duration", value=val)
    if "evs" in g:
        if g["evw"]:  # a word that is its own deadline (汛前)
            if g["evs"] != "前":
                return None
            val = {"kind": "before", "end": None, "event": v.event_deadlines[g["evw"] + "前"]}
            return _Date(mt.start("evw"), e, fixed=True, kind="before", value=val)
        if g["evs"] == "前":
            if text[e:e + 1] == "后":  # 春节前后: around the event, not a deadline
                return None
            val = {"kind": "before", "end": None, "event": g["ev"]}
        else:
            val = {"kind": "after", "start": None, "event": g["ev"]}
        return _Date(mt.start("ev"), e, fixed=True, kind=val["kind"], value=val)
    return None


# ---------------------------------------------------------------------------------------
# assembly


def _drop_overlaps(atoms: list[_Date]) -> list[_Date]:
    """Leftmost-longest flat set."""
    atoms.sort(key=lambda a: (a.start, -(a.end - a.start)))
    out: list[_Date] = []
    for a in atoms:
        if out and a.start < out[-1].end:
            if a.end - a.start > out[-1].end - out[-1].start and a.start == out[-1].start:
                out[-1] = a
            continue
        out.append(a)
    return out


def _cuts_negative(text: str, a: _Date, v: _Vocab) -> bool:
    """The atom cuts through a non-time word (青少年中), is one (上年), or is a month
    whose year floats (次年3月, 当年12月)."""
    if a.y is None and a.yrel == 0 and a.start > 0 and text[a.start - 1] == "年":
        m = v.negatives.search(text, max(0, a.start - 4), a.start)
        if m and m.end() == a.start:
            return True
    if text[a.start].isascii():  # negatives are words of Han characters
        return False
    lo = max(0, a.start - 4)
    for m in v.negatives.finditer(text, lo, min(len(text), a.end + 4)):
        if m.start() < a.end and m.end() > a.start and not (a.start <= m.start() and m.end() <= a.end):
            return True
        if m.start() == a.start and m.end() == a.end:
            return True
    return False


def _merge_ranges(text: str, atoms: list[_Date], v: _Vocab) -> list[_Date]:
    out: list[_Date] = []
    for a in atoms:
        if out and not a.fixed and not out[-1].fixed:
            p = out[-1]
            m = v.connector_re.fullmatch(text, p.end, a.start) if 0 < a.start - p.end <= 4 else None
            if m and a.yrel in (None, 0) and a.drel is None and p.drel is None and not a.y2 and not p.y2:
                merged = replace(p, end=a.end, word="", is_range=True)
                if a.y is not None:
                    merged.y2 = a.y
                    if p.y is None:
                        merged.y = a.y
                        merged.yrel = None
                if a.m1 is not None:
                    if p.m1 is None and a.y is None:
                        out.append(a)
                        continue
                    merged.m2 = a.m2
                    if merged.m1 is None:
                        merged.m1 = 1
                elif merged.m2 is not None and a.y is not None and a.d1 is None:
                    merged.m2 = 12
                if a.d1 is not None:
                    merged.d2 = a.d2
                    if merged.d1 is None:
                        merged.d1 = 1
                elif a.m1 is not None:
                    merged.d2 = None
                merged.bare_day = False
                out[-1] = merged
                continue
        out.append(a)
    return out


def _iso(d: Optional[dt.date]) -> Optional[str]:
    return d.isoformat() if d else None


def _finish(text: str, a: _Date, ref: Optional[dt.date], v: _Vocab, ref_year_only: bool):
    """Span and value of a date atom, with the kind decided by the words around it."""
    if a.fixed and a.value is not None:
        return a.start, a.end, a.value
    if ref_year_only and ref is not None and (a.drel is not None or a.bare_day):
        ref = None  # only the reference year is known: no day or month to lean on
    d0, d1 = _resolve(a, ref, v)
    s, e = a.start, a.end
    if a.kind == "before":  # 年内
        return s, e, {"kind": "before", "end": _iso(d1)}
    m = v.suffix_re.match(text, e)
    cat = None
    if m:
        w = m.group()
        cat = v.suffix_cat[w]
        blockers = v.ctx.get(cat + "_blockers")
        if blockers and text[m.end():m.end() + 1] in blockers:
            cat = None
        elif cat == "within" and not (a.m1 is None or a.word):
            cat = None
    if cat == "span":
        return s, m.end(), {"kind": "date", "start": _iso(d0), "end": _iso(d1)}
    if cat in ("within", "before"):
        return s, m.end(), {"kind": "before", "end": _iso(d1)}
    pre = None if a.is_range or s == 0 or text[s - 1] not in v.after_prefixes else text[s - 1]
    if cat == "after" or pre:
        return s - (1 if pre else 0), m.end() if cat == "after" else e, \
            {"kind": "after", "start": _iso(d0)}
    if cat == "since_now":
        return s, m.end(), {"kind": "after", "start": _iso(d0)}
    if cat == "after_end":
        start = d1 + dt.timedelta(days=1) if d1 else None
        return s, m.end(), {"kind": "after", "start": _iso(start)}
    g = v.goal_re.search(text, max(0, s - 4), s)
    if g and len(g.group()) == 1 and g.start() > 0 and \
            text[g.start() - 1] in v.ctx["goal_prefix_blockers"]:
        g = None
    if g and (ref is None or d1 is None or d1 >= ref):
        return s, e, {"kind": "before", "end": _iso(d1)}
    return s, e, {"kind": "date", "start": _iso(d0), "end": _iso(d1)}


_CLAUSE_END = regex.compile(r"[,;。；，\n]")


def _recurring_period_words(text: str, items: list, v: _Vocab) -> None:
    """年终/年底… in a list with other recurrences (月度例会、双月考评和年终考评) recur yearly."""
    for i, (s, e, val, a) in enumerate(items):
        if not (a is not None and a.word in v.cycle_words and val.get("kind") == "date"
                and e - s == len(a.word)):
            continue
        for j in (i - 2, i - 1, i + 1, i + 2):
            if not 0 <= j < len(items) or items[j][2].get("kind") != "recurring":
                continue
            lo, hi = (items[j][1], s) if j < i else (e, items[j][0])
            if hi - lo <= 12 and not _CLAUSE_END.search(text, lo, hi):
                items[i] = (s, e, {"kind": "recurring", "every": "P1Y"}, a)
                break


def _book_spans(text: str, v: _Vocab) -> tuple[list[int], list[int]]:
    starts, ends = [], []
    if "《" in text:
        for m in v.book_re.finditer(text):
            starts.append(m.start())
            ends.append(m.end())
    return starts, ends


def _in_spans(pos: int, end: int, spans) -> bool:
    starts, ends = spans
    k = bisect_right(starts, pos) - 1
    return k >= 0 and ends[k] >= end


def find_times(ctx) -> list[Candidate]:
    v = _vocab()
    text = ctx.text
    atoms: list[_Date] = []
    for rx in v.date_res:
        for mt in rx.finditer(text):
            a = _date_atom(mt, text, v)
            if a is not None:
                atoms.append(a)
    for rx in v.other_res:
        for mt in rx.finditer(text):
            a = _other_atom(mt, text, v)
            if a is not None:
                atoms.append(a)
    books = _book_spans(text, v)
    atoms = [a for a in _drop_overlaps(atoms)
             if not (books[0] and _in_spans(a.start, a.end, books))
             and not _cuts_negative(text, a, v)]
    atoms = _merge_ranges(text, atoms, v)
    _inherit(text, atoms)
    atoms = [a for a in atoms if a.end > a.start]
    ref_at = _ref_lookup(ctx)
    items = []
    for a in atoms:
        ref, yo = ref_at(a.start)
        s, e, val = _finish(text, a, ref, v, yo)
        items.append((s, e, val, a))
    _recurring_period_words(text, items, v)
    out = []
    last_end = -1
    for s, e, val, _ in items:
        if s < last_end:  # a prefix (自) reached into the previous mention
            continue
        out.append(Candidate("time", s, e, val))
        last_end = e
    return out


def _ref_lookup(ctx):
    """pos -> (reference date, whether only its year is known), one bisect per call."""
    parts = ctx.reference[3]
    doc = ctx.reference_date
    if not parts:
        return lambda pos: (doc, False)
    starts = [p[0] for p in parts]
    year_only = {s for s, _ in ctx.cache.get("refdate.year_only_parts") or ()}

    def at(pos):
        k = bisect_right(starts, pos) - 1
        if k >= 0 and pos < parts[k][1] and parts[k][2] is not None:
            return parts[k][2], parts[k][0] in year_only
        return doc, False
    return at


_SENTENCE_END = regex.compile(r"[。！？!?；;\n]")


def _inherit(text: str, atoms: list[_Date]) -> None:
    """Bare months take an explicit year named earlier in the same sentence; bare days
    take the month named last before them (3月25日讯 25日)."""
    last_month = None  # (position, month)
    last_year = None   # (end position, y, yrel)

    def same_sentence(pos: int, a: _Date) -> bool:
        return a.start - pos < 200 and not _SENTENCE_END.search(text, pos, a.start)

    for a in atoms:
        if a.fixed:
            continue
        if a.bare_day:
            if last_month and a.start - last_month[0] < 300:
                a.m1 = a.m2 = last_month[1]
                if last_year and same_sentence(last_year[0], a):
                    a.y, a.yrel = last_year[1], last_year[2]
            else:  # a day number with no month named before it: too weak to be a date
                a.start = a.end = -1
        elif a.yrel == 0 and a.m1 is not None and not a.word and a.y is None:
            if last_year and same_sentence(last_year[0], a):
                a.y, a.yrel = last_year[1], last_year[2]
        elif (a.y is not None and a.y2 is None) or (a.yrel is not None and a.yrel != 0):
            last_year = (a.end, a.y, a.yrel)
        if a.m1 is not None and a.m1 == a.m2 and not a.word:
            last_month = (a.end, a.m1)


@register_extractor("time")
def extract(ctx):
    return find_times(ctx)
