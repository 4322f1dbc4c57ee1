"""The extraction pipeline: normalize, run the registered extractors, resolve overlaps,
map spans back to the original text, then run the linkers (structure, tasks, subsidies).

Extractors and linkers plug in through a registry, the way spaCy components do:

    from policy_extract.pipeline import register_extractor, Candidate

    @register_extractor("phone")
    def find_phones(ctx):            # ctx: Context
        return [Candidate("phone", s, e, None) for s, e in ...]

Extractors see only the normalized text (`ctx.text`) and return spans in it; the
pipeline owns the mapping back to the original. Modules are imported on first use so
that a caller who runs only some extractors never pays for the others.
"""
from __future__ import annotations

import datetime as dt
import gc
import importlib
import re
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import Any, Callable, Iterable, Optional

from .models import (MENTION_TYPES, AmountValue, Document, Mention, Part, QuantityValue,
                     TimeValue, unvalidated)
from .normalize import Normalized, normalize

# Order matters twice: extractors run in this order (later ones may look at earlier
# candidates) and, when spans overlap, the type listed first wins.
DEFAULT_EXTRACTORS = ("doc_number", "phone", "time", "amount", "quantity", "org")
DEFAULT_LINKERS = ("sections", "tasks", "subsidies")

_EXTRACTORS: dict[str, Callable[["Context"], list["Candidate"]]] = {}
_LINKERS: dict[str, Callable[["Context", Document], None]] = {}
# A run of sentence-final punctuation, or a line break. Written to start on a plain
# character class, which the standard library scans twice as fast as `regex` does.
_SENTENCE_END = re.compile(r"[。！？!?；;\n](?:(?<=[。！？!?；;])[。！？!?；;]*)?")


_start = attrgetter("start")


@dataclass
class Candidate:
    """A mention found by an extractor, in normalized-text offsets."""
    type: str
    start: int
    end: int
    value: Optional[dict] = None
    priority: Optional[int] = None  # lower wins an overlap; default: the type's rank


def register_extractor(name: str):
    def deco(fn):
        _EXTRACTORS[name] = fn
        return fn
    return deco


def register_linker(name: str):
    def deco(fn):
        _LINKERS[name] = fn
        return fn
    return deco


