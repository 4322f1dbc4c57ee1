"""Chinese and Arabic numerals: a regex fragment that finds them and a parser to float.

Handles 一千二百, 两万三千, 5.7万, 1.2亿, 大写 numerals (壹贰叁…佰仟), mixed "1万5千",
"3万4000", stacked section units (万亿 = 1e12, 万万 = 1e8), decimals (三点五, 2.5),
thousand separators (1,000), the spoken abbreviation of the last place (两千四百五 =
2450, 一万三 = 13000) and vague last places (2400多万, 二十几万, 12万余: the floor,
flagged vague). Also the comparison words around a number (qualifiers), which amount and
quantity share. Vocabulary lives in data/numbers/.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

import regex

from .resources import load_yaml

_NUM = load_yaml("numbers/numerals.yaml")
DIGITS: dict[str, int] = _NUM["digits"]
SMALL: dict[str, int] = _NUM["small_units"]
BIG: dict[str, int] = _NUM["big_units"]
POINTS = frozenset(_NUM["points"])
VAGUE = frozenset(_NUM["vague"])
MAGNITUDES = frozenset(k for k, v in {**SMALL, **BIG}.items() if v >= 100)

_CN = "".join(DIGITS) + "".join(SMALL) + "".join(BIG)
CN_CLASS = regex.escape(_CN)
CN_DIGIT_CLASS = regex.escape("".join(DIGITS))
MAG_CLASS = regex.escape("".join(k for k in MAGNITUDES))
_VAGUE_CLASS = regex.escape("".join(VAGUE))
_POINT_ALT = "|".join(map(regex.escape, POINTS))

# One numeral: starts with a digit (Arabic or Chinese), a unit (百亿, 十五) or 半 before a
# magnitude (半百); goes on over digits, units, decimal points followed by a digit,
# thousand commas followed by a digit and vague words. Bounded: at most 32 characters,
# no nested repetition, so it never backtracks more than linearly.
NUMERAL = (
    rf"(?:[0-9]|\.(?=[0-9])|[{CN_CLASS}]|半(?=[{MAG_CLASS}]))"
    rf"(?:[0-9{CN_CLASS}]|\.(?=[0-9])|,(?=[0-9]{{3}}(?![0-9]))"
    rf"|(?:{_POINT_ALT})(?=[0-9{CN_DIGIT_CLASS}])|[{_VAGUE_CLASS}]){{0,31}}+"
)
# Every character NUMERAL may take.
_NUMERAL_CHARS = regex.escape("0123456789.,半" + _CN + "".join(POINTS) + "".join(VAGUE))
# Possessive: a numeral never gives characters back, which keeps matching linear on
# long digit lists. Units that begin with a magnitude character (千瓦, 千米) are
# matched by their tail and re-attached by the caller (see read_measure's num_end).


_BARE_CHARS = "".join(MAGNITUDES | VAGUE)
_ZEROS = frozenset(k for k, v in DIGITS.items() if v == 0)
_DIGIT_CHARS = "".join(DIGITS)
_VAGUE_CHARS = "".join(VAGUE)


def is_bare(numeral: str) -> bool:
    """True when the numeral is only magnitudes (百, 亿, 百亿): no digit states a count."""
    return not numeral.strip(_BARE_CHARS)   # str.strip: the set test in C


def _ascending(numeral: str) -> bool:
    """百亿, 千万, 万亿: each magnitude multiplies the one before, so they grow."""
    vals = [SMALL.get(c) or BIG.get(c) for c in numeral if c not in VAGUE]
    return all(a < b for a, b in zip(vals, vals[1:]))


def has_vague(numeral: str) -> bool:
    return not VAGUE.isdisjoint(numeral)


def _parse_arabic(s: str) -> Optional[float]:
    s = s.replace(",", "")
    if not s or s.count(".") > 1:
        return None
    try:
        return float(s)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _parse_integer(s: str) -> Optional[float]:
    """Integer part of a numeral (may hold Arabic runs and a trailing decimal Arabic run)."""
    if not s:
        return 0.0
    upper = 0.0        # completed part at 亿 rank and above
    wan = 0.0          # completed part at 万 rank
    section = 0.0      # completed part below 万
    cur: Optional[float] = None   # digit waiting for its unit
    cur_cn = False     # cur was a single Chinese digit (may be an abbreviated last place)
    last_unit = 0      # the unit just before cur, for 两千四百五 = 2450
    zero = False       # 零 seen since the last unit: no abbreviation (一千零五 = 1005)
    prev_big = 0       # the previous token was this section unit (万万, 万亿)
    any_value = False
    digit_string = False   # cur was written in Chinese digits
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c.isdigit() or c == ".":
            j = i
            while j < n and (s[j].isdigit() or s[j] in ".,"):
                j += 1
            v = _parse_arabic(s[i:j])
            if v is None or cur is not None:
                return None
            cur, cur_cn, any_value, prev_big = v, False, True, 0
            digit_string = False
            i = j
            continue
        if c == "半" and cur is None:
            cur, cur_cn, any_value, prev_big = 0.5, False, True, 0   # 半百 = 50
            i += 1
            continue
        if c in VAGUE:
            # 几 stands for an unknown digit: count it as 0 (the floor). A vague place
            # is the last one stated: only a unit may follow (2400多万, 二十几万).
            if i + 1 < n and s[i + 1] not in SMALL and s[i + 1] not in BIG:
                return None
            i += 1
            continue
        if c in DIGITS:
            d = DIGITS[c]
            if d == 0 and cur is None:
                zero, any_value, prev_big = True, True, 0
            elif cur is not None:
                if not digit_string or last_unit:
                    # 12319二级 (Arabic then Chinese), 十三五 (a plan's name, not 45)
                    return None
                # digit string such as 二〇二〇 or 一二
                cur, cur_cn = cur * 10 + d, False
            else:
                cur, cur_cn, any_value, prev_big = float(d), True, True, 0
                digit_string = True
            i += 1
            continue
        if c in SMALL:
            u = SMALL[c]
            section += (cur if cur is not None else 1) * u
            cur, cur_cn, last_unit, zero, prev_big, any_value = None, False, u, False, 0, True
            i += 1
            continue
        if c in BIG:
            u = BIG[c]
            if cur is None and section == 0 and prev_big:
                # stacked units: 万万 = 1e8, 万亿 handled below, 亿亿
                if prev_big == 10000 and u == 10000:
                    upper += wan * 10000
                    wan = 0.0
                elif u == 100000000:
                    upper = (upper + wan) * u
                    wan = 0.0
                else:
                    upper *= u
                prev_big = u
                last_unit, zero = u, False
                i += 1
                continue
            part = section + (cur if cur is not None else 0)
            if part == 0 and not any_value:
                part = 1   # bare 万, 亿
            if u == 10000:
                wan += part * u
            else:
                upper = (upper + wan + part) * u
                wan = 0.0
            section, cur, cur_cn = 0.0, None, False
            last_unit, zero, prev_big, any_value = u, False, u, True
            i += 1
            continue
        return None
    if not any_value:
        return None
    tail = 0.0
    if cur is not None:
        if cur_cn and last_unit >= 100 and not zero:
            tail = cur * last_unit / 10       # 两千四百五, 一万三
        else:
            tail = cur
    return upper + wan + section + tail


_ARABIC_START = frozenset("0123456789.")
_ARABIC_CHARS = "0123456789.,"


@lru_cache(maxsize=8192)
def parse_numeral(s: str) -> Optional[float]:
    """Value of a numeral string, or None when it is not a well-formed number.

    >>> parse_numeral("一千两百三十四万"), parse_numeral("5.7万"), parse_numeral("三点五")
    (12340000.0, 57000.0, 3.5)
    """
    s = s.strip()
    if not s:
        return None
    neg = s[0] in "-负"
    if neg:
        s = s[1:]
    for p in POINTS:
        if p in s:
            head, _, frac = s.partition(p)
            k = 0
            digits = []
            while k < len(frac) and (frac[k] in DIGITS or frac[k].isdigit()):
                digits.append(str(DIGITS[frac[k]]) if frac[k] in DIGITS else frac[k])
                k += 1
            if not digits:
                return None
            mult = 1.0
            for c in frac[k:]:
                if c not in BIG and c not in SMALL:
                    return None
                mult *= BIG.get(c) or SMALL[c]
            ip = _parse_integer(head)
            if ip is None:
                return None
            v = (ip + float("0." + "".join(digits))) * mult
            return -v if neg else v
    if s[:1] in _ARABIC_START and not s.strip(_ARABIC_CHARS):
        v = _parse_arabic(s)    # what _parse_integer makes of a plain Arabic number
    else:
        v = _parse_integer(s)
    if v is None:
        return None
    return -v if neg else v


def parse_fraction(denominator: str, numerator: str) -> Optional[float]:
    """三分之二 -> 66.67 (percent), 千分之五 -> 0.5."""
    d = parse_numeral(denominator)
    n = parse_numeral(numerator)
    if not d or n is None:
        return None
    return round(n / d * 100, 10)


# --------------------------------------------------- first characters of a pattern ------
_META = frozenset("\\.^$*+?{}[]()|")
_LOOK = ("(?<=", "(?<!", "(?=", "(?!")


def _close(p: str, i: int) -> int:
    """Index just past the group or class opening at p[i] (escapes and classes skipped)."""
    depth, k = 0, i
    while k < len(p):
        c = p[k]
        if c == "\\":
            k += 2
            continue
        if c == "[":
            k += 2 if p.startswith("[^", k) else 1
            k += p.startswith("]", k)       # a "]" first in a class is a character
            while p[k] != "]":
                k += 2 if p[k] == "\\" else 1
            k += 1
            if p[i] == "[":
                return k
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return k + 1
        k += 1
    raise ValueError(p)


def _alternatives(p: str) -> list[str]:
    out, k, start = [], 0, 0
    while k < len(p):
        c = p[k]
        if c == "\\":
            k += 2
        elif c in "([":
            k = _close(p, k)
        elif c == "|":
            out.append(p[start:k])
            k = start = k + 1
        else:
            k += 1
    out.append(p[start:])
    return out


def pattern_first_chars(p: str) -> Optional[frozenset]:
    """The characters a match of regex source `p` can begin with, or None when unsure.

    Only simple shapes are read: alternatives of a literal character, a class of listed
    characters or a (?:…) group, each after look-arounds (which take no character) and
    not optional. A check against this set lets a caller skip a match that cannot start."""
    try:
        chars: set = set()
        for alt in _alternatives(p):
            k = 0
            while alt.startswith(_LOOK, k):
                k = _close(alt, k)
            if k >= len(alt):
                return None
            if alt[k] == "(":
                end = _close(alt, k)
                inner = alt[k + 1:end - 1]
                if inner.startswith("?:"):
                    inner = inner[2:]
                elif inner.startswith("?"):
                    return None
                first = pattern_first_chars(inner)
            elif alt[k] == "[":
                end = _close(alt, k)
                body = alt[k + 1:end - 1]
                if not body or body[0] == "^" or _META.intersection(body) or "-" in body:
                    return None
                first = frozenset(body)
            elif alt[k] not in _META:
                end, first = k + 1, frozenset(alt[k])
            else:
                return None
            if first is None or alt[end:end + 1] in ("?", "*") or alt.startswith(("{0", "{,"), end):
                return None
            chars |= first
        return frozenset(chars)
    except (ValueError, IndexError):     # unbalanced: not a shape read here
        return None


# ---------------------------------------------------------------- qualifiers -----------
_Q = load_yaml("numbers/qualifiers.yaml")


def _alternation(words: dict, anchor_end: bool):
    items = [(w, q) for q, ws in words.items() for w in ws]
    items.sort(key=lambda x: -len(x[0]))
    parts = [f"(?P<{q}{i}>{w})" for i, (w, q) in enumerate(items)]
    body = "|".join(parts)
    return regex.compile(f"(?:{body})$" if anchor_end else f"(?:{body})")


_BEFORE = _alternation(_Q["before"], True)
# What a before-word can begin with: a window holding none of these holds none of them.
_BEFORE_FIRST = pattern_first_chars("|".join(w for ws in _Q["before"].values() for w in ws))
_AFTER = _alternation(_Q["after"], False)
BARE_BEFORE: dict[str, str] = _Q["bare_magnitude_before"]


def _kind(m) -> str:
    name = m.lastgroup
    return name.rstrip("0123456789")


_AFTER_FIRST = frozenset(w[0] for ws in _Q["after"].values() for w in ws)


_AFTER_SKIP = tuple(_Q["after_skip"])


def qualifier_after(text: str, end: int) -> Optional[str]:
    if text.startswith("(", end):
        for skip in _AFTER_SKIP:
            if text.startswith(skip, end):
                end += len(skip)
                break
    if text[end:end + 1] not in _AFTER_FIRST:
        return None
    m = _AFTER.match(text, end, min(len(text), end + 4))
    return _kind(m) if m else None


def qualifier_before(text: str, start: int) -> Optional[str]:
    lo = max(0, start - 10)
    if _BEFORE_FIRST is not None and _BEFORE_FIRST.isdisjoint(text[lo:start]):
        return None
    m = _BEFORE.search(text, lo, start)
    return _kind(m) if m else None


def qualifier(text: str, start: int, end: int, vague: bool = False) -> str:
    """exact / min / max / approx for the number at text[start:end]."""
    after = qualifier_after(text, end)
    if after:
        return after
    before = qualifier_before(text, start)
    if before:
        return before
    return "min" if vague else "exact"


# ------------------------------------------------- numeral + unit matches ---------------
RANGE_DASH = r"[-~～—–至到]"
# Range and prefix groups shared by the amount and quantity patterns: "10-20万元",
# "1至2处", "数万名". `lounit` lets "10%-20%" or "10万元至20万元" be one range.
def measure_pattern(units: str, lo_units: str = "", between: str = "") -> str:
    """Regex source: [lo dash] [数|几] numeral [between] [space] unit."""
    lou = f"(?P<lounit>{lo_units})?" if lo_units else ""
    # Most numbers are no range: a cheap look for the dash (over characters a numeral
    # may hold) spares reading the numeral twice. It holds wherever the range part can
    # match, so the matches are the same.
    guard = rf"(?=[{_NUMERAL_CHARS}]{{1,32}}(?:{lo_units})? ?{RANGE_DASH})"
    return (rf"(?:{guard}(?P<lo>{NUMERAL}){lou} ?(?P<dash>{RANGE_DASH}) ?)?"
            rf"(?P<pre>[数几])?(?P<num>{NUMERAL}){between}(?P<sp> )?(?P<unit>{units})")


def compile_pattern(source: str):
    """`source` compiled with the standard library's re, which runs a short anchored
    match about three times faster than `regex`; with `regex` where re cannot read it
    (possessive quantifiers before Python 3.11). The patterns given here use only what
    both engines read the same way (no variable-width lookbehind), so the matches agree."""
    try:
        return re.compile(source)
    except re.error:
        return regex.compile(source)


_TRAILING_MAG = regex.compile(rf"[{MAG_CLASS}]+$")
_HAS_MAG = regex.compile(rf"[{regex.escape(''.join(SMALL) + ''.join(BIG))}]")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")


def comma_is_separator(ctx, i: int) -> bool:
    """A ',' in the normalized text is a thousands separator only if it was ASCII ','
    in the original (a full-width '，' is a clause break: 增长10%，100家)."""
    s, e = ctx.to_orig(i, i + 1)
    return ctx.original[s:e] == ","


def read_measure(ctx, m, num_end: Optional[int] = None
                 ) -> Optional[tuple[int, int, float, float, Optional[str]]]:
    """Validate a measure_pattern match: (start, end, min, max, qualifier) or None.

    Applies what all numeral+unit mentions share: ordinals (第3) and numbers glued to
    Latin letters or digits (PM2.5, G20) are not counts; a bare magnitude (亿元, 百名)
    needs 上/超/过/近/数 before it; a range takes its lower bound's magnitude from the
    upper one (10-20万元); comma runs are split where the comma was a Chinese comma.
    """
    text = ctx.text
    # Groups by index: a lookup by name costs several times more, on every candidate.
    spans = m.regs
    gi = m.re.groupindex
    num_s, num_e = spans[gi["num"]]
    if num_end is not None:
        num_e = num_end     # the numeral's last magnitude belongs to the unit (30万|千瓦)
    num = text[num_s:num_e]
    lo_s, lo_e = spans[gi["lo"]]
    pre_s, pre_e = spans[gi["pre"]]
    lo_txt = text[lo_s:lo_e] if lo_s >= 0 else None
    pre = text[pre_s:pre_e] if pre_s >= 0 else None
    start = lo_s if lo_txt else pre_s if pre else num_s
    if "," in num:
        cut = None
        for k, ch in enumerate(num):
            if ch == "," and not comma_is_separator(ctx, num_s + k):
                cut = k
        if cut is not None:
            num_s += cut + 1
            num = text[num_s:num_e]
            lo_txt = None
            start = num_s
    if lo_txt and "," in lo_txt:
        lo_txt = None
        start = num_s
    if pre and start == pre_s and not (is_bare(num) or num[0] in SMALL):
        pre = None
        start = num_s
    if lo_txt and start > lo_s:
        lo_txt = None
    bare_q = None
    bare = is_bare(num)
    if bare and not _ascending(num):
        return None     # 亿万农民, 千百年, 万千气象: idioms, not 1e12
    if bare and not pre:
        before = text[num_s - 1] if num_s > 0 else ""
        if len(num.rstrip(_VAGUE_CHARS)) == 1 or lo_txt:
            if before not in BARE_BEFORE:
                return None
            bare_q = BARE_BEFORE[before]
            lo_txt = None
            start = num_s
    elif pre:
        bare_q = BARE_BEFORE.get(pre)
    if start > 0:
        b = text[start - 1]
        if b == "第" or b in _ALNUM:
            return None
        if b == " " and start >= 2 and text[start - 2].isdigit():
            return None     # 7 762 km2: digits grouped by a space; the number is lost
    qual = None
    if (len(num) == 2 and num[0] in DIGITS and num[1] in DIGITS
            and 0 < DIGITS[num[0]] < DIGITS[num[1]]):
        # 两三个, 七八人: two neighbouring digits state a range, not 23 or 78
        lo, value, qual, lo_txt = float(DIGITS[num[0]]), float(DIGITS[num[1]]), "range", None
    elif len(num) > 1 and not num.strip(_DIGIT_CHARS) and _ZEROS.isdisjoint(num):
        return None     # 唯一一家, 一一对应: Chinese digit strings are not counts
    else:
        value = parse_numeral(num)
        if value is None:
            return None
        lo = value
    if lo_txt:
        lv = parse_numeral(lo_txt)
        if lv is not None and not _HAS_MAG.search(lo_txt):
            tm = _TRAILING_MAG.search(num)
            if tm:
                mult = parse_numeral("一" + tm.group()) or 1
                if lv * mult <= value:
                    lv *= mult
        if lv is not None and lv < value:
            lo, qual = lv, "range"
        else:
            start = num_s
    end = m.end()
    if qual is None:
        qual = qualifier_after(text, end) or qualifier_before(text, start) or bare_q
        if qual is None:
            qual = "min" if (has_vague(num) or pre) else "exact"
    return start, end, lo, value, qual


def propagate_list_qualifiers(text: str, cands: list) -> None:
    """分别达到91%、90%以上: a trailing qualifier after a 、-list holds for each member,
    and so does a leading one (最高500万元、200万元).

    `cands` are Candidates of one type in text order."""
    after = [qualifier_after(text, c.end) for c in cands]
    carry = None
    for k in range(len(cands) - 1, -1, -1):
        c = cands[k]
        if (carry and text[c.end:cands[k + 1].start] == "、"
                and c.value.get("qualifier") == "exact"):
            c.value["qualifier"] = carry
            continue
        q = after[k]
        carry = q if q in ("min", "max") and c.value.get("qualifier") == q else None
    # 分别给予最高500万元、200万元: a leading qualifier holds for the members that follow.
    carry = None
    for k, c in enumerate(cands):
        if carry and text[cands[k - 1].end:c.start] == "、" and c.value.get("qualifier") == "exact":
            c.value["qualifier"] = carry
            continue
        q = c.value.get("qualifier")
        carry = q if q in ("min", "max") and after[k] != q else None


# ------------------------------------------------------------------- scanning -----------
# The stdlib engine scans a plain character class several times faster than `regex`;
# the full patterns then run only where a numeral run stands before a possible unit.
_RUN = re.compile(f"[0-9{CN_CLASS}半]+")
_SPAN = re.Match.span
_LEAD = "数几负-."
_WORD_BREAK = re.compile("[%s](?=[0-9])" % re.escape("".join(k for k, v in DIGITS.items() if v)))


def _numeral_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of numeral characters in text."""
    runs = list(map(_SPAN, _RUN.finditer(text)))
    # A digit word then Arabic digits (统一3个, 唯一1家) is two words: 一 ends one.
    # Such cuts are rare: found in one pass, then the runs holding them are split.
    cuts = [b.end() for b in _WORD_BREAK.finditer(text)]
    if cuts:
        split = []
        k = 0
        for s, e in runs:
            while k < len(cuts) and cuts[k] < e:
                split.append((s, cuts[k]))
                s = cuts[k]
                k += 1
            split.append((s, e))
        runs = split
    return runs


