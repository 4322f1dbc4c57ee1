"""doc_number mentions: 鲁发〔2017〕26号, 国务院[2000]75号函, 国科发高字[]498号.

Anchored on the bracketed year + serial + 号 core (rare); the issuer prefix is then read
leftwards over Han characters and cut at the verb or date that introduces the number.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from ..pipeline import Candidate, register_extractor
from ..resources import load_yaml


@lru_cache(maxsize=1)
def _cfg():
    cfg = load_yaml("doc_number/doc_number.yaml")
    alts = "|".join(regex.escape(o) + r"\s?((?:19|20)\d{2})?\s?" + regex.escape(c)
                    for o, c in cfg["brackets"])
    suffix = "|".join(map(regex.escape, cfg["suffixes"]))
    not_after = "|".join(map(regex.escape, cfg["not_after"]))
    core = regex.compile(r"(?:%s)第?\d{1,5}号(?!%s)(?:%s)?(?!\d)" % (alts, not_after, suffix))
    prefix = regex.compile(r"[\p{Han}*]{1,%d}$" % cfg["prefix_max"])
    stop = regex.compile("|".join(map(regex.escape, sorted(cfg["prefix_stop"], key=len,
                                                             reverse=True))))
    return core, prefix, stop, frozenset(cfg["prefix_required"]), cfg["ascii_issuer_end"]


def find(text: str) -> list[tuple[int, int]]:
    core, prefix, stop, required, issuer_end = _cfg()
    out = []
    for m in core.finditer(text):
        s = m.start()
        p = prefix.search(text, max(0, s - 16), s)
        if p:
            name = p.group()
            cut = 0
            for st in stop.finditer(name):
                cut = st.end()  # the prefix starts after the last stop word
            s = p.start() + cut
        if text[m.start()] in required and (s == m.start()
                                             or text[m.start() - 1] not in issuer_end):
            continue  # "(2017)5号" with no issuer-like prefix is no document number
        out.append((s, m.end()))
    return out


@register_extractor("doc_number")
def extract(ctx):
    return [Candidate("doc_number", s, e, None) for s, e in find(ctx.text)]
