"""subsidies linker: one record per subsidy, award or grant standard.

An amount mention is a standard when a trigger word (给予, 补助, 奖励 …) governs it in its
sentence and no word of spending, raising or earning (发放, 获得, 投资 …) stands right
before it. The recipient is the phrase before the trigger: the clause that holds it, or
the clause before when that one is empty ("(一)国家级技能大师工作室,一次性补助20万元"),
without the opening 对, the qualifying "符合…的" (kept as the condition) and closing
words such as 分别.

Distributive phrasing pairs in order: amounts listed together (200万元、50万元) split a
coordination of as many items in the recipient (国家级和省级…) into one recipient each.
"""
from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import Optional

import regex

from .. import segment
from ..models import AmountValue, Span, Subsidy
from ..outline import build_outline, mention_index
from ..pipeline import register_linker
from . import MAX_CLAUSE, clause_end, clause_start
from ..resources import load_yaml

_GROUP_SEP = regex.compile(r"^(?:[、,]|和|及|与|或|、和)$")
_LIST_MARKER = regex.compile(
    r"\s*(?:第[一二三四五六七八九十百\d]{1,4}条[::]?|\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}、|\d{1,3}[.、]|[①-⑳])\s*")
_STANDARD_WINDOW = 10  # characters before an amount that may report it as spent or raised
_CAP_WINDOW = 6
_OWN_LABEL = 20  # longest label before an amount in its own clause (一等奖5万元)
_OPENER_REACH = 200  # how far back a 对… clause may name the recipient of a later clause


@lru_cache(maxsize=1)
def _cfg():
    c = load_yaml("subsidy/subsidy.yaml")
    alt = lambda words: regex.compile("|".join(  # noqa: E731
        map(regex.escape, sorted(words, key=len, reverse=True))))
    modes = []
    for mode, words in c["modes"].items():
        for w in words:
            modes.append((w, mode))
    modes.sort(key=lambda p: -len(p[0]))
    return {
        "trigger": alt(c["triggers"]),
        "not_standard": alt(c["not_standard_before"]),
        "reported": alt(c["reported"]),
        "recurring": alt(c["recurring"]),
        # the mode word found first in a window; at one position the longest, then the
        # first listed (an alternation tries its words in this order)
        "mode_first": regex.compile("|".join(regex.escape(w) for w, _ in modes)),
        "mode_of": {w: mode for w, mode in reversed(modes)},
        "cap": tuple(sorted(c["cap_words"], key=len, reverse=True)),
        "openers": tuple(sorted(c["recipient_openers"], key=len, reverse=True)),
        "pronouns": tuple(c["pronouns"]),
        "basis": tuple(c["basis_words"]),
        "cap_re": alt(c["cap_words"]),
        "verbs": tuple(c["recipient_verbs"]),
        "closers": tuple(sorted(c["recipient_closers"], key=len, reverse=True)),
        "sources": tuple(sorted(c["funding_sources"], key=len, reverse=True)),
        "source_preps": tuple(sorted(c["funding_prepositions"], key=len, reverse=True)),
        "cond": tuple(c["condition_openers"]),
        "seps": "".join(w for w in c["list_separators"] if len(w) == 1),
        "mode_words": alt([w for w, _ in modes]),
    }


def _groups(text: str, amounts: list[tuple[int, int, object]]):
    """Amounts listed together (200万元、50万元 / 8万元、5万元和3万元)."""
    groups: list[list] = []
    for a in amounts:
        if groups and _GROUP_SEP.match(text[groups[-1][-1][1]:a[0]]):
            groups[-1].append(a)
        else:
            groups.append([a])
    return groups


def _strip_recipient(text: str, s: int, e: int) -> tuple[int, int, Optional[tuple[int, int]]]:
    """Trim a recipient phrase [s, e); returns (s, e, condition span or None)."""
    cfg = _cfg()
    m = _LIST_MARKER.match(text, s, e)
    if m:
        s = m.end()
    changed = True
    cond = None
    while changed and s < e:
        changed = False
        while s < e and text[s] in " \t":
            s += 1
        # each word list is tried only when one of its words is there (one C call)
        for w in cfg["openers"] if text.startswith(cfg["openers"], s) else ():
            if text.startswith(w, s) and e - s > len(w):
                s += len(w)
                changed = True
                break
        if text.startswith(cfg["cond"], s):
            de = text.find("的", s, e)
            if 0 <= de < e - 1:
                cond = (s, de)
                s = de + 1
                changed = True
        seg = text[s:e]
        closers = cfg["closers"] + ("的",)
        for w in closers if seg.endswith(closers) else ():
            if seg.endswith(w):
                e -= len(w)
                changed = True
                break
        src = _funding_source_start(text, s, e, cfg)
        if src is not None:
            e, changed = src, True
        # mode words and verbs left at either end (…,一次性补助 / 每月发放) are no part of
        # the name
        mw = cfg["mode_words"].search(text, max(s, e - 4), e)
        if mw and mw.end() == e:
            e = mw.start()
            changed = True
        mw = cfg["mode_words"].match(text, s, e)
        if mw:
            s = mw.end()
            changed = True
        for w in cfg["verbs"] if text.endswith(cfg["verbs"], s, e) else ():
            if text.startswith(w, e - len(w)) and e - len(w) >= s:
                e -= len(w)
                changed = True
                break
        while e > s and text[e - 1] in " ,、":
            e -= 1
    return s, e, cond


