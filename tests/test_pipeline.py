"""The pipeline's mention building: batched offset lookups and unvalidated models must
give exactly what validated models and one lookup per span gave."""
import pytest
from pydantic import ValidationError

from policy_extract import pipeline
from policy_extract.models import Mention
from policy_extract.pipeline import Candidate, register_extractor, register_linker

from conftest import corpus_text


def _run_keeping_ctx(text):
    seen = []

    @register_linker("test_keep_ctx")
    def keep(ctx, document):
        seen.append(ctx)

    try:
        doc = pipeline.run(text, linkers=("test_keep_ctx",))
    finally:
        del pipeline._LINKERS["test_keep_ctx"]
    return doc, seen[0]


@pytest.mark.parametrize("name", ["001", "002"])  # 001: romanization and joined lines
def test_mentions_equal_validated_models_and_single_lookups(name):
    text = corpus_text(name)
    doc, ctx = _run_keeping_ctx(text)
    assert len(doc.mentions) > 100
    for m, (ns, ne) in zip(doc.mentions, ctx.mention_norm):
        again = Mention.model_validate(m.model_dump())
        assert m.model_dump_json() == again.model_dump_json()
        assert list(m.__dict__) == list(Mention.model_fields)
        assert m.model_fields_set == again.model_fields_set
        assert (m.start, m.end) == ctx.to_orig(ns, ne)
        assert m.text == text[m.start:m.end]
        assert m.line == text.count("\n", 0, m.start) + 1
        assert m.sentence == list(ctx.to_orig(*ctx.sentence_at(ns)))


def test_each_mention_owns_its_sentence_list():
    doc = pipeline.run("补助资金200万元和300万元。", linkers=())
    a, b = [m for m in doc.mentions if m.type == "amount"]
    assert a.sentence == b.sentence == [0, 16]
    assert a.sentence is not b.sentence


def test_unknown_mention_type_is_still_rejected():
    @register_extractor("test_bogus")
    def bogus(ctx):
        return [Candidate("bogus", 0, 2, None)]

    try:
        with pytest.raises(ValidationError):
            pipeline.run("补助资金200万元。", extractors=("test_bogus",), linkers=())
    finally:
        del pipeline._EXTRACTORS["test_bogus"]


def test_garbage_collector_left_as_it_was():
    import gc

    assert gc.isenabled()
    pipeline.run("补助资金200万元。", linkers=())
    assert gc.isenabled()

    @register_extractor("test_raises")
    def boom(ctx):
        assert not gc.isenabled()  # paused while the document is processed
        raise RuntimeError("boom")

    try:
        with pytest.raises(RuntimeError):
            pipeline.run("补助资金200万元。", extractors=("test_raises",), linkers=())
        assert gc.isenabled()
        gc.disable()
        pipeline.run("补助资金200万元。", linkers=())
        assert not gc.isenabled()
    finally:
        gc.enable()
        del pipeline._EXTRACTORS["test_raises"]


def test_sentences_end_at_punctuation_runs_and_line_breaks():
    from policy_extract.pipeline import Context

    ctx = Context("甲。！乙\n。丙?\n\n丁", None)
    assert ctx._sentence_starts == [0, 3, 5, 6, 8, 9, 10]
    assert ctx.sentence_at(0) == (0, 3)
    assert ctx.sentence_at(3) == (3, 5)
    assert ctx.sentence_at(10) == (10, 11)


def test_unvalidated_instances_share_a_fields_set_safely():
    """The fields set shared by unvalidated instances holds every field and stays so:
    assignment and model_copy(update=...) leave the other instances as they were."""
    doc = pipeline.run("补助资金200万元和300万元。", linkers=())
    a, b = [m for m in doc.mentions if m.type == "amount"]
    assert a.model_fields_set == set(Mention.model_fields)
    a.line = 7
    c = b.model_copy(update={"line": 9})
    assert (a.line, b.line, c.line) == (7, 1, 9)
    assert b.model_fields_set == c.model_fields_set == set(Mention.model_fields)
    assert b.model_dump_json(exclude_unset=True) == b.model_dump_json()


def _resolve_by_global_ranking(cands, order):
    """The definition: rank every candidate, keep each that overlaps none kept before."""
    rank = {t: i for i, t in enumerate(order)}
    ranked = sorted((c for c in cands if c.end > c.start),
                    key=lambda c: (c.priority if c.priority is not None else rank.get(c.type, 99),
                                   c.start - c.end, c.start))
    kept = []
    for c in ranked:
        if all(c.end <= k.start or k.end <= c.start for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def test_resolve_overlaps_equals_global_ranking():
    import random

    order = pipeline.DEFAULT_EXTRACTORS
    rng = random.Random(7)
    for _ in range(2000):
        cands = []
        for _ in range(rng.randint(0, 25)):
            s = rng.randint(0, 50)
            cands.append(Candidate(rng.choice(order + ("other",)), s, s + rng.randint(-1, 8),
                                   None, rng.choice([None, None, 0, 4])))
        got = pipeline.resolve_overlaps(cands, order)
        want = _resolve_by_global_ranking(cands, order)
        assert [id(c) for c in got] == [id(c) for c in want]


def test_resolve_overlaps_cases():
    C = Candidate
    order = pipeline.DEFAULT_EXTRACTORS
    a, b, c = C("amount", 0, 5), C("time", 3, 6), C("org", 6, 9)  # time outranks amount
    assert pipeline.resolve_overlaps([a, b, c], order) == [b, c]
    d, e = C("org", 0, 4), C("org", 2, 8)                         # the longer span wins
    assert pipeline.resolve_overlaps([d, e], order) == [e]
    f, g = C("org", 0, 4), C("org", 0, 4)                         # a tie: the first given
    assert pipeline.resolve_overlaps([f, g], order)[0] is f
    # a chain: x beats y, so z (overlapping only y) survives
    x, y, z = C("time", 0, 4), C("amount", 2, 9), C("org", 6, 8)
    assert pipeline.resolve_overlaps([z, y, x], order) == [x, z]
