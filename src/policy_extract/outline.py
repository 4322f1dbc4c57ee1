"""Document outline: title, issuing bodies, document number, issue date and the heading tree.

Headings are found by their numbering markers (一、 / (一) / 1. / 1、 / (1) / ① / 第一章 /
第一条 / 第一篇 / 首先 … / 一是 …; the styles live in data/outline/headings.yaml) on the
normalized text, so traditional script and full-width brackets need no separate rules.

Nesting follows the order in which styles appear, the way a reader infers it: a style
already open is a sibling (the stack is closed down to it); a new style nests under the
current item unless its conventional rank is higher, in which case deeper items close
first. Numbering that restarts under each parent and numbering that runs on across
parents (1 … 51 over 一、二、 and (三)(四)) both come out of that: the id of a section is its
numbering path; `task_id` decides whether a task is named by its own number or the path.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from operator import gt
from typing import Optional

import regex

from .models import Section, unvalidated
from .numbers import parse_numeral
from .resources import load_yaml

_ORDINAL_WORDS = {"首先": 1, "其次": 2, "再次": 3, "最后": 99}
# ASCII ? is left out: in these texts it is mostly mojibake, not a question mark
_TITLE_END = regex.compile(r"[。!;!?;]|\n")
_MAX_TITLE = 120
# A short line without sentence punctuation. The scan looks for the newline that opens
# it (a literal first character lets the regex module skip ahead; `^` would be tried at
# every position); the first line of the text is matched on its own. The run of text is
# possessive: blanks belong to it, so giving characters back can never reach the line end
# where the longest run did not, and long lines fail at once.
_HEADLINE_LINE = r"[ \t]*([^\s,。;:!?()][^\n,。;:!?]{1,29}+)[ \t]*$"
_HEADLINE_FIRST = regex.compile(r"(?m)" + _HEADLINE_LINE)
_HEADLINE = regex.compile(r"(?m)\n" + _HEADLINE_LINE)


# memoized by marker: a few hundred distinct ones (the styles bound their numerals)
@lru_cache(maxsize=None)
def cn_number(s: str) -> Optional[int]:
    """Value of a numeral as written in a marker: 十五, 二十一, 15, (三), 第1篇, ③."""
    s = s.strip("()第篇章节条是、.")
    if not s:
        return None
    if len(s) == 1 and "①" <= s <= "⑳":
        return ord(s) - ord("①") + 1
    if s in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[s]
    value = parse_numeral(s)  # the project's one numeral parser
    return int(value) if value is not None and value == int(value) and value >= 0 else None


@dataclass
class Heading:
    style: str
    number: str          # as written, without the separator: 一 / (三) / 15 / 第一条 / 首先
    value: Optional[int]
    start: int           # normalized offset of the marker
    body: int            # normalized offset where the title starts
    title_end: int
    level: int = 0
    end: int = 0         # normalized end of the section (next heading at the same or higher level)
    parent: Optional["Heading"] = None
    children: list = field(default_factory=list)
    path: str = ""
    inline: bool = False
    title: str = ""      # text[body:title_end], stripped


@dataclass
class Outline:
    title: Optional[str]
    title_span: Optional[tuple[int, int]]
    issuers: list             # org mentions (models.Mention) naming the issuing bodies
    doc_number: Optional[str]
    issue_date: Optional[str]
    headings: list            # every Heading, in text order
    roots: list               # top-level Headings
    run_on: set               # styles whose numbering runs on across parents
    # (id of a list of siblings, style) -> the siblings with a child of that style numbered 1
    first_of_style: dict = field(default_factory=dict, repr=False)


@lru_cache(maxsize=1)
def _styles():
    cfg = load_yaml("outline/headings.yaml")
    numeral = cfg["numeral"]
    line_parts, inline_parts, info = [], [], {}
    for st in cfg["styles"]:
        pat = st["pattern"].replace("{numeral}", numeral)
        name = st["name"]
        info[name] = st["rank"]
        # Named groups must be unique in one alternation: prefix them with the style.
        pat = pat.replace("(?P<num>", f"(?P<{name}_num>").replace("(?P<sep>", f"(?P<{name}_sep>")
        line_parts.append(pat)
        if st["where"] == "inline":
            inline_parts.append(pat)
    line_re = regex.compile(r"(?m)^[ \t]*(?:%s)" % "|".join(line_parts))
    # the sentence end is consumed rather than looked behind for: a literal first
    # character lets the scan skip ahead, which the standard library's re does in a third
    # less time than `regex` (same syntax here; the line scan is faster with `regex`)
    inline_re = re.compile(r"[。;;:!?,][ \t]*(?:%s)" % "|".join(inline_parts))
    return line_re, inline_re, info, frozenset(cfg.get("qualified", ()))


@lru_cache(maxsize=None)
def _style_groups(rx) -> dict:
    """{index of a style's separator group: (style, index of its number group)} of a
    compiled style alternation. The separator group closes each alternative, so it is
    the last group matched (`lastindex`)."""
    gi = rx.groupindex
    return {i: (name[:-4], gi[name[:-4] + "_num"]) for name, i in gi.items() if name.endswith("_sep")}


def _scan(text: str) -> list[Heading]:
    line_re, inline_re, _, _ = _styles()
    n = len(text)
    title_end_at = _TITLE_END.search
    found: dict[int, Heading] = {}
    for rx, inline in ((line_re, False), (inline_re, True)):
        groups = _style_groups(rx)
        for m in rx.finditer(text):
            style, num_group = groups[m.lastindex]  # inline_re holds only the inline styles
            body = m.end()
            if body >= n or text[body] == "\n":
                # a bare number on a line of its own is a page number, not a heading
                if style not in ("part", "chapter", "section_jie", "article"):
                    continue
            start = m.start(num_group)
            if start in found:
                continue
            if style == "part":
                # 第3篇 alone on its line: the report's title is the next line
                nxt = body
                while nxt < n and text[nxt] in " \t\n":
                    nxt += 1
                if not line_re.match(text, nxt):
                    body = nxt
            limit = min(n, body + _MAX_TITLE)
            te = title_end_at(text, body, limit)
            title_end = te.start() if te else limit
            num = m.group(num_group)
            found[start] = Heading(style, num, cn_number(num), start, body, title_end,
                                   inline=inline, title=text[body:title_end].strip())
    heads = sorted(found.values(), key=lambda h: h.start)
    return _drop_broken_runs(heads)


def _drop_broken_runs(heads: list[Heading]) -> list[Heading]:
    """Inline items (一是, ①) count only as runs starting at 1 and stepping by one; a
    stray "三是" in running prose is no list."""
    out, last = [], {}
    for h in heads:
        if h.inline or h.style in ("shi", "circled"):
            prev = last.get(h.style)
            if h.value == 1 or (prev is not None and h.value == prev + 1):
                last[h.style] = h.value
            else:
                continue
        out.append(h)
    # a "一是" that no "二是" follows is prose, not a list
    lonely = {id(r[0]) for r in _all_runs(out) if len(r) == 1}
    return [h for h in out if id(h) not in lonely]


def _all_runs(heads: list[Heading]):
    runs: dict[str, list] = {}
    for h in heads:
        if h.inline or h.style in ("shi", "circled"):
            if h.value == 1:
                if h.style in runs:
                    yield runs[h.style]
                runs[h.style] = [h]
            elif h.style in runs:
                runs[h.style].append(h)
    yield from runs.values()


def _nest(heads: list[Heading], text: str) -> list[Heading]:
    text_len = len(text)
    _, _, rank, _ = _styles()
    roots: list[Heading] = []
    stack: list[Heading] = []
    home: dict[str, Optional[str]] = {}  # style -> style of the parent it first had
    for h in heads:
        if h.style == "part":
            stack, home = [], {}
        else:
            styles = [s.style for s in stack]
            if h.style in styles:
                del stack[styles.index(h.style):]
            elif stack and _is_title_only(text, stack[-1]) and stack[-1].style != "part" \
                    and rank[stack[-1].style] < rank[h.style]:
                pass  # a bare title line takes the items below it: (三)… then 15.
            elif h.style in home:
                # a style seen before returns to where it stood (二、 after 第八条 of 一、)
                while stack and stack[-1].style != "part" and stack[-1].style != home[h.style]:
                    stack.pop()
            elif stack and not _is_title_only(text, stack[-1]):
                # a new style nests under the deepest open item whose conventional rank is
                # higher (一、 > (一) > 1. > (1) …)
                while stack and stack[-1].style != "part" and rank[stack[-1].style] > rank[h.style]:
                    stack.pop()
            home.setdefault(h.style, stack[-1].style if stack else None)
        if stack:
            h.parent = stack[-1]
            stack[-1].children.append(h)
        else:
            roots.append(h)
        h.level = len(stack) + 1
        stack.append(h)
    # ends: the next heading at the same or a higher level
    open_: list[Heading] = []
    for h in heads:
        while open_ and open_[-1].level >= h.level:
            open_.pop().end = h.start
        open_.append(h)
    for h in open_:
        h.end = text_len
    # a short line without sentence punctuation is the headline of what follows (news
    # pages, compilations): no section runs across it
    marks = {_line_start(text, h.start) for h in heads}
    cuts = _headline_starts(text, marks) if heads else []
    for h in heads:
        k = bisect_right(cuts, h.body)
        if k < len(cuts) and cuts[k] < h.end:
            h.end = cuts[k]
    for h in heads:
        # a heading's title never runs past the section
        if h.title_end > h.end:
            te = h.end
            while te > h.body and text[te - 1] in ",、 \t\n":
                te -= 1
            h.title_end = te
            h.title = text[h.body:te].strip()
    return roots



def _headline_starts(text: str, skip: set) -> list[int]:
    """Where the text of every headline-like short line starts, in text order, but for
    lines starting at an offset in `skip`."""
    first = _HEADLINE_FIRST.match(text)
    out = [first.start(1)] if first and 0 not in skip else []
    # m.start() is the newline before the line
    out += [m.start(1) for m in _HEADLINE.finditer(text) if m.start() + 1 not in skip]
    return out


def _line_start(text: str, pos: int) -> int:
    """Start of the line of a heading: headings open their line after blanks at most."""
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos


_CLAUSE_MARK = regex.compile(r"[,。;]")


def _is_title_only(text: str, h: Heading) -> bool:
    """A heading whose line holds nothing but its title (一、科技创新平台补助实施细则)."""
    nl = text.find("\n", h.body, h.title_end + 1)
    return (nl < 0 and h.title_end >= len(text) or nl == h.title_end) \
        and not _CLAUSE_MARK.search(text, h.body, h.title_end)


def _run_on_styles(heads: list[Heading]) -> set:
    """Styles whose numbers continue across parents instead of restarting at 1."""
    run_on, seen_parent = set(), {}
    for h in heads:
        if h.value is None or h.parent is None:
            continue
        key = h.style
        prev = seen_parent.get(key)
        if prev is not None and prev[0] is not h.parent:
            first_child = h.parent.children and h.parent.children[0] is h
            if first_child and h.value > 1 and h.value > prev[1]:
                run_on.add(key)
        seen_parent[key] = (h.parent, h.value or 0)
    return run_on


def _assign_paths(roots: list[Heading]) -> None:
    def walk(h: Heading, prefix: str):
        h.path = f"{prefix}.{h.number}" if prefix else h.number
        for c in h.children:
            walk(c, h.path)
    for r in roots:
        walk(r, "")


def task_id(h: Heading, outline: "Outline") -> str:
    """A task's id: its own number when the numbering runs on across parents or never
    restarts; the numbering path (without the part) for items that only mean something
    with their parent (一是 inside a paragraph) or whose numbering restarts under each
    parent (二.(三).1)."""
    _, _, _, qualified = _styles()
    if h.style in outline.run_on:
        return h.number
    if h.style not in qualified and not _restarts(h, outline):
        return h.number
    chain = []
    node = h
    while node is not None and node.style != "part":
        chain.append(node.number)
        node = node.parent
    return ".".join(reversed(chain))


def _restarts(h: Heading, outline: Outline) -> bool:
    """True when the same style also numbers the children of another parent from 1."""
    p = h.parent
    if p is None or p.style == "part":
        return False
    uncles = p.parent.children if p.parent is not None else outline.roots
    # which uncles start a run of the style, found once per sibling list and style: asked
    # anew for every item, it cost time quadratic in the items of a long plan
    key = (id(uncles), h.style)
    starters = outline.first_of_style.get(key)
    if starters is None:
        starters = outline.first_of_style[key] = [
            u for u in uncles if any(c.style == h.style and c.value == 1 for c in u.children)]
    return any(u is not p for u in starters)


def build_outline(ctx) -> Outline:
    """The outline of the document in `ctx` (cached per document)."""
    if "outline" in ctx.cache:
        return ctx.cache["outline"]
    text = ctx.text
    heads = _scan(text)
    roots = _nest(heads, text)
    _assign_paths(roots)
    run_on = _run_on_styles(heads)
    title_span = _title(text, heads)
    out = Outline(
        title=text[title_span[0]:title_span[1]] if title_span else None,
        title_span=title_span, issuers=_issuers(ctx, title_span), doc_number=_doc_number(ctx),
        issue_date=_issue_date(ctx),
        headings=heads, roots=roots, run_on=run_on)
    ctx.cache["outline"] = out
    return out


_NAMED_DOC = regex.compile(r"《([^《》\n]{4,80}(?:方案|意见|办法|通知|规划|计划|细则|决定|要点|条例|规定))》")
_LINE = regex.compile(r"[^\n]+")
_MASTHEAD = regex.compile(r"文件$|[〔\[(（【]\d{4}[〕\])）】]\d+号|^签发人")
_SIGNATURE_REACH = 300  # the signature block sits in the last few lines
_LINE_END_MARK = regex.compile(r"[。,;]$")
_FOUR_HAN = regex.compile(r"\p{Han}{4}")
_TITLE_LINE = regex.compile(r"(?m)^[ \t]*(\S[^\n]{1,80}?)[ \t]*$")


def _title(text: str, heads: list[Heading]) -> Optional[tuple[int, int]]:
    """The first short line of the document (or of its first part) that is not a heading:
    official documents open with their title."""
    limit = heads[0].start if heads and heads[0].style != "part" else min(len(text), 3000)
    if heads and heads[0].style == "part":
        return heads[0].body, heads[0].title_end
    for m in _TITLE_LINE.finditer(text, 0, limit):
        line = m.group(1)
        # The masthead (X人民政府文件) and the number line are not the title.
        if _MASTHEAD.search(line):
            continue
        if not _LINE_END_MARK.search(line) and _FOUR_HAN.search(line):
            return m.start(1), m.end(1)
    # a news report of a document names it in its lead: 刊发《…实施方案》
    m = _NAMED_DOC.search(text, 0, limit)
    return (m.start(1), m.end(1)) if m else None


class MentionIndex:
    """The mentions of a document sorted by normalized start, for range queries: `norm`
    (start, end), `items` (models.Mention) and `starts`, index for index."""

    def __init__(self, ctx):
        norm, items = list(ctx.mention_norm), list(ctx.mentions)
        starts = [s for s, _ in norm]
        if any(map(gt, starts, starts[1:])):
            # the pipeline lists mentions in text order; sort (stably) only when it does not
            order = sorted(range(len(starts)), key=starts.__getitem__)
            norm, items = [norm[i] for i in order], [items[i] for i in order]
            starts = [starts[i] for i in order]
        self.norm, self.items, self.starts = norm, items, starts

    def within(self, lo: int, hi: int):
        """Indexes of the mentions inside [lo, hi), in text order."""
        starts, norm = self.starts, self.norm
        k = bisect_left(starts, lo)
        n = len(starts)
        while k < n and starts[k] < hi:
            if norm[k][1] <= hi:
                yield k
            k += 1


def mention_index(ctx) -> MentionIndex:
    """The MentionIndex of the document in `ctx` (cached per document)."""
    index = ctx.cache.get("mention_index")
    if index is None:
        index = ctx.cache["mention_index"] = MentionIndex(ctx)
    return index


def _issuers(ctx, title_span) -> list:
    """The issuing bodies: org mentions in the title (中共X市委 X市人民政府关于…), else the
    signature, i.e. closing lines that hold nothing but org names (and a date)."""
    if not ctx.mention_norm:
        return []
    index = mention_index(ctx)
    items, norm = index.items, index.norm
    if title_span:
        found = [items[k] for k in index.within(*title_span) if items[k].type == "org"]
        if found:
            return found
    text = ctx.text
    tail_start = max(0, len(text) - _SIGNATURE_REACH)
    out = []
    for line in _LINE.finditer(text, tail_start):
        ls, le = line.span()
        inside = list(index.within(ls, le))
        rest = "".join(text[a:b] for a, b in _gaps(ls, le, [norm[k] for k in inside]))
        if inside and all(items[k].type in ("org", "time") for k in inside) and not rest.strip(" \t、"):
            out.extend(items[k] for k in inside if items[k].type == "org")
    return out


def _gaps(lo: int, hi: int, spans: list) -> list:
    out, pos = [], lo
    for s, e in sorted(spans):
        out.append((pos, s))
        pos = e
    out.append((pos, hi))
    return out


def _is_day(m) -> bool:
    v = m.value
    return m.type == "time" and v is not None and getattr(v, "kind", None) == "date" \
        and v.start and v.start == v.end


def _issue_date(ctx) -> Optional[str]:
    """A single day named at the end (the signature) or at the head of the document."""
    index = mention_index(ctx)
    items, starts = index.items, index.starts
    tail = bisect_left(starts, len(ctx.text) - _SIGNATURE_REACH)
    for k in range(len(items) - 1, tail - 1, -1):
        if _is_day(items[k]):
            return items[k].value.start
    for k in range(bisect_left(starts, _SIGNATURE_REACH)):
        if _is_day(items[k]):
            return items[k].value.start
    if ctx.reference[1] == "document" and ctx.reference_date:
        return ctx.reference_date.isoformat()
    return None


def _doc_number(ctx) -> Optional[str]:
    """The document's own number: one standing on a line of its own in the header, as
    documents print it. Numbers cited in the body (《…》(鲁发〔2017〕26号)) are others'."""
    text = ctx.text
    index = mention_index(ctx)
    for k in range(bisect_right(index.starts, _SIGNATURE_REACH)):
        m, (ms, me) = index.items[k], index.norm[k]
        if m.type != "doc_number":
            continue
        ls = text.rfind("\n", 0, ms) + 1
        le = text.find("\n", me)
        le = len(text) if le < 0 else le
        if not (text[ls:ms] + text[me:le]).strip(" \t　"):
            return m.text
    return None


def to_sections(ctx, outline: Outline) -> list[Section]:
    """models.Section trees (original offsets) from the outline."""
    heads = outline.headings  # every node of the tree, a parent before its children
    n = len(heads)
    # one batch lookup maps every section and title span (OffsetMap.spans == span per pair)
    spans = ctx.norm.map.spans([(h.start, h.end) for h in heads] + [(h.body, h.title_end) for h in heads])
    original, line_starts = ctx.original, ctx._orig_line_starts
    built: dict[int, Section] = {}
    for i in range(n - 1, -1, -1):  # children first
        h = heads[i]
        s, e = spans[i]
        ts, te = spans[n + i]
        # every value is built here with its field's type: no validation needed
        built[id(h)] = unvalidated(Section, {
            "id": h.path, "number": h.number,
            "title": original[ts:te].strip() if h.title_end > h.body else "",
            "level": h.level, "start": s, "end": e,
            "line": bisect_right(line_starts, s),  # = ctx.line_of(s)
            "children": [built[id(c)] for c in h.children] if h.children else []})
    return [built[id(r)] for r in outline.roots]
