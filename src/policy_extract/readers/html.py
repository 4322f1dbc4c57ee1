"""HTML pages saved from government portals -> the article body as plain text.

html.parser is iterative (no recursion), never fetches anything and leaves unknown
entities as written, so external entities and remote resources are inert. The element
stack kept here is bounded (limits.HTML_MAX_DEPTH): deeper nesting is flattened.

Content choice, readability-style: every output line credits its non-link Han characters
(a quarter for lines without sentence punctuation) to its nearest container (div/td/article/section/main/body), fully to that container's
parent and half to the grandparent; ids/classes that name content (zoom, content,
TRS_Editor, ...) weigh more, those that name chrome (nav, footer, ...) less. The best
container's lines are the text. Navigation, scripts and styles never reach the text.

Layout: block elements and <br> end lines; table rows whose cells are short become one
line with the cells joined by tabs (data tables); rows of layout tables (a whole page in a
cell) keep their lines.
"""
from __future__ import annotations

from html.parser import HTMLParser

import regex

from . import join_paragraphs
from .limits import HTML_MAX_DEPTH

SKIP = frozenset("script style noscript template head title nav header footer aside select "
                 "option button iframe svg math object embed canvas textarea".split())
VOID = frozenset("br hr img input meta link area base col embed param source track wbr "
                 "keygen".split())
BLOCK = frozenset("p div li h1 h2 h3 h4 h5 h6 table section article main ul ol dl dt dd "
                  "blockquote pre hr center address figure figcaption caption fieldset "
                  "legend details summary body html form tbody thead tfoot".split())
CONTAINER = frozenset("div td th article main section body".split())
AUTO_CLOSE = frozenset("p li dt dd option".split())  # <p><p>: the second closes the first

CONTENT_NAME = regex.compile(
    r"zoom|content|article|trs_?editor|artibody|main_?text|detail|news_?(?:txt|text|con)"
    r"|text_?con|custom_unionstyle|pages_content|ue_?content|bt_?content|wenzhang|zw\b",
    regex.I)
CHROME_NAME = regex.compile(
    r"nav|menu|foot|header|sidebar|side_|crumb|copyright|share|comment|related|recommend"
    r"|banner|topbar|login|search|friend_?link|links?\b|ad\b|ads\b|qr_?code", regex.I)

HEADING = regex.compile(r"h[1-3]@")
PROSE = regex.compile(r"[，。；！？]|\p{Han}[,;][\p{Han}\d]|\p{Han}\.(?!\d)")
HAN = regex.compile(r"\p{Han}")
_CJK = r"[\p{Han}，。、；：？！“”‘’（）《》【】…—]"
# A source line break between CJK characters is layout, not a space.
_CJK_BREAK = regex.compile(rf"(?<={_CJK})[ \t\xa0]*[\r\n][\s\xa0]*(?={_CJK})")
_SPACE = regex.compile(r"[ \t\r\n\f\v\xa0]+")
CELL_MAX_CHARS = 300   # longer cells mean a layout table


