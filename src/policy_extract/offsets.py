"""A piecewise map from normalized-text offsets back to original-text offsets.

Normalization deletes stretches (romanization, line breaks) and OpenCC may rewrite a
phrase to a different length, so the map is a list of segments rather than an array of
one entry per character: each segment is either a *copy* (1:1 characters) or a *block*
(a rewritten stretch whose characters all map to the whole original stretch). Lookups
are a bisect, composition walks segments, and the memory is proportional to the number
of edits, not to the length of the text.
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from operator import itemgetter
from typing import Iterable, Sequence

# An edit replaces src[a:b] with `repl`; `same` says the replacement is character-for-
# character (same length, position i maps to position i), so it stays a copy segment.
Edit = tuple  # (a, b, repl, same)


class OffsetMap:
    __slots__ = ("n0", "o0", "nl", "ol", "norm_len", "orig_len")

    def __init__(self, segments: Sequence[tuple[int, int, int, int]], norm_len: int, orig_len: int):
        # segments: (norm_start, orig_start, norm_len, orig_len); norm_len == orig_len and a
        # copy, or a block otherwise. Blocks of equal lengths are stored with ol = -ol - 1.
        self.n0 = [s[0] for s in segments]
        self.o0 = [s[1] for s in segments]
        self.nl = [s[2] for s in segments]
        self.ol = [s[3] for s in segments]
        self.norm_len = norm_len
        self.orig_len = orig_len

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls([(0, 0, length, length)] if length else [], length, length)

    @classmethod
    def _columns(cls, n0: list, o0: list, nl: list, ol: list, norm_len: int,
                 orig_len: int) -> "OffsetMap":
        """A map from its four segment columns, without building a tuple per segment."""
        m = cls.__new__(cls)
        m.n0, m.o0, m.nl, m.ol = n0, o0, nl, ol
        m.norm_len, m.orig_len = norm_len, orig_len
        return m

    def _seg(self, pos: int) -> int:
        return bisect_right(self.n0, pos) - 1

    def start(self, pos: int) -> int:
        """Original offset where the normalized character at `pos` begins."""
        if pos >= self.norm_len:
            return self.orig_len
        k = self._seg(pos)
        if self.nl[k] == self.ol[k]:
            return self.o0[k] + pos - self.n0[k]
        return self.o0[k]

    def end(self, pos: int) -> int:
        """Original offset just after the normalized character at `pos - 1`."""
        if pos <= 0:
            return 0
        k = self._seg(pos - 1)
        if self.nl[k] == self.ol[k]:
            return self.o0[k] + pos - self.n0[k]
        ol = self.ol[k]
        return self.o0[k] + (-ol - 1 if ol < 0 else ol)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized [start, end) to the original [start, end)."""
        if end <= start:
            s = self.start(start)
            return s, s
        return self.start(start), self.end(end)

    def spans(self, pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """span() of many pairs at once: the same lookups without four method calls per
        pair, which cost more than the bisects themselves."""
        n0, o0, nl, ol = self.n0, self.o0, self.nl, self.ol
        norm_len, orig_len = self.norm_len, self.orig_len
        out = []
        append = out.append
        for start, end in pairs:
            if start >= norm_len:
                s = orig_len
            else:
                k = bisect_right(n0, start) - 1
                s = o0[k] + start - n0[k] if nl[k] == ol[k] else o0[k]
            if end <= start:
                append((s, s))
                continue
            k = bisect_right(n0, end - 1) - 1
            if nl[k] == ol[k]:
                append((s, o0[k] + end - n0[k]))
            else:
                b = ol[k]
                append((s, o0[k] + (-b - 1 if b < 0 else b)))
        return out

    def segments(self) -> list[tuple[int, int, int, int]]:
        return list(zip(self.n0, self.o0, self.nl, self.ol))

    def compose(self, inner: "OffsetMap") -> "OffsetMap":
        """`inner` maps newer text -> this map's normalized text; return newer -> original."""
        out: list[tuple[int, int, int, int]] = []
        for n0, m0, nl, ml in inner.segments():
            if nl == ml:  # copy in the inner step: split at this map's segment borders
                pos = m0
                while pos < m0 + nl:
                    k = self._seg(pos)
                    seg_end = self.n0[k] + self.nl[k]
                    take = min(seg_end, m0 + nl) - pos
                    if self.nl[k] == self.ol[k]:
                        out.append((n0 + pos - m0, self.o0[k] + pos - self.n0[k], take, take))
                    else:
                        _append_block(out, n0 + pos - m0, take, self.o0[k], _blen(self.ol[k]))
                    pos += take
            else:
                mlen = _blen(ml)
                o_start = self.start(m0)
                o_end = self.end(m0 + mlen) if mlen else o_start
                _append_block(out, n0, nl, o_start, o_end - o_start)
        return OffsetMap(out, inner.norm_len, self.orig_len)


def _blen(ol: int) -> int:
    return -ol - 1 if ol < 0 else ol


def _append_block(out: list, n0: int, nl: int, o0: int, olen: int) -> None:
    """Add a block segment, merging with the previous block over the same original stretch."""
    if out:
        pn, po, pnl, pol = out[-1]
        if pnl != pol and po == o0 and _blen(pol) == olen and pn + pnl == n0:
            out[-1] = (pn, po, pnl + nl, pol)
            return
    # A block whose lengths happen to be equal must not be read as a copy.
    out.append((n0, o0, nl, -olen - 1 if nl == olen else olen))


def apply_edits(src: str, edits: Iterable[Edit]) -> tuple[str, OffsetMap]:
    """Apply sorted, non-overlapping edits to `src`; return the new text and its map to `src`."""
    pieces: list[str] = []
    segs: list[tuple[int, int, int, int]] = []
    prev = 0
    npos = 0
    for a, b, repl, same in edits:
        if a > prev:
            pieces.append(src[prev:a])
            segs.append((npos, prev, a - prev, a - prev))
            npos += a - prev
        if repl:
            pieces.append(repl)
            if same and len(repl) == b - a:
                segs.append((npos, a, len(repl), len(repl)))
            else:
                _append_block(segs, npos, len(repl), a, b - a)
            npos += len(repl)
        prev = b
    if prev < len(src):
        pieces.append(src[prev:])
        segs.append((npos, prev, len(src) - prev, len(src) - prev))
        npos += len(src) - prev
    return "".join(pieces), OffsetMap(_merge_copies(segs), npos, len(src))


def delete_spans(src: str, spans: Sequence[tuple[int, int]]) -> tuple[str, OffsetMap]:
    """apply_edits() for deletions only: remove the sorted, non-overlapping, non-empty
    spans (a, b) of `src`. A romanized text has thousands of them, so the kept pieces and
    the map's columns are built column-wise (map, accumulate), not edit by edit."""
    if not spans:
        return src, OffsetMap.identity(len(src))
    starts = [0]  # the kept pieces lie between the cuts
    starts += map(itemgetter(1), spans)
    stops = list(map(itemgetter(0), spans))
    stops.append(len(src))
    pieces = [src[a:b] for a, b in zip(starts, stops)]
    nl = list(map(len, pieces))
    o0 = starts
    if 0 in nl:  # a cut at either end of the text, or touching cuts: no empty segments
        keep = [i for i, n in enumerate(nl) if n]
        nl = [nl[i] for i in keep]
        o0 = [o0[i] for i in keep]
    n0 = list(accumulate(nl, initial=0))
    norm_len = n0.pop()
    # Every piece is a copy (nl == ol), and no two are contiguous in the original (a
    # non-empty cut lies between them), so there is nothing to merge.
    return "".join(pieces), OffsetMap._columns(n0, o0, nl, list(nl), norm_len, len(src))


def _merge_copies(segs: list) -> list:
    out: list = []
    for s in segs:
        if out:
            pn, po, pnl, pol = out[-1]
            if pnl == pol and s[2] == s[3] and pn + pnl == s[0] and po + pol == s[1]:
                out[-1] = (pn, po, pnl + s[2], pol + s[3])
                continue
        out.append(s)
    return out