def _funding_source_start(text: str, s: int, e: int, cfg) -> Optional[int]:
    """Where a payer ending text[s:e] begins (财政, 市财政, 由县财政), or None."""
    for w in cfg["sources"] if text.endswith(cfg["sources"], s, e) else ():
        if text.endswith(w, s, e):
            b = e - len(w)
            if b > s and text[b - 1] in segment.admin_prefixes():
                b -= 1
            for p in cfg["source_preps"]:
                if text.endswith(p, s, b):
                    b -= len(p)
                    break
            return b
    return None


def _opener_clause(text: str, pos: int) -> Optional[int]:
    """Start of the nearest clause before `pos` that opens with 对/凡/向 …, searching back
    within the paragraph and across ; but never across a full stop."""
    cfg = _cfg()
    k = pos
    limit = max(0, pos - _OPENER_REACH)
    while k > limit:
        k = clause_start(text, k - 1, limit)
        m = _LIST_MARKER.match(text, k)
        if text.startswith(cfg["openers"], m.end() if m else k):
            return k
        if k == 0 or text[k - 1] in "。\n":
            return None
    return None


def _recipient_span(text: str, anchor: int, lo: int) -> tuple[int, int, list[tuple[int, int]]]:
    """The recipient phrase before `anchor` (the trigger word or the amount)."""
    cfg = _cfg()
    cs = clause_start(text, anchor, lo)
    s, e, cond = _strip_recipient(text, cs, anchor)
    if (e - s < 2 or text.startswith(cfg["pronouns"] + cfg["basis"], s)) and cs > lo:
        # the clause holds only the trigger, or points back (其房租按…): the recipient is
        # the clause before, or the nearest one that opens with 对/凡
        ps = clause_start(text, cs - 1, lo)
        pe = cs - 1
        op = _opener_clause(text, cs)
        if text[ps:pe].endswith("的") and op is not None and op < ps:
            # "…人才,购房的,给予…": the clause before is a condition on the recipient
            cond = (ps, pe - 1)
            ps = op
            pe = clause_end(text, op, cs)
        elif op is not None and text.startswith(cfg["pronouns"] + cfg["basis"], s):
            ps, pe = op, clause_end(text, op, cs)
        s, e, cond2 = _strip_recipient(text, ps, pe)
        cond = cond or cond2
    conds = []
    # "…符合入住条件的在孵企业": the head after the last 的 names the recipient, the rest
    # qualifies it
    de = text.rfind("的", s, e)
    if de >= 0 and e - de - 1 >= 2:
        if cond and cond[1] <= s:
            conds.append((cond[0], de))  # 符合资助条件的国家级…: one stretch
            cond = None
        elif de > s:
            conds.append((s, de))
        s = de + 1
    if cond:
        conds.append(cond)
    return s, e, conds


def _split_items(text: str, s: int, e: int, n: int):
    """A coordination of `n` parallel items in [s, e) (国家级和省级…, 一、二、三等奖):
    (prefix end, [(item start, item end)], suffix start), or None. Items are parallel
    when they end alike (国家级/省级) or, failing that, are as long as the first (一/二)."""
    seps = _cfg()["seps"]
    for i in range(s, e):
        for L in range(1, 5):
            j = i + L
            if j >= e or text[j] not in seps or any(c in seps for c in text[i:j]):
                continue
            last_ch = text[j - 1]
            items, pos, ok = [(i, j)], j + 1, True
            for k in range(n - 1):
                window = text[pos:pos + 4]
                cut = len(window)
                for c_i, c in enumerate(window):
                    if c in seps:
                        cut = c_i
                        break
                end_k = window.find(last_ch, 0, cut)
                end = pos + end_k + 1 if end_k >= 0 else pos + L
                if end > e or end <= pos or any(c in seps for c in text[pos:end]):
                    ok = False
                    break
                items.append((pos, end))
                if k < n - 2:
                    if end >= e or text[end] not in seps:
                        ok = False
                        break
                    pos = end + 1
            if ok:
                return i, items, items[-1][1]
    return None


def _mode(text: str, lo: int, hi: int) -> Optional[str]:
    """The mode of the mode word found first in [lo, hi)."""
    cfg = _cfg()
    m = cfg["mode_first"].search(text, lo, hi)
    return cfg["mode_of"][m.group()] if m else None


def _orig_span(ctx, s: int, e: int) -> Span:
    a, b = ctx.to_orig(s, e)
    return Span(text=ctx.original[a:b], start=a, end=b)


def _section_at(outline, starts: list[int], pos: int) -> Optional[str]:
    heads = outline.headings
    k = bisect_right(starts, pos) - 1
    # every section holding pos is the last heading before it or one of its ancestors
    node = heads[k] if k >= 0 else None
    while node is not None:
        if node.start <= pos < node.end:
            return node.path
        node = node.parent
    return None