class _Container:
    __slots__ = ("tag", "parent", "weight", "score")

    def __init__(self, tag: str, parent: int, weight: float):
        self.tag, self.parent, self.weight, self.score = tag, parent, weight, 0.0


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int | None]] = []   # (tag, container index)
        self.overflow = 0
        self.flattened = False
        self.skip = 0
        self.links = 0
        self.pre = 0
        self.containers: list[_Container] = [_Container("#root", -1, 1.0)]
        self.current = 0
        self.lines: list[list] = []  # [text, container, locator, han_outside_links, all_link]
        self.pieces: list[tuple[str, bool]] = []
        self.locator = "#root"
        self.tables: list[dict] = []     # open tables: current row state

    # --- element stack -------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag in ("br", "hr"):
                self._flush()
            return
        if tag in AUTO_CLOSE and self.stack and self.stack[-1][0] == tag:
            self._close_to(len(self.stack) - 1)
        if len(self.stack) >= HTML_MAX_DEPTH:
            self.overflow += 1       # flattened: text kept, structure dropped
            self.flattened = True
            if tag in BLOCK:
                self._flush()
            return
        container = None
        if tag in BLOCK or tag in ("td", "th", "tr"):
            self._flush()
            line, col = self.getpos()
            self.locator = f"{tag}@{line}:{col + 1}"
        if tag in CONTAINER and not self.skip:
            label = " ".join(v or "" for k, v in attrs if k in ("id", "class"))
            weight = 1.0
            if tag == "article" or (label and CONTENT_NAME.search(label)):
                weight = 1.5
            elif label and CHROME_NAME.search(label):
                weight = 0.3
            self.containers.append(_Container(tag, self.current, weight))
            container = self.current = len(self.containers) - 1
        self.stack.append((tag, container))
        if tag in SKIP:
            self.skip += 1
        elif tag == "a":
            self.links += 1
        elif tag == "pre":
            self.pre += 1
        elif tag == "table":
            if self.tables:
                self.tables[-1]["nested"] = True
            self.tables.append({"row": None, "cells": [], "nested": False})
        elif tag == "tr" and self.tables:
            self._end_row()
            self.tables[-1]["row"] = len(self.lines)
            self.tables[-1]["where"] = self.locator
        elif tag in ("td", "th") and self.tables:
            t = self.tables[-1]
            if t["row"] is None:
                t["row"] = len(self.lines)
            t["cells"].append(len(self.lines))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.overflow:
            self.overflow -= 1
            if tag in BLOCK:
                self._flush()
            return
        # Bounded search: the stack never exceeds HTML_MAX_DEPTH.
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                self._close_to(i)
                return

    def _close_to(self, index: int) -> None:
        while len(self.stack) > index:
            tag, container = self.stack.pop()
            if tag in BLOCK or tag in ("td", "th", "tr"):
                self._flush()
            if tag in SKIP:
                self.skip -= 1
            elif tag == "a":
                self.links -= 1
            elif tag == "pre":
                self.pre -= 1
            elif tag == "tr" and self.tables:
                self._end_row()
            elif tag == "table" and self.tables:
                self._end_row()
                self.tables.pop()
            if container is not None:
                self.current = self.containers[container].parent

    # --- text ----------------------------------------------------------------------
    def handle_data(self, data):
        if not self.skip and data:
            self.pieces.append((data, self.links > 0))

    def _flush(self) -> None:
        if not self.pieces:
            return
        pieces, self.pieces = self.pieces, []
        raw = "".join(p for p, _ in pieces)
        if self.pre:
            text = raw.strip("\r\n")
        else:
            text = _SPACE.sub(" ", _CJK_BREAK.sub("", raw)).strip()
        if not text:
            return
        han = sum(len(HAN.findall(p)) for p, in_link in pieces if not in_link)
        all_link = all(in_link for _, in_link in pieces)
        self.lines.append([text, self.current, self.locator, han, all_link])
        # Credit the containers: nearest and parent fully, grandparent half. Prose (a
        # line with a comma or full stop) counts fully; labels, menus, footers and
        # metadata cells a quarter, so that they do not pull the choice up to <body>.
        credit = han if PROSE.search(text) else han * 0.25
        c = self.current
        for share in (1.0, 1.0, 0.5):
            if c < 0:
                break
            self.containers[c].score += credit * share
            c = self.containers[c].parent

    def _end_row(self) -> None:
        """Close the open row of the innermost table; short cells -> one tab-joined line."""
        t = self.tables[-1]
        self._flush()
        start, cells = t["row"], t["cells"]
        t["row"], t["cells"], nested = None, [], t["nested"]
        t["nested"] = False
        if start is None or len(cells) < 2 or nested:
            return
        bounds = cells + [len(self.lines)]
        texts = [" ".join(line[0] for line in self.lines[a:b]) for a, b in zip(bounds, bounds[1:])]
        if any(len(x) > CELL_MAX_CHARS for x in texts):
            return
        rows = self.lines[start:]
        if not rows:
            return
        first = rows[0]
        merged = ["\t".join(texts).strip("\t") or "", first[1], t.get("where", first[2]),
                  sum(r[3] for r in rows), all(r[4] for r in rows)]
        del self.lines[start:]
        if merged[0]:
            self.lines.append(merged)

    def close(self):
        super().close()
        self._close_to(0)
        self._flush()


