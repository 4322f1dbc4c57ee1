"""phone mentions: 0635-8378986, (0635)8378986, 400-888-7501, mobiles, and service
numbers (12345) or bare local numbers when a cue word (电话, 热线, 拨打) stands by."""
from __future__ import annotations

import re
from functools import lru_cache

import regex

from ..pipeline import Candidate, register_extractor
from ..resources import load_yaml

# A phone number is a whole digit run: not part of a longer number, decimal, amount,
# percentage or date.
_LEFT = r"(?<![\d.\-/])"
_RIGHT = r"(?![\d.%％]|\s?[万亿元年月日号个])"


@lru_cache(maxsize=1)
def _cfg():
    cfg = load_yaml("phone/phone.yaml")
    fixed = regex.compile(_LEFT + "(?:%s)" % "|".join(cfg["patterns"]) + _RIGHT)
    cued = regex.compile(_LEFT + "(?:%s)" % "|".join(cfg["cue_patterns"]) + _RIGHT)
    cues = regex.compile("(?:%s)[^\\n\\d]{0,%d}$" % (
        "|".join(map(regex.escape, cfg["cues"])), cfg["cue_window"]))
    after = regex.compile(r"[”\"']?\p{Han}{0,4}?(?:%s)"
                          % "|".join(map(regex.escape, cfg["after_cues"])))
    words = cfg["cues"] + cfg["after_cues"]
    # The stdlib engine finds these literals several times faster than `regex`.
    trigger = re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))))
    longest = max(map(len, words))
    # Digit-run starts that may be a cued number next to a trigger word starting at a:
    # a run before it ends at most 5 characters (quote, 4 Han) before a word that may
    # overlap the one found, and is at most 8 digits long; a run after it starts at most
    # cue_window characters after a word that may end `longest` after a.
    reach = (5 + longest + 8, longest + cfg["cue_window"] + longest + 1)
    return fixed, cued, cues, after, cfg["cue_window"] + 4, trigger, reach


# Where a run of digits (as the patterns' \d sees them) starts: a cued number starts there.
_RUN_START = regex.compile(r"(?<!\d)\d")


def _cued_starts(text: str, trigger, reach) -> list[int]:
    """Starts of the digit runs near a cue word: a superset of where a cued number that
    passes the cue test can start, so the cue pattern need not scan the whole text."""
    before, after = reach
    found = set()
    for w in trigger.finditer(text):
        for r in _RUN_START.finditer(text, max(0, w.start() - before), w.start() + after):
            found.add(r.start())
    return sorted(found)


def find(text: str) -> list[tuple[int, int]]:
    fixed, cued, cues, after, back, trigger, reach = _cfg()
    spans = [m.span() for m in fixed.finditer(text)]
    # A cued match is a whole digit run (the lookarounds refuse a digit on either side),
    # so matching at each run start near a cue word finds the same matches as a finditer
    # over the whole text would, among those the cue test can accept.
    for s0 in _cued_starts(text, trigger, reach):
        m = cued.match(text, s0)
        if m is None:
            continue
        s, e = m.span()
        if any(a <= s < b for a, b in spans):
            continue
        if cues.search(text, max(0, s - back), s) or after.match(text, e):
            spans.append((s, e))
    return sorted(spans)


@register_extractor("phone")
def extract(ctx):
    return [Candidate("phone", s, e, None) for s, e in find(ctx.text)]
