"""tasks linker: one task per lowest-level numbered item that assigns work.

A task collects the mentions inside its item: deadlines (time mentions that schedule
work), lead units (牵头), other responsible units, and targets (quantities and amounts
that state goals). Milestones pair each scheduling time with the clause it governs, so
"4月底前出台…，10月底前完成…，年底前落实…" gives three.

Whether a list is planned work or a report of what was done is read from the nearest
heading, part title or lead-in that says so (工作计划 / 情况汇报), and failing that from
the item's own wording.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from typing import Optional

import regex

from ..models import Milestone, Span, Task, unvalidated
from ..outline import Heading, MentionIndex, build_outline, mention_index, task_id
from ..pipeline import register_linker
from ..resources import load_yaml
from . import CLAUSE_END, MAX_CLAUSE, clause_end, clause_start

_LIST_SEP = regex.compile(r"^[、和及与,\s()]*$")
# inside a responsibility note: its parts, a part's closing role word, the units listed
_NOTE_PART = regex.compile(r"[^,;]+")
_NOTE_ROLE = regex.compile(r"(牵头|负责|配合|参与|协助)$")
_NOTE_ITEM = regex.compile(r"[^、和及与]+")
_SEMICOLON = regex.compile(r"[;;]")
_LEAD_IN = 200  # characters before a list that may say what the list is
_SHORT_TITLE = 30
_LABEL_REACH = 8  # 责任单位: before the clause


@lru_cache(maxsize=1)
def _cfg():
    c = load_yaml("tasks/tasks.yaml")
    alt = lambda words: regex.compile("|".join(map(regex.escape, words)))  # noqa: E731
    labels = "|".join(map(regex.escape, c["note_labels"]))
    return {
        "plan": alt(c["plan_words"]), "report": alt(c["report_words"] + c["regulation_words"]),
        "not_task": alt(c["not_task_titles"]),
        "plan_m": regex.compile(c["plan_markers"]), "report_m": regex.compile(c["report_markers"]),
        "regulation": set(c["regulation_styles"]),
        "period_of": tuple(c["period_of"]),
        "dur_after": tuple(c["duration_deadline_after"]),
        "labels": frozenset(c["note_labels"]),
        "lead": c["lead_word"], "lead_labels": tuple(c["lead_labels"]),
        "object_verbs": tuple(c["object_verbs"]),
        "creation_verbs": tuple(c["creation_verbs"]),
        "verb_any": regex.compile("|".join(map(regex.escape, c["object_verbs"] + c["creation_verbs"]))),
        "duty": regex.compile("|".join(map(regex.escape, c["duty_words"]))),
        "attributive": tuple(c["attributive_after"]),
        "class_suffixes": tuple(c["class_suffixes"]),
        "done": regex.compile("|".join(map(regex.escape, c["done_markers"]))),
        "threshold": tuple(c["threshold_before"]),
        "modifier_after": tuple(c["modifier_after"]),
        # (责任单位:A、B) 〔牵头单位:A;配合单位:B〕 and a trailing (A牵头,B配合)
        "note": regex.compile(
            r"[(\[〔【]((?:%s)[::][^()\[\]〔〕【】\n]{1,120}|[^()\[\]〔〕【】\n]{1,80}?"
            r"(?:牵头|负责|配合)[^()\[\]〔〕【】\n]{0,60})[)\]〕】]" % labels),
        "label": regex.compile(r"(%s)[::]" % labels),
    }


def _verdict(text: str) -> Optional[bool]:
    """True for planned work, False for a report, None when `text` does not say."""
    cfg = _cfg()
    if len(text) <= _SHORT_TITLE:
        # in a heading the later word names the list: 存在问题与下阶段的工作计划
        p = [m.start() for m in cfg["plan"].finditer(text)]
        r = [m.start() for m in cfg["report"].finditer(text)]
        if p or r:
            return max(p, default=-1) > max(r, default=-1)
        return None
    # in running text the more frequent kind of word decides; a tie says nothing
    p, r = len(cfg["plan"].findall(text)), len(cfg["report"].findall(text))
    return None if p == r else p > r


def _list_verdict(ctx, outline, parent: Optional[Heading]) -> Optional[bool]:
    """What the headings above, the lead-in of the outermost list or the document title
    say about the items under `parent` (the same for all of them)."""
    node = parent
    while node is not None:
        # a long "title" is the first sentence of a part without one: running text
        v = _verdict(node.title) if len(node.title) <= _SHORT_TITLE else None
        if v is not None:
            return v
        node = node.parent
    # the paragraph that introduces the outermost list of the document (or part)
    part = parent
    while part is not None and part.style != "part":
        part = part.parent
    first = (part.children if part else outline.roots)[0]
    lo = max(part.body if part else 0, first.start - _LEAD_IN)
    v = _verdict(ctx.text[lo:first.start])
    if v is not None:
        return v
    if outline.title:
        return _verdict(outline.title[:_SHORT_TITLE * 2])
    return None


def _is_plan(ctx, outline, h: Heading, verdicts: dict) -> bool:
    """Whether item `h` is planned work; `verdicts` memoizes _list_verdict by parent
    within one document."""
    cfg = _cfg()
    if cfg["not_task"].match(h.title):
        return False  # 指导思想, 基本原则: they frame the plan, they assign no work
    key = id(h.parent)
    if key not in verdicts:
        verdicts[key] = _list_verdict(ctx, outline, h.parent)
    v = verdicts[key]
    if v is not None:
        return v
    body = ctx.text[h.body:h.end]
    return len(cfg["plan_m"].findall(body)) >= len(cfg["report_m"].findall(body))


# Spans, milestones and tasks are built from values that already have their fields' types
# (mention fields, original offsets, str): models.unvalidated skips re-checking them.
def _span(m) -> Span:
    return unvalidated(Span, {"text": m.text, "start": m.start, "end": m.end})


def _text_span(ctx, s: int, e: int) -> Span:
    """The original text of normalized [s, e), without surrounding blanks."""
    a, b = ctx.to_orig(s, e)
    raw = ctx.original[a:b]
    a += len(raw) - len(raw.lstrip())
    b -= len(raw) - len(raw.rstrip())
    return unvalidated(Span, {"text": ctx.original[a:b], "start": a, "end": max(a, b)})


def _clause(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """[start, end) of the clause holding `pos`, within [lo, hi)."""
    return clause_start(text, pos, lo), clause_end(text, pos, hi)


def _is_deadline(ctx, text: str, m, ns: int, ne: int) -> bool:
    cfg = _cfg()
    v = m.value
    kind = getattr(v, "kind", None)
    if m.normalized.startswith("“") and text.startswith(cfg["period_of"], ne):
        return False  # “十四五”规划 names a plan, it sets no deadline
    if kind == "duration" and not text.startswith(cfg["dur_after"], ne) \
            and not m.normalized.endswith(cfg["dur_after"]):
        return False
    ref_date = ctx.ref_date_at(ns)  # per report in a compilation
    ref = ref_date.isoformat() if ref_date else None
    if ref and kind == "date" and v.end and v.end[:4] < ref[:4]:
        return False  # a past date reports, it does not schedule
    if ref and kind == "after" and v.start and v.start < ref:
        return False  # 2019年以来: a look back
    return True


def _is_target(text: str, ns: int, ne: int, cs: int, ce: int) -> bool:
    """Whether the quantity or amount [ns, ne) in clause [cs, ce) states a goal."""
    cfg = _cfg()
    if cfg["done"].search(text, cs, ce):
        return False  # 去年完成投资…, 累计建成…: what was done is no goal
    if text[ne - 1:ne] in cfg["class_suffixes"] or text.startswith(cfg["class_suffixes"], ne):
        return False
    if text[max(0, ns - 2):ns].endswith(cfg["threshold"]):
        return False
    for w in cfg["modifier_after"]:
        if text.startswith(w, ne):
            nxt = text[ne + len(w):ne + len(w) + 1]
            if nxt and not CLAUSE_END.match(nxt) and nxt != "的":
                return False
    return True


def _is_label(text: str, m, ne: int) -> bool:
    """责任单位: opening a note is a label, not a unit."""
    return m.normalized in _cfg()["labels"] and text[ne:ne + 1] in ":："


def _skip_back_mentions(M: MentionIndex, lo: int, pos: int) -> int:
    """Move `pos` back over time and quantity mentions that end right there, so that the
    verb before "选择3-4所镇街卫生院" or "是今年市委…" is seen."""
    while pos > lo:
        k = bisect_left(M.starts, pos) - 1
        if k < 0 or M.norm[k][1] != pos or M.items[k].type not in ("time", "quantity"):
            return pos
        pos = max(lo, M.norm[k][0])
    return pos


def _org_roles(text: str, idx: list[int], M: MentionIndex, lo: int, hi: int):
    """(lead indexes, unit indexes) among the org mentions `idx` of one item."""
    cfg = _cfg()
    lead, units = [], []
    chain_head = {}
    prev = None
    for k in idx:
        ns, ne = M.norm[k]
        if prev is not None and _LIST_SEP.match(text[M.norm[prev][1]:ns]):
            chain_head[k] = chain_head[prev]
        else:
            chain_head[k] = k
        prev = k
    chain_end: dict[int, int] = {}
    for k in idx:
        h = chain_head[k]
        chain_end[h] = max(chain_end.get(h, 0), M.norm[k][1])
    for k in idx:
        ns, ne = M.norm[k]
        hs = M.norm[chain_head[k]][0]
        cs, ce = _clause(text, ns, lo, hi)
        before = text[cs:_skip_back_mentions(M, cs, hs)]
        tail = chain_end[chain_head[k]]  # the end of the org chain this mention belongs to
        after = text[tail:ce]
        # a label (牵头单位:) stands right before the clause the org opens
        lab_lo = max(cs - _LABEL_REACH, lo)
        # every label ends with its colon: without one there is nothing to search for
        label = cfg["label"].search(text, lab_lo, ns) if text.find(":", lab_lo, ns) >= 0 else None
        if label and label.group(1) in cfg["lead_labels"] and not _SEMICOLON.search(text, label.end(), ns):
            lead.append(k)
            continue
        if cfg["lead"] in after and not label:
            lead.append(k)
            continue
        if before.rstrip().endswith(cfg["object_verbs"]) and not label:
            continue
        if before.rstrip().endswith(cfg["creation_verbs"]) and not label:
            # a body being set up is responsible only when the text goes on to give it
            # work: 组建法律服务团年内开展…, 成立…办公室,设在…,负责…
            nxt = text[tail:min(ce + 8, hi)]
            if not (nxt and not CLAUSE_END.match(nxt[0])) and not cfg["duty"].match(nxt[1:]):
                continue
        if text.startswith(cfg["attributive"], tail):
            continue
        if len(after.strip()) <= 3 and cfg["verb_any"].search(before) and not label \
                and not cfg["duty"].match(text[ce + 1:ce + 4]):
            # the org closes a clause opened by a verb that acts on it:
            # 建立…模式和社区共治联盟, 重点支持市产业技术研究院等建设
            continue
        units.append(k)
    return lead, units


def _notes(text: str, lo: int, hi: int):
    """Responsibility notes in [lo, hi): (start, end, standalone line?)."""
    for m in _cfg()["note"].finditer(text, lo, hi):
        ls = text.rfind("\n", max(lo, m.start() - MAX_CLAUSE), m.start()) + 1
        le = text.find("\n", m.end(), hi)
        le = hi if le < 0 or le > hi else le
        standalone = not text[max(ls, lo):m.start()].strip() and not text[m.end():le].strip()
        yield m.start(), m.end(), standalone


def _parse_note(ctx, text: str, s: int, e: int, M: "MentionIndex") -> tuple[list[Span], list[Span]]:
    """(lead units, units) of a responsibility note [s, e) with its brackets:
    (市发展改革委牵头,市财政局配合) / 〔牵头单位:A;责任单位:B、C〕. Each unit is the org
    mention where there is one, else the note's own list item."""
    cfg = _cfg()
    lead, units = [], []
    for part in _NOTE_PART.finditer(text[s + 1:e - 1]):
        ps, pe = s + 1 + part.start(), s + 1 + part.end()
        label = cfg["label"].match(text, ps, pe)
        is_lead = bool(label and label.group(1) in cfg["lead_labels"])
        if label:
            ps = label.end()
        tail = _NOTE_ROLE.search(text[ps:pe])
        if tail:
            is_lead = is_lead or tail.group(1) == cfg["lead"]
            pe = ps + tail.start()
        out = lead if is_lead else units
        for item in _NOTE_ITEM.finditer(text[ps:pe]):
            i0, i1 = ps + item.start(), ps + item.end()
            inside = [k for k in M.within(i0, i1) if M.items[k].type == "org"]
            if inside:
                out.extend(_span(M.items[k]) for k in inside)
            elif i1 - i0 >= 2 and text[i0:i1].strip():
                out.append(_text_span(ctx, i0, i1))
    return lead, units


