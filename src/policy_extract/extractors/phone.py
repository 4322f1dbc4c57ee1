"""phone mentions: 0635-8378986, (0635)8378986, 400-888-7501, mobiles, and service
numbers (12345) or bare local numbers when a cue word (电话, 热线, 拨打) stands by."""
from __future__ import annotations

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
    return fixed, cued, cues, after, cfg["cue_window"] + 4


def find(text: str) -> list[tuple[int, int]]:
    fixed, cued, cues, after, back = _cfg()
    spans = [m.span() for m in fixed.finditer(text)]
    taken = {s for s, _ in spans}
    for m in cued.finditer(text):
        s, e = m.span()
        if s in taken or any(a <= s < b for a, b in spans):
            continue
        if cues.search(text, max(0, s - back), s) or after.match(text, e):
            spans.append((s, e))
    return sorted(spans)


@register_extractor("phone")
def extract(ctx):
    return [Candidate("phone", s, e, None) for s, e in find(ctx.text)]