def _heading_mode(outline, starts: list[int], pos: int) -> Optional[str]:
    """The mode a heading states for the items below it (一次性补助标准: (一)…补助20万元)."""
    k = bisect_right(starts, pos) - 1
    if k < 0:
        return None
    node = outline.headings[k]
    # the heading of the amount's own item counts only when it introduces what follows
    # (…标准:); otherwise its title is the item's own first sentence
    if not node.title.endswith(":"):
        node = node.parent
    while node is not None:
        if node.start <= pos < node.end and node.body > pos - MAX_CLAUSE * 3:
            mode = _mode(node.title, 0, len(node.title))
            if mode:
                return mode
        node = node.parent
    return None


def build_subsidies(ctx) -> list[Subsidy]:
    cfg = _cfg()
    text = ctx.text
    index = mention_index(ctx)  # in text order
    amounts = [(ns, ne, m) for m, (ns, ne) in zip(index.items, index.norm)
               if m.type == "amount" and m.value is not None]
    if not amounts:
        return []
    outline = build_outline(ctx)
    head_starts = [h.start for h in outline.headings]
    out: list[Subsidy] = []
    for group in _groups(text, amounts):
        g0, g1 = group[0][0], group[-1][1]
        ss, se = ctx.sentence_at(g0)
        ss, se = max(ss, g0 - MAX_CLAUSE), min(se, g1 + MAX_CLAUSE)
        before = text[ss:g0]
        trig = None
        for t in cfg["trigger"].finditer(before):
            trig = t  # the nearest trigger before the amounts
        after_end = clause_end(text, g1, se)
        trig_after = cfg["trigger"].search(text, g1, after_end)
        if trig is None and trig_after is None:
            continue
        clause_before = text[clause_start(text, g0, ss):g0]
        if cfg["reported"].search(clause_before):
            continue  # 共发放…, 累计…: money that was paid, not a standard
        if cfg["not_standard"].search(text, max(ss, g0 - _STANDARD_WINDOW), g0) \
                and not cfg["recurring"].search(clause_before):
            continue  # 获得…资金, 总投资…; but 每月发放生活补贴3000元 is a standard
        anchor = ss + trig.start() if trig is not None else g0
        own_s = clause_start(text, g0, ss)
        if trig is not None and ss + trig.start() < own_s:
            # the amount's own clause names what it is for: 奖励标准为:一等奖5万元,二等奖3万元
            os_, oe, _ = _strip_recipient(text, own_s, g0)
            if 2 <= oe - os_ <= _OWN_LABEL and not text.startswith(cfg["pronouns"] + cfg["basis"], os_) \
                    and not cfg["cap_re"].search(text, os_, oe):
                anchor = g0
        # the recipient may stand before a ; (对引进的人才,…;购房的,给予…) but not before a 。
        reach = max(0, anchor - _OPENER_REACH)
        full_stop = max(text.rfind("。", reach, anchor), text.rfind("\n", reach, anchor), reach - 1) + 1
        rs, re_, cond = _recipient_span(text, anchor, full_stop if full_stop < anchor else max(0, ss - 1))
        if re_ - rs < 2:
            # the sentence opens with the amount: the recipient is the item's label
            ps = max(0, ss - 1)
            rs, re_, cond = _recipient_span(text, ps, clause_start(text, max(0, ps - 1), 0))
        n = len(group)
        split = _split_items(text, rs, re_, n) if n > 1 and re_ > rs else None
        clause_lo = clause_start(text, anchor, ss)
        mode_all = _mode(text, clause_lo, after_end) or _heading_mode(outline, head_starts, g0)
        recipient = _orig_span(ctx, rs, re_) if re_ > rs else None
        for i, (ns, ne, m) in enumerate(group):
            name = None
            if split:
                # the span stays the whole phrase (spans are always text of the document);
                # the name shares it out: prefix + this item + the common head
                pre_s, items, suf_s = split
                a, b = items[i]
                name = "".join(_orig_span(ctx, x, y).text
                               for x, y in ((rs, pre_s), (a, b), (suf_s, re_)))
            per = _mode(text, ne, min(ne + 3, after_end))  # 500元/人
            value = m.value  # the amount's value object is the record's value (not copied)
            if type(value) is not AmountValue:
                value = AmountValue(**(value.model_dump() if hasattr(value, "model_dump") else value))
            cap = value if (text[max(ss, ns - _CAP_WINDOW):ns].endswith(cfg["cap"])
                            or value.qualifier == "max") else None
            out.append(Subsidy(
                recipient=recipient, recipient_name=name, amount=Span(text=m.text, start=m.start, end=m.end),
                value=value, mode=per or mode_all, cap=cap,
                conditions=";".join(ctx.original[slice(*ctx.to_orig(*c))].strip() for c in cond) or None,
                section=_section_at(outline, head_starts, ns), line=m.line))
    return out


@register_linker("subsidies")
def link(ctx, document):
    document.subsidies = build_subsidies(ctx)