def _best_container(page: _Page) -> int:
    best, best_score = 0, -1.0
    for i, c in enumerate(page.containers):
        s = c.score * c.weight
        if s > best_score:          # strict: on a tie the outer (earlier) one stays
            best, best_score = i, s
    # Descend while one child holds nearly all of the text: the article wrapper also holds
    # bylines and "print this page" lines; the innermost body block does not.
    total = [0] * len(page.containers)
    for line in page.lines:
        total[line[1]] += line[3]
    children: dict[int, list[int]] = {}
    for i in range(len(page.containers) - 1, 0, -1):
        parent = page.containers[i].parent
        total[parent] += total[i]
        children.setdefault(parent, []).append(i)
    while True:
        inner = [k for k in children.get(best, ()) if total[k] >= 0.9 * total[best] > 0]
        if not inner:
            return best
        best = inner[0]


class _NextFinder:
    """str.find with memory: queries come in increasing order, so each stretch of the
    text is scanned once however many times the same needle is asked for."""

    def __init__(self, text: str, needle: str):
        self.text, self.needle, self.found = text, needle, -2

    def __call__(self, start: int) -> int:
        if self.found == -1 or self.found >= start:
            return self.found
        self.found = self.text.find(self.needle, start)
        return self.found


def defuse(markup: str) -> str:
    """Escape every '<' that does not open a complete construct.

    html.parser rescans to the end of the input for each unclosed construct ('<a <a <a
    ...' takes minutes for 100 KB, CPython issue 135462); after this pass every '<' it sees
    closes before the next '<' (comments: before their '-->'), so parsing is linear.
    A '<' inside a quoted attribute value is escaped too: harmless for text extraction."""
    next_lt, next_gt = _NextFinder(markup, "<"), _NextFinder(markup, ">")
    comment_end = _NextFinder(markup, "-->")
    out: list[str] = []
    pos = 0
    i = next_lt(0)
    while i != -1:
        if markup.startswith("<!--", i):
            end = comment_end(i + 4)
            end = end + 3 if end != -1 else -1
        else:
            gt, lt = next_gt(i + 1), next_lt(i + 1)
            opener = markup[i + 1:i + 2]
            ok = gt != -1 and (lt == -1 or gt < lt) and (opener.isalpha() or opener in "/!?")
            end = gt + 1 if ok else -1
        if end == -1:
            out.append(markup[pos:i])
            out.append("&lt;")
            pos = i + 1
            i = next_lt(i + 1)
        else:
            i = next_lt(end)
    if not out:
        return markup
    out.append(markup[pos:])
    return "".join(out)


def html_to_text(markup: str) -> tuple[str, list[tuple[int, int, str]], list[str]]:
    """(text, source map [(start, end, 'tag@line:col')], warnings) of an HTML page."""
    page = _Page()
    page.feed(defuse(markup))
    page.close()
    warnings = []
    if page.flattened:
        warnings.append(f"HTML nested deeper than {HTML_MAX_DEPTH} elements: structure flattened")
    chosen = _best_container(page)
    inside = [False] * len(page.containers)
    for i, c in enumerate(page.containers):
        inside[i] = i == chosen or (c.parent >= 0 and inside[c.parent])
    # The title usually sits just outside the body block: keep the h1-h3 headings of its
    # nearest ancestors that come before the body.
    ancestors, c = set(), page.containers[chosen].parent
    while c > 0 and len(ancestors) < 3:
        ancestors.add(c)
        c = page.containers[c].parent
    first_inside = next((i for i, line in enumerate(page.lines) if inside[line[1]]), 0)

    def kept():
        for i, (text, container, locator, _han, all_link) in enumerate(page.lines):
            heading = (i < first_inside and container in ancestors
                       and HEADING.match(locator) is not None)
            if (inside[container] or heading) and not (all_link and chosen != 0):
                yield text, locator

    text, source_map = join_paragraphs(kept())
    return text, source_map, warnings


_META_CHARSET = regex.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""",
                              regex.I)
_LOOKS_HTML = regex.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|br)[\s>/]",
                            regex.I)


def looks_like_html(head: bytes) -> bool:
    """Markup by content: the first bytes open with a tag and hold a common HTML element."""
    stripped = head.lstrip()
    return stripped[:1] == b"<" and _LOOKS_HTML.search(head[:4096]) is not None


def declared_charset(head: bytes) -> str | None:
    m = _META_CHARSET.search(head[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    # GB2312/GBK pages routinely hold characters only GB18030 names; Big5 likewise cp950.
    return {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
            "big5": "cp950", "x-big5": "cp950"}.get(name, name)