def _load(registry: dict, package: str, name: str):
    if name not in registry:
        try:
            importlib.import_module(f"policy_extract.{package}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"policy_extract.{package}.{name}":
                raise
        if name not in registry:
            raise KeyError(f"no {package[:-1]} registered as {name!r}; "
                           f"known: {sorted(registry)}")
    return registry[name]


def get_extractor(name: str):
    return _load(_EXTRACTORS, "extractors", name)


def get_linker(name: str):
    return _load(_LINKERS, "linking", name)


class Context:
    """Everything an extractor or linker may read about one document."""

    def __init__(self, original: str, reference_date: Optional[dt.date], doc: str = "-"):
        self.doc = doc
        self.norm: Normalized = normalize(original)
        self.original = original
        self.text = self.norm.text
        self.given_reference_date = reference_date
        self.candidates: list[Candidate] = []
        self.mentions: list[Mention] = []  # filled after resolution, original offsets
        self.mention_norm: list[tuple[int, int]] = []  # the same mentions, normalized offsets
        self.cache: dict[str, Any] = {}

    # -- reference dates -------------------------------------------------------------
    @cached_property
    def reference(self):
        """(document reference date or None, its source, parts with their own dates)."""
        from .refdate import infer_reference

        return infer_reference(self)

    @property
    def reference_date(self) -> Optional[dt.date]:
        return self.reference[0]

    @property
    def parts(self) -> list[Part]:
        return self.reference[2]

    @cached_property
    def _part_starts(self) -> list[int]:
        return [p[0] for p in self.reference[3]]

    def ref_date_at(self, pos: int) -> Optional[dt.date]:
        """The reference date in force at normalized offset `pos` (per report part)."""
        parts = self.reference[3]
        if parts:
            k = bisect_right(self._part_starts, pos) - 1
            if k >= 0 and parts[k][2] is not None:
                return parts[k][2]
        return self.reference_date

    # -- text geometry ---------------------------------------------------------------
    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [0] + [m.end() for m in _SENTENCE_END.finditer(self.text)]

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """Normalized [start, end) of the sentence holding `pos`."""
        starts = self._sentence_starts
        k = bisect_right(starts, pos) - 1
        end = starts[k + 1] if k + 1 < len(starts) else len(self.text)
        return starts[k], end

    @cached_property
    def _orig_line_starts(self) -> list[int]:
        starts = [0]
        find = self.original.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        return starts

    def line_of(self, orig_pos: int) -> int:
        """1-based line of the original text holding original offset `orig_pos`."""
        return bisect_right(self._orig_line_starts, orig_pos)

    def to_orig(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.to_orig(start, end)


def resolve_overlaps(cands: Iterable[Candidate], order: tuple[str, ...]) -> list[Candidate]:
    """Keep a flat set of spans: the higher-priority type wins, then the longer span.

    Ranked by (priority, longer first, earlier first), each candidate is kept unless it
    overlaps one kept before it. Only spans chained by overlaps compete, so the ranking
    is done per such cluster, and a candidate alone in its stretch of text (nearly all
    of them) is kept at once: the same result as ranking them all."""
    rank = {t: i for i, t in enumerate(order)}

    def key(c):
        return (c.priority if c.priority is not None else rank.get(c.type, 99),
                c.start - c.end, c.start)

    # stable sorts: equal keys keep the input order, as one global ranking would
    cands = sorted((c for c in cands if c.end > c.start), key=_start)
    kept: list[Candidate] = []
    i, n = 0, len(cands)
    while i < n:
        j, end = i + 1, cands[i].end
        while j < n and cands[j].start < end:
            if cands[j].end > end:
                end = cands[j].end
            j += 1
        if j == i + 1:
            kept.append(cands[i])
        else:
            kept += _first_ranked(sorted(cands[i:j], key=key))
        i = j
    return kept


def _first_ranked(ranked: list[Candidate]) -> list[Candidate]:
    """Each candidate of `ranked` that overlaps none kept before it, in text order."""
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Candidate] = []
    for c in ranked:
        k = bisect_right(starts, c.start)
        if k > 0 and ends[k - 1] > c.start:
            continue
        if k < len(starts) and starts[k] < c.end:
            continue
        starts.insert(k, c.start)
        ends.insert(k, c.end)
        kept.append(c)
    kept.sort(key=_start)
    return kept


# Building the value model for the mention's own type first spares pydantic trying each
# member of the value union (twice as fast, and a wrong key fails loudly).
_VALUE_MODELS = {"amount": AmountValue, "quantity": QuantityValue, "time": TimeValue}


def _to_mentions(ctx: Context, kept: list[Candidate]) -> list[Mention]:
    """The kept candidates as mentions in original offsets, with their sentences.
    All spans go through the offset map in one call, and each sentence is mapped once
    however many mentions it holds."""
    starts = ctx._sentence_starts
    n_starts, n_text = len(starts), len(ctx.text)
    sent_keys = []  # per mention: index of its sentence in `starts`
    sent_pairs: dict[int, tuple[int, int]] = {}
    for c in kept:
        k = bisect_right(starts, c.start) - 1
        sent_keys.append(k)
        if k not in sent_pairs:
            sent_pairs[k] = (starts[k], starts[k + 1] if k + 1 < n_starts else n_text)
    spans = ctx.norm.map.spans([(c.start, c.end) for c in kept] + list(sent_pairs.values()))
    sentences = dict(zip(sent_pairs, spans[len(kept):]))
    original, text, line_starts = ctx.original, ctx.text, ctx._orig_line_starts
    out = []
    append = out.append
    for c, (s, e), k in zip(kept, spans, sent_keys):
        t, value = c.type, c.value
        # Built right here with each field's type, so validating again would only cost
        # time; an unknown type or a value of another kind is validated as it always was.
        if value is None:
            trusted = t in MENTION_TYPES
        else:
            model = _VALUE_MODELS.get(t)
            if model is not None and isinstance(value, dict):
                value = model.__pydantic_validator__.validate_python(value)  # = model(**value)
            trusted = type(value) is model and t in MENTION_TYPES
        fields = {"type": t, "text": original[s:e], "start": s, "end": e,
                  "line": bisect_right(line_starts, s), "value": value,
                  "normalized": text[c.start:c.end], "sentence": list(sentences[k])}
        append(unvalidated(Mention, fields) if trusted else Mention(**fields))
    return out


@contextmanager
def _gc_paused():
    """Run without the cyclic garbage collector. A document makes hundreds of thousands
    of small objects (matches, candidates, mentions) that live until it is done: the
    collector, started every 700 allocations, would walk them again and again and find
    nothing (the outline's headings, the only cycles, go at the first collection after).
    Measured on the 5 M-character benchmark: mentions 0.45 s with it, 0.65 s without,
    the whole pipeline 2-4% faster. Left as it was if the caller had it off. The switch
    is process-wide: threads running documents at once may see the collector come back
    on before they are done (harmless), and a caller that turns it off meanwhile has it
    turned on again at the end of the document."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def run(text: str, reference_date: Optional[dt.date] = None, doc: str = "-",
        extractors: Iterable[str] = DEFAULT_EXTRACTORS,
        linkers: Iterable[str] = DEFAULT_LINKERS) -> Document:
    # _run's frame, and with it the context and the candidates, is gone when the
    # collector comes back on: its first collection then walks only the document.
    with _gc_paused():
        return _run(text, reference_date, doc, tuple(extractors), linkers)


def _run(text: str, reference_date: Optional[dt.date], doc: str, names: tuple[str, ...],
         linkers: Iterable[str]) -> Document:
    ctx = Context(text, reference_date, doc)
    for name in names:
        found = get_extractor(name)(ctx)
        ctx.candidates.extend(found)
    kept = resolve_overlaps(ctx.candidates, names + tuple(n for n in DEFAULT_EXTRACTORS if n not in names))
    ctx.mentions = _to_mentions(ctx, kept)
    ctx.mention_norm = [(c.start, c.end) for c in kept]
    ref, source, parts, _ = ctx.reference
    document = Document(
        doc=doc, reference_date=ref.isoformat() if ref else None,
        reference_date_source=source, script=ctx.norm.report.script,
        mentions=ctx.mentions, parts=parts, normalization=ctx.norm.report)
    for name in linkers:
        get_linker(name)(ctx, document)
    return document
