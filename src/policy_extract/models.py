"""The data model: what `extract()` returns and what every JSON output holds.

The top-level shape follows the gold files (`corpora/gold/GUIDELINES.md`) so that one
scorer reads gold and output alike. Every `start`/`end` indexes the ORIGINAL text.
"""
from __future__ import annotations

from typing import Literal, Optional, Union, get_args

from pydantic import BaseModel, ConfigDict, Field

MentionType = Literal["amount", "quantity", "time", "org", "doc_number", "phone"]
Qualifier = Literal["exact", "max", "min", "approx", "range"]
TimeKind = Literal["date", "before", "after", "duration", "recurring"]
SubsidyMode = Literal["one_time", "per_year", "per_month", "per_item"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AmountValue(_Model):
    """Money in yuan; min == max unless the text states a range."""
    min: Optional[float]
    max: Optional[float]
    currency: str = "CNY"
    qualifier: Qualifier = "exact"


class QuantityValue(_Model):
    """A counted or measured amount; 万/亿 folded in, percentages and fractions as unit %."""
    min: Optional[float]
    max: Optional[float]
    unit: str
    qualifier: Qualifier = "exact"


class TimeValue(_Model):
    """A time expression resolved against the reference date (ISO dates, ISO 8601 durations)."""
    kind: TimeKind
    start: Optional[str] = None
    end: Optional[str] = None
    duration: Optional[str] = None
    business_days: Optional[bool] = None
    every: Optional[str] = None
    day: Optional[int] = None
    by_day: Optional[int] = None
    event: Optional[str] = None


Value = Union[AmountValue, QuantityValue, TimeValue]


class Span(_Model):
    """A stretch of the original text."""
    text: str
    start: int
    end: int


class Mention(_Model):
    type: MentionType
    text: str = Field(description="original text of the span, exactly text[start:end]")
    start: int
    end: int
    line: int = Field(description="1-based line of the original text where the span starts")
    value: Optional[Value] = None
    normalized: str = Field(description="the span after normalization (simplified script, "
                                        "romanization removed, full-width folded)")
    sentence: Optional[list[int]] = Field(
        default=None, description="[start, end) of the sentence the mention sits in")


class Milestone(_Model):
    """One clause-level (action, deadline) pair inside a task."""
    action: str
    start: int
    end: int
    deadline: Optional[Span] = None


class Task(_Model):
    """One numbered work item; `id` is its number as written (parents joined with '.'
    where numbering restarts under each heading); spans index the original text."""
    id: str
    title: str
    start: int
    end: int
    line: int
    section: Optional[str] = None
    deadlines: list[Span] = []
    lead_units: list[Span] = []
    units: list[Span] = []
    targets: list[Span] = []
    goals: list[Span] = Field(default=[], description="the clauses that state the targets, "
                                                      "as the tracking table shows them")
    milestones: list[Milestone] = []


class Subsidy(_Model):
    """One subsidy, award or grant standard."""
    recipient: Optional[Span] = Field(default=None, description="the stretch of text naming "
                                                                "who or what receives it")
    recipient_name: Optional[str] = Field(
        default=None, description="the recipient as one name where a distributive list "
        "shares it out: 国家级和省级重点实验室…分别给予 gives 国家级重点实验室… and 省级重点实验室…")
    amount: Span
    value: AmountValue
    mode: Optional[SubsidyMode] = None
    cap: Optional[AmountValue] = None
    conditions: Optional[str] = None
    section: Optional[str] = None
    line: int


class Section(_Model):
    id: str = Field(description="numbering path, e.g. 二.(三).15")
    number: str = Field(description="the section's own number as written")
    title: str
    level: int
    start: int
    end: int
    line: int
    children: list["Section"] = []


class MojibakeSpan(_Model):
    start: int
    end: int
    text: str


class Part(_Model):
    """One report of a compilation (第一篇 …), with the reference date used inside it."""
    title: str
    start: int
    end: int
    reference_date: Optional[str] = None


class NormalizationReport(_Model):
    script: Literal["simplified", "traditional", "mixed", "none"]
    traditional_chars: int = 0
    romanization_removed: int = 0
    fullwidth_folded: int = 0
    lines_joined: int = 0
    length_changes: int = Field(0, description="stretches where OpenCC changed the length")
    mojibake: list[MojibakeSpan] = []
    source: Optional[dict] = Field(default=None, description="reader, encoding, warnings")


class DocumentError(_Model):
    type: str
    message: str


class DocumentInfo(_Model):
    """What the document says about itself: title, issuing bodies, number, date."""
    title: Optional[Span] = None
    issuers: list[Span] = []
    doc_number: Optional[str] = None
    issue_date: Optional[str] = None


class Document(_Model):
    doc: str
    reference_date: Optional[str] = None
    reference_date_source: Optional[Literal["given", "document", "none"]] = None
    script: str = "none"
    mentions: list[Mention] = []
    tasks: list[Task] = []
    subsidies: list[Subsidy] = []
    info: Optional[DocumentInfo] = None
    sections: list[Section] = []
    parts: list[Part] = []
    normalization: Optional[NormalizationReport] = None


MENTION_TYPES = frozenset(get_args(MentionType))
_new = object.__new__
# BaseModel's slots, set through their descriptors: a third cheaper than object.__setattr__
# with the slot's name, which looks the descriptor up on every call.
_set_dict, _set_fields_set, _set_extra, _set_private = (
    vars(BaseModel)[name].__set__ for name in
    ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"))


# Per model class, the set of all its field names: the fields set of every unvalidated
# instance. One set shared by the class's instances: making and freeing a set per
# instance cost as much as the rest of unvalidated(), and sharing changes nothing, as
# pydantic only ever adds a field name to it (on assignment; already there) or copies it.
_ALL_FIELDS: dict[type, set] = {}


def unvalidated(cls, fields: dict):
    """An instance of `cls` holding `fields` as they are, without validation: for the
    hot path where our own code built every value with its field's type (a validated
    Mention costs twice as much; pydantic's model_construct walks aliases and defaults
    field by field and costs more still). `fields` must name every field, in declaration
    order, because the JSON output follows the dict's order."""
    m = _new(cls)
    _set_dict(m, fields)
    all_fields = _ALL_FIELDS.get(cls)
    if all_fields is None:
        all_fields = _ALL_FIELDS[cls] = set(cls.model_fields)
    _set_fields_set(m, all_fields)
    _set_extra(m, None)
    _set_private(m, None)
    return m


class ErrorRecord(_Model):
    """Batch mode: the line written for a document that could not be processed."""
    doc: str
    error: DocumentError