def _milestones(ctx, text: str, lo: int, hi: int, deadlines: list) -> list[Milestone]:
    out = []
    for m, (ns, ne) in deadlines:
        cs, ce = _clause(text, ns, lo, hi)
        # the deadline opens or closes the clause; the action is the rest
        act_s, act_e = (ne, ce) if ns - cs <= ce - ne else (cs, ns)
        while act_s < act_e and text[act_s] in ", ":
            act_s += 1
        if act_e <= act_s and ce < hi and text[ce] == ",":
            # "年底前,治理率达到60%": the deadline stands alone, the next clause is the action
            act_s, act_e = _clause(text, ce + 1, lo, hi)
        if act_e <= act_s:
            act_s, act_e = cs, ce
        act = _text_span(ctx, act_s, act_e)
        out.append(unvalidated(Milestone, {"action": act.text, "start": act.start, "end": act.end,
                                           "deadline": _span(m)}))
    return out


def _goals(ctx, clauses: list) -> list[Span]:
    """The clauses holding the targets, each once, in text order."""
    out, seen = [], set()
    for cs, ce in clauses:
        if (cs, ce) not in seen:
            seen.add((cs, ce))
            out.append(_text_span(ctx, cs, ce))
    return out


def build_tasks(ctx) -> list[Task]:
    outline = build_outline(ctx)
    text = ctx.text
    cfg = _cfg()
    M = mention_index(ctx)
    leaves, verdicts = [], {}
    for h in outline.headings:
        if h.children or h.style == "part":
            continue
        node, regulation = h, False
        while node is not None:
            regulation |= node.style in cfg["regulation"]
            node = node.parent
        if regulation or not _is_plan(ctx, outline, h, verdicts):
            continue
        leaves.append(h)

    # notes that apply to a whole group: standing on their own line after a run of items,
    # or in the heading line of a parent
    group_notes: dict[int, list[tuple[int, int]]] = {}
    pending: dict[int, list[Heading]] = {}
    leaf_notes = [list(_notes(text, h.body, h.end)) for h in leaves]
    for h, notes in zip(leaves, leaf_notes):
        key = id(h.parent)
        pending.setdefault(key, []).append(h)
        for s, e, standalone in notes:
            if standalone:
                for g in pending[key]:
                    group_notes.setdefault(id(g), []).append((s, e))
            # a note closes the group: the next standalone note covers the items after it
            pending[key] = []
    for h in outline.headings:
        if h.children:
            first = h.children[0].start
            for s, e, _ in _notes(text, h.body, first):
                stack = list(h.children)
                while stack:
                    c = stack.pop()
                    stack.extend(c.children)
                    if not c.children:
                        group_notes.setdefault(id(c), []).append((s, e))

    tasks = []
    items, norm = M.items, M.norm
    for h, found in zip(leaves, leaf_notes):
        lo, hi = h.start, h.end
        own = [(s, e) for s, e, standalone in found if not standalone]
        deadlines, orgs, targets, goal_clauses = [], [], [], []
        # deadlines and targets come from the item itself, units also from its group's notes
        for k in M.within(lo, hi):
            m, (ns, ne) = items[k], norm[k]
            kind = m.type
            if kind == "time":
                if _is_deadline(ctx, text, m, ns, ne):
                    deadlines.append((m, (ns, ne)))
            elif kind == "org":
                if not _is_label(text, m, ne):
                    orgs.append(k)
            elif kind in ("quantity", "amount"):
                clause = _clause(text, ns, lo, hi)
                if _is_target(text, ns, ne, *clause):
                    targets.append(k)
                    goal_clauses.append(clause)
        for rlo, rhi in group_notes.get(id(h), ()):
            if not lo <= rlo < hi:
                orgs.extend(k for k in M.within(rlo, rhi)
                            if items[k].type == "org" and not _is_label(text, items[k], norm[k][1]))
        notes = own + group_notes.get(id(h), [])
        if notes:
            orgs = [k for k in orgs if not any(s <= norm[k][0] < e for s, e in notes)]
        lead_k, unit_k = _org_roles(text, orgs, M, lo, hi) if orgs else ([], [])
        lead = [_span(M.items[k]) for k in lead_k]
        units = [_span(M.items[k]) for k in unit_k]
        for s, e in notes:
            nl, nu = _parse_note(ctx, text, s, e, M)
            lead.extend(nl)
            units.extend(nu)
        s, e = ctx.to_orig(lo, hi)
        ts, te = ctx.to_orig(h.body, h.title_end) if h.title_end > h.body else (s, s)
        tasks.append(unvalidated(Task, {
            "id": task_id(h, outline), "title": ctx.original[ts:te].strip(), "start": s, "end": e,
            "line": ctx.line_of(s), "section": h.parent.path if h.parent else None,
            "deadlines": [_span(m) for m, _ in deadlines], "lead_units": lead, "units": units,
            "targets": [_span(M.items[k]) for k in targets],
            "goals": _goals(ctx, goal_clauses),
            "milestones": _milestones(ctx, text, lo, hi, deadlines)}))
    return tasks


@register_linker("tasks")
def link(ctx, document):
    document.tasks = build_tasks(ctx)