def first_chars(words) -> frozenset:
    return frozenset(w[0] for w in words if w)


# What may follow a numeral run inside a longer numeral or before its unit ("." and ","
# only when a digit follows, checked in scan).
NUMERAL_GLUE = frozenset("点點多余几幾打 /-~～—–至到分") | frozenset(_NUM["points"])
_NUMERAL_RE = compile_pattern(NUMERAL)


def _run_edges(ctx) -> tuple[list, list, list]:
    """The numeral runs with the character after each ("" at the end of the text) and the
    last character of each (cached per document: amount and quantity scan the same runs)."""
    got = ctx.cache.get("numeral_run_edges")
    if got is None:
        text = ctx.text
        runs = _numeral_runs(text)
        got = (runs, [text[e:e + 1] for _, e in runs], [text[e - 1] for _, e in runs])
        ctx.cache["numeral_run_edges"] = got
    return got


_SEPARATORS = frozenset(".,")


def scan(ctx, pattern, follow: frozenset, last: frozenset = frozenset()):
    """Matches of `pattern` (anchored with .match) at numeral runs whose next character is
    in `follow` or whose last character is in `last`. A match may begin one character
    before the run (数万, 几十, 负3%, -2%). Matches never overlap."""
    text = ctx.text
    runs, afters, lasts = _run_edges(ctx)
    # The runs worth a look, picked in one comprehension: most runs are followed by none
    # of these, and a loop body per run would cost more than the matches.
    near = follow | _SEPARATORS
    if last:
        picked = [k for k, c in enumerate(afters) if c in near or lasts[k] in last]
    else:
        picked = [k for k, c in enumerate(afters) if c in near]
    pos = 0
    for k in picked:
        s, e = runs[k]
        if s < pos:
            continue
        c = afters[k]
        if not (c in follow or lasts[k] in last
                or (c == "." and text[e + 1:e + 2].isdigit())
                or (c == "," and text[e + 1:e + 4].isdigit() and len(text[e + 1:e + 4]) == 3
                    and not text[e + 4:e + 5].isdigit())):
            continue
        m = None
        if s > 0 and text[s - 1] in _LEAD and s - 1 >= pos:
            m = pattern.match(text, s - 1)
        if m is None:
            m = pattern.match(text, s)
        if m is not None:
            pos = m.end()
            yield m
        else:
            # Numerals are possessive, so a start inside this numeral would end where it
            # ends and fail the same way: skip the rest of it.
            whole = _NUMERAL_RE.match(text, s)
            if whole is not None:
                pos = whole.end()
