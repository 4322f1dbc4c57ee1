"""Scoring extractions against gold files (definitions of corpora/gold/GUIDELINES.md).

Mentions: a prediction matches a gold mention of the same type when the spans overlap
(relaxed) or are identical (strict); greedy, one-to-one, gold in file order, each gold
mention taking the unused prediction with the largest overlap. Value accuracy is over
relaxed matches. Tasks: a predicted task matches the gold task whose first line it
covers; fields are compared as sets of texts. Subsidies: matched by overlapping amount
span; a match counts as correct when the recipients share at least half of the shorter
one's distinct characters.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Callable, Optional

MENTION_TYPES = ("amount", "quantity", "time", "org", "doc_number", "phone")
TASK_FIELDS = ("deadlines", "lead_units", "units", "targets")
_TIME_KEYS = {"date": ("start", "end"), "before": ("end",), "after": ("start",),
              "duration": ("duration",), "recurring": ("every", "day", "by_day")}


class Tally:
    """Counts for one row: tp/fp/fn for an F-score row, ok/n for an accuracy row."""

    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.ok = self.n = 0
        self.is_accuracy = False

    def row(self) -> dict:
        if self.is_accuracy:
            return {"n": self.n, "acc": round(self.ok / self.n, 4) if self.n else 0.0}
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def _near(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.005 * max(abs(a), abs(b), 1e-9)


def value_matches(kind: str, gold: Optional[dict], pred: Optional[dict]) -> bool:
    gold, pred = gold or {}, pred or {}
    if kind in ("amount", "quantity"):
        same = _near(gold.get("min"), pred.get("min")) and _near(gold.get("max"), pred.get("max"))
        if kind == "quantity":
            same = same and (gold.get("unit") or "") == (pred.get("unit") or "")
        return same
    if kind == "time":
        tk = gold.get("kind")
        if tk != pred.get("kind"):
            return False
        return all(gold.get(k) == pred.get(k) for k in _TIME_KEYS[tk])
    return True


def pair_mentions(gold: list, pred: list, strict: bool) -> list[tuple[dict, dict]]:
    taken: set[int] = set()
    pairs = []
    for g in gold:
        best, best_score = None, 0
        for i, p in enumerate(pred):
            if i in taken or p.get("type") != g["type"]:
                continue
            if strict:
                score = int(p["start"] == g["start"] and p["end"] == g["end"])
            else:
                score = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if score > best_score:
                best, best_score = i, score
        if best is not None:
            taken.add(best)
            pairs.append((g, pred[best]))
    return pairs


def _text_set(items) -> set:
    return {x if isinstance(x, str) else x.get("text") for x in items or []}


def _recipients_agree(a: Optional[str], b: Optional[str]) -> bool:
    if not a or not b:
        return False
    sa, sb = set(a), set(b)
    return len(sa & sb) >= 0.5 * min(len(sa), len(sb))


def score_document(text: str, gold: dict, pred: dict, t: dict[str, Tally]) -> None:
    gm, pm = gold.get("mentions", []), pred.get("mentions", [])
    for kind in MENTION_TYPES:
        g = [m for m in gm if m["type"] == kind]
        p = [m for m in pm if m.get("type") == kind]
        for mode in ("relaxed", "strict"):
            pairs = pair_mentions(g, p, mode == "strict")
            row = t[f"{kind}/{mode}"]
            row.tp += len(pairs)
            row.fp += len(p) - len(pairs)
            row.fn += len(g) - len(pairs)
            if mode == "relaxed":
                acc = t[f"{kind}/value"]
                acc.is_accuracy = True
                acc.n += len(pairs)
                acc.ok += sum(value_matches(kind, a.get("value"), b.get("value")) for a, b in pairs)
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    _score_tasks(text, lines, starts, gold, pred, t)
    _score_subsidies(lines, starts, gold, pred, t)


def _score_tasks(text, lines, starts, gold, pred, t) -> None:
    predicted = pred.get("tasks", [])
    matched: set[int] = set()
    for gt in gold.get("tasks", []):
        seg = t["task/segment"]  # a row only where gold has tasks, as the reference has
        lo = starts[gt["line"] - 1]
        hi = lo + len(lines[gt["line"] - 1])
        title = gt.get("title") or ""
        best, best_key = None, None
        for i, p in enumerate(predicted):
            if i in matched or not (p.get("start", -1) <= hi and p.get("end", -1) > lo):
                continue
            body = text[p["start"]:p["end"]]
            key = (title in body, len(set(title) & set(body)), -p["start"])
            if best_key is None or key > best_key:
                best, best_key = i, key
        if best is None:
            seg.fn += 1
        else:
            seg.tp += 1
            matched.add(best)
        hit = predicted[best] if best is not None else {}
        for field in TASK_FIELDS:
            gs, ps = _text_set(gt.get(field)), _text_set(hit.get(field))
            row = t[f"task/{field}"]
            row.tp += len(gs & ps)
            row.fp += len(ps - gs)
            row.fn += len(gs - ps)
    if gold.get("tasks"):
        t["task/segment"].fp += len(predicted) - len(matched)


def _score_subsidies(lines, starts, gold, pred, t) -> None:
    predicted = pred.get("subsidies", [])
    used: set[int] = set()
    for gs in gold.get("subsidies", []):
        rec = t["subsidy/record"]  # a row only where gold lists subsidies, as the reference has
        if "amount_start" in gs:
            g0, g1 = gs["amount_start"], gs["amount_end"]
        else:
            line = lines[gs["line"] - 1]
            g0 = starts[gs["line"] - 1] + max(line.find(gs["amount"]), 0)
            g1 = g0 + len(gs["amount"])
        hit = None
        for i, ps in enumerate(predicted):
            a = ps.get("amount") or {}
            if i not in used and min(g1, a.get("end", -1)) > max(g0, a.get("start", 10**9)):
                hit = i
                break
        if hit is None:
            rec.fn += 1
            continue
        used.add(hit)
        ps = predicted[hit]
        recipient = ps.get("recipient")
        if isinstance(recipient, dict):
            recipient = recipient.get("text")
        if _recipients_agree(gs["recipient"], recipient):
            rec.tp += 1
        else:
            rec.fn += 1
            rec.fp += 1
        mode = t["subsidy/mode"]  # a row only once a record is matched
        mode.is_accuracy = True
        mode.n += 1
        mode.ok += ps.get("mode") == gs.get("mode")
    if gold.get("subsidies") is not None:
        t["subsidy/record"].fp += len(predicted) - len(used)


def evaluate(gold_dir: Path, corpus_dir: Optional[Path],
             predict: Callable[[str, dict], dict]) -> dict[str, dict]:
    """Score every gold file in `gold_dir`; `predict(text, gold)` returns the output dict."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    files = sorted(Path(gold_dir).glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no gold files (*.json) in {gold_dir}")
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        doc_path = find_document(gold["doc"], Path(gold_dir), corpus_dir)
        text = doc_path.read_text(encoding="utf-8")
        score_document(text, gold, predict(text, gold), tallies)
    return {k: v.row() for k, v in sorted(tallies.items())}


def find_document(name: str, gold_dir: Path, corpus_dir: Optional[Path]) -> Path:
    """The corpus file a gold file describes: in --corpus, or in a folder above the gold."""
    candidates = [corpus_dir / name] if corpus_dir else []
    candidates += [parent / name for parent in [gold_dir, *gold_dir.resolve().parents][:4]]
    for c in candidates:
        if c.is_file():
            return c
    raise FileNotFoundError(f"document {name} not found (looked in "
                            f"{', '.join(str(c.parent) for c in candidates)}); pass --corpus")


def format_table(rows: dict[str, dict]) -> str:
    out = []
    for key, row in rows.items():
        if "acc" in row:
            out.append(f"{key:22s} n={row['n']:<5d} acc={row['acc']:.4f}")
        else:
            out.append(f"{key:22s} p={row['p']:.4f} r={row['r']:.4f} f1={row['f1']:.4f}  "
                       f"(tp={row['tp']} fp={row['fp']} fn={row['fn']})")
    return "\n".join(out)
