"""Output snapshot for speed work: a change that only makes the pipeline faster must leave
every document's JSON byte-identical.

    python benchmarks/snapshot.py --save snap.jsonl     # before the change
    python benchmarks/snapshot.py --check snap.jsonl    # after: lists documents that differ

The documents: every corpus in corpora/ whole (with its gold reference date where it has
one), and --windows pieces cut from them at random offsets and lengths (fixed seed), so
that edges of text (a name cut at the start, a number at the end, half a line) are
exercised too, not only the five documents as published.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"


def documents(windows: int, seed: int) -> list[tuple[str, str, str | None]]:
    """(name, text, reference date) of every document of the snapshot."""
    refs = {}
    for g in sorted((CORPORA / "gold" / "dev").glob("*.json")):
        d = json.loads(g.read_text(encoding="utf-8"))
        refs[d["doc"]] = d.get("reference_date")
    out = []
    texts = []
    for p in sorted(CORPORA.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        texts.append((p.name, text))
        out.append((p.name, text, refs.get(p.name)))
    rnd = random.Random(seed)
    for i in range(windows):
        stem, text = rnd.choice(texts)
        n = rnd.choice((40, 120, 400, 1500, 4000))
        a = rnd.randrange(0, max(1, len(text) - n))
        out.append(("%d:%s@%d+%d" % (i, stem, a, n), text[a:a + n], None))
    return out


def snapshot(windows: int, seed: int):
    from policy_extract import extract

    for name, text, ref in documents(windows, seed):
        doc = extract(text, reference_date=ref) if ref else extract(text)
        yield name, doc.model_dump_json()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save", metavar="FILE")
    g.add_argument("--check", metavar="FILE")
    ap.add_argument("--windows", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.save:
        n = 0
        with open(args.save, "w", encoding="utf-8") as fh:
            for name, js in snapshot(args.windows, args.seed):
                fh.write(json.dumps({"doc": name, "json": js}, ensure_ascii=False) + "\n")
                n += 1
        print("saved %d documents to %s" % (n, args.save))
        return 0
    want = {}
    with open(args.check, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            want[r["doc"]] = r["json"]
    bad = []
    for name, js in snapshot(args.windows, args.seed):
        if want.get(name) != js:
            bad.append(name)
            if len(bad) <= 5:
                _show_diff(name, want.get(name), js)
    print("%d documents, %d differ%s" % (len(want), len(bad),
                                        (": " + ", ".join(bad[:20])) if bad else ""))
    return 1 if bad else 0


def _show_diff(name, old, new) -> None:
    """The first differing mention/task/section lines of one document."""
    if old is None:
        print("%s: not in the snapshot" % name)
        return
    a, b = json.loads(old), json.loads(new)
    for key in a:
        if a[key] != b.get(key):
            xa, xb = a[key], b.get(key)
            if isinstance(xa, list) and isinstance(xb, list):
                for i, (p, q) in enumerate(zip(xa, xb)):
                    if p != q:
                        print("%s %s[%d]:\n  was %s\n  now %s" % (name, key, i, p, q))
                        break
                else:
                    print("%s %s: %d items, now %d" % (name, key, len(xa), len(xb)))
            else:
                print("%s %s:\n  was %s\n  now %s" % (name, key, str(xa)[:300], str(xb)[:300]))


if __name__ == "__main__":
    sys.exit(main())
