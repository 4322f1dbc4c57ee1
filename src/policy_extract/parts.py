"""Splitting compilations into their reports.

Collections of reports ("下面是小编精心整理的12篇…", or a file with 第一篇…第五篇) put
texts written in different years one after another; each report has its own "今年".
A report starts at a heading on its own line: 第一篇 / 第1篇 (with or without a title after
a colon), 第二部分 on a short line, or a bracketed title that numbers a report
(【开展2017年科技活动周工作总结2】). At least two headings of one style are needed: a
single 第一篇 is a book heading, not a compilation.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

_NUM = r"[一二三四五六七八九十百零〇\d]{1,4}"
# Heading styles, each matched at the start of a (normalized) line, after blanks. The
# line start is a lookbehind so that the scan jumps between the literal 第 / 【 (eight
# times faster than trying ^ at every position); _heads() steps back to the line start.
_LINE_START = r"(?m)(?<=^[ \t]*)"
_STYLES = (
    regex.compile(_LINE_START + r"第%s篇(?=[ \t]*(?:[:：][^\n]*)?$|[ \t]*[:：]|[^\n]{0,60}$)" % _NUM),
    regex.compile(_LINE_START + r"第%s部分(?=[^\n]{0,30}$)" % _NUM),
    regex.compile(_LINE_START + r"【[^【】\n]{2,40}?(?:总结|报告|汇报|材料|范文|计划|方案|讲话|致辞)"
                  r"[ \t]*\d{1,2}[ \t]*\n?[ \t]*】"),
)


def _heads(style, text: str) -> list[int]:
    """Starts of the lines that open with a heading of `style`."""
    return [text.rfind("\n", 0, m.start()) + 1 for m in style.finditer(text)]


@dataclass
class PartSpan:
    """A report in normalized offsets; `title` is its heading line. `compiled` is False
    for 第N部分 headings, which may as well be the sections of one document."""
    start: int
    end: int
    title: str
    title_end: int
    compiled: bool = True


def split_parts(text: str) -> list[PartSpan]:
    """Report parts of a compilation (empty list for an ordinary document).

    The first style with at least two headings wins; bracketed report titles also split
    a part of another style further (a 第8篇 holding two 【…总结1】【…总结2】).
    """
    heads: list[int] = []
    compiled = True
    for k, style in enumerate(_STYLES[:2]):
        found = _heads(style, text)
        if len(found) >= 2:
            heads, compiled = found, k == 0
            break
    sub = _heads(_STYLES[2], text)
    if len(sub) >= 2 or (heads and sub):
        heads = sorted(set(heads) | set(sub))
    if len(heads) < 2:
        return []
    out: list[PartSpan] = []
    for i, h in enumerate(heads):
        while h < len(text) and text[h] in " \t":
            h += 1
        end = heads[i + 1] if i + 1 < len(heads) else len(text)
        if text[h] == "【":
            k = text.find("】", h, end)
            title_end = k + 1 if k >= 0 else h
        else:
            nl = text.find("\n", h, end)
            title_end = nl if nl >= 0 else end
        title = text[h:title_end]
        if out and text[h] == "【" and out[-1].title[:1] != "【" and \
                not text[out[-1].title_end:h].strip():
            # a heading right under another (第8篇 / 【…总结1】) opens the same report
            prev = out.pop()
            h, title = prev.start, prev.title + " " + title
        out.append(PartSpan(h, end, title, title_end, compiled or text[h] == "【"))
    return out
