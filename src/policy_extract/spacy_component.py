"""spaCy integration: a pipeline component that puts every mention on the Doc.

    import spacy
    nlp = spacy.blank("zh")
    nlp.add_pipe("policy_extract", config={"reference_date": "2020-03-25"})
    doc = nlp("4月底前出台实施意见")
    doc.spans["policy_extract"]        # SpanGroup, label = mention type
    span._.pe_value                    # the normalized value (dict) or None
    doc._.policy_extract               # the full policy_extract Document

The factory is registered through the `spacy_factories` entry point, so add_pipe works
without importing this module first. spaCy is imported only here.
"""
from __future__ import annotations

from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

SPAN_KEY = "policy_extract"

if not Span.has_extension("pe_value"):
    Span.set_extension("pe_value", default=None)
if not Doc.has_extension("policy_extract"):
    Doc.set_extension("policy_extract", default=None)


class PolicyExtractComponent:
    def __init__(self, nlp: Language, name: str, reference_date: Optional[str], set_ents: bool):
        self.name = name
        self.reference_date = reference_date
        self.set_ents = set_ents

    def __call__(self, doc: Doc) -> Doc:
        from . import extract

        result = extract(doc.text, reference_date=self.reference_date)
        spans = []
        for m in result.mentions:
            # "expand" snaps to token borders; the blank zh tokenizer splits per character,
            # so spans are exact.
            span = doc.char_span(m.start, m.end, label=m.type, alignment_mode="expand")
            if span is None:
                continue
            span._.pe_value = m.value.model_dump(exclude_none=True) if m.value else None
            spans.append(span)
        doc.spans[SPAN_KEY] = spans
        if self.set_ents:
            doc.ents = spans  # mentions never overlap, so they are valid entities
        doc._.policy_extract = result
        return doc


@Language.factory("policy_extract", default_config={"reference_date": None, "set_ents": True})
def create_component(nlp: Language, name: str, reference_date: Optional[str], set_ents: bool):
    return PolicyExtractComponent(nlp, name, reference_date, set_ents)
