"""`policy-extract eval` scores with the definitions of the reference scorer."""
import json
import subprocess
import sys

import pytest

from policy_extract import extract
from policy_extract.cli import main
from policy_extract.evaluate import evaluate, score_document, Tally, value_matches
from collections import defaultdict

from conftest import CORPORA, GOLD, ROOT

REFERENCE_SCORER = ROOT.parent / "shared" / "gold" / "score.py"


def _m(t, s, e, value=None):
    return {"type": t, "start": s, "end": e, "text": "x" * (e - s), "value": value}


def test_relaxed_strict_and_value_counts_by_hand():
    amount = {"min": 2e6, "max": 2e6, "currency": "CNY", "qualifier": "exact"}
    gold = {"mentions": [_m("amount", 0, 5, amount), _m("amount", 10, 14, amount),
                         _m("org", 20, 24)]}
    pred = {"mentions": [_m("amount", 0, 5, amount),                 # exact
                         _m("amount", 11, 14, dict(amount, min=1)),  # overlap, wrong value
                         _m("org", 30, 33)]}                         # spurious
    t = defaultdict(Tally)
    score_document("z" * 40, gold, pred, t)
    rows = {k: v.row() for k, v in t.items()}
    assert rows["amount/relaxed"] == {"tp": 2, "fp": 0, "fn": 0, "p": 1.0, "r": 1.0, "f1": 1.0}
    assert rows["amount/strict"]["tp"] == 1 and rows["amount/strict"]["f1"] == 0.5
    assert rows["amount/value"] == {"n": 2, "acc": 0.5}
    assert rows["org/relaxed"] == {"tp": 0, "fp": 1, "fn": 1, "p": 0.0, "r": 0.0, "f1": 0.0}


def test_time_value_compares_only_the_keys_of_its_kind():
    assert value_matches("time", {"kind": "before", "end": "2020-04-30"},
                         {"kind": "before", "end": "2020-04-30", "start": "2020-01-01"})
    assert not value_matches("time", {"kind": "before", "end": "2020-04-30"},
                             {"kind": "date", "end": "2020-04-30"})
    assert value_matches("quantity", {"min": 66.67, "max": 66.67, "unit": "%"},
                         {"min": 66.6667, "max": 66.6667, "unit": "%"})
    assert not value_matches("quantity", {"min": 3, "max": 3, "unit": "个"},
                             {"min": 3, "max": 3, "unit": "家"})


def test_tasks_and_subsidies_by_hand():
    text = "1.甲任务。4月底前完成\n2.乙任务\n"
    gold = {"tasks": [{"line": 1, "title": "甲任务", "deadlines": ["4月底前"], "units": []},
                      {"line": 2, "title": "乙任务", "deadlines": []}],
            "subsidies": [{"line": 1, "recipient": "甲任务", "amount": "4月", "mode": None}]}
    pred = {"tasks": [{"start": 0, "end": 12, "deadlines": [{"text": "4月底前"}, {"text": "年内"}]}],
            "subsidies": [{"recipient": {"text": "甲任"}, "amount": {"start": 6, "end": 8},
                           "mode": None}]}
    t = defaultdict(Tally)
    score_document(text, gold, pred, t)
    rows = {k: v.row() for k, v in t.items()}
    assert (rows["task/segment"]["tp"], rows["task/segment"]["fn"], rows["task/segment"]["fp"]) == (1, 1, 0)
    assert (rows["task/deadlines"]["tp"], rows["task/deadlines"]["fp"]) == (1, 1)
    assert rows["subsidy/record"]["tp"] == 1 and rows["subsidy/mode"] == {"n": 1, "acc": 1.0}


@pytest.fixture(scope="module")
def predictions(tmp_path_factory):
    out = tmp_path_factory.mktemp("pred")
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (CORPORA / gold["doc"]).read_text(encoding="utf-8")
        doc = extract(text, reference_date=gold["reference_date"], doc=gold["doc"])
        (out / path.name).write_text(doc.model_dump_json(exclude_none=True), encoding="utf-8")
    return out


def test_eval_on_the_fly_equals_eval_of_written_predictions(predictions, capsys):
    assert main(["eval", str(GOLD), "--json"]) == 0
    on_the_fly = json.loads(capsys.readouterr().out)
    assert main(["eval", str(GOLD), "--pred", str(predictions), "--json"]) == 0
    from_files = json.loads(capsys.readouterr().out)
    assert on_the_fly == from_files
    assert on_the_fly["amount/relaxed"]["tp"] > 0


@pytest.mark.skipif(not REFERENCE_SCORER.exists(), reason="reference scorer not beside the repo")
def test_eval_agrees_with_the_reference_scorer(predictions, capsys):
    ref = subprocess.run([sys.executable, str(REFERENCE_SCORER), str(CORPORA), str(GOLD),
                          str(predictions), "--json"], capture_output=True, text=True, check=True)
    reference = json.loads(ref.stdout)
    assert main(["eval", str(GOLD), "--pred", str(predictions), "--json"]) == 0
    ours = json.loads(capsys.readouterr().out)
    assert ours == reference


def test_rows_only_for_what_gold_annotates(tmp_path, capsys):
    """A gold file without tasks or subsidies gives no task/subsidy rows (the reference
    scorer makes a row only when it counts something for it)."""
    corpus, gold_dir, pred = (tmp_path / d for d in ("c", "g", "p"))
    for d in (corpus, gold_dir, pred):
        d.mkdir()
    (corpus / "a.txt").write_text("甲乙丙丁\n", encoding="utf-8")
    (gold_dir / "a.txt.json").write_text(json.dumps(
        {"doc": "a.txt", "mentions": [_m("org", 0, 2)]}), encoding="utf-8")
    (pred / "a.txt.json").write_text(json.dumps(
        {"mentions": [], "tasks": [{"start": 0, "end": 4}]}), encoding="utf-8")
    assert main(["eval", str(gold_dir), "--corpus", str(corpus), "--pred", str(pred),
                 "--json"]) == 0
    ours = json.loads(capsys.readouterr().out)
    assert not [k for k in ours if k.startswith(("task/", "subsidy/"))]
    assert ours["org/relaxed"]["fn"] == 1
    if REFERENCE_SCORER.exists():
        ref = subprocess.run([sys.executable, str(REFERENCE_SCORER), str(corpus),
                              str(gold_dir), str(pred), "--json"],
                             capture_output=True, text=True, check=True)
        assert ours == json.loads(ref.stdout)
