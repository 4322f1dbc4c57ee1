"""Speed benchmark of policy_extract, with JioNLP's money and time extraction alongside.

    python benchmarks/bench.py [--chars 5000000] [--jionlp-chars 200000] [--profile]

Builds a corpus of >= --chars characters from corpora/*.txt (the documents repeated and
shuffled with a fixed seed, each copy a separate document) and reports:

- whole-pipeline characters/s on one core (extract(), one process), wall and CPU time;
- characters/s of each stage: normalization, each extractor, overlap resolution, the
  mapping back to original offsets, reference dates, jieba segmentation, each linker;
- peak memory (max RSS) of this process and of the batch processes;
- cold start of `policy-extract extract` on a small file (median of 5 runs);
- the 2-worker speed-up of `policy-extract batch` on the same corpus written to files;
- JioNLP's extract_money and extract_time on a deterministic sample of the same text
  (JioNLP is slow; the sample is the first documents of the shuffled corpus), with our
  pipeline timed on the same sample, and the ratio.

Memo caches: the corpus repeats five documents, so any cache keyed on a stretch of
text (jieba windows, ...) would hit on every repeat, which real, unseen documents do
not. The headline figures therefore clear the package's text memo caches (functools
caches with a bounded size > 1) before each document; the warm-cache rate is shown too.

--profile runs cProfile over the whole pipeline on the corpus and prints the hot spots
by function and by module. Results also go to benchmarks/results/latest.json. Nothing
here asserts a time: the numbers are for reading.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import functools
import io
import json
import logging
import os
import platform
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPORA = ROOT / "corpora"
SMALL_DOC = CORPORA / "000_a2c246cf8337a3f8.txt"
TARGETS = {"pipeline_chars_per_s": 1_000_000, "cold_start_s": 1.0, "worker_rss_mb": 300,
           "speedup_2_workers": 1.7}


# -- corpus ------------------------------------------------------------------------------
def build_corpus(min_chars: int, seed: int) -> list[tuple[str, str]]:
    """[(name, text)]: rounds of the corpus documents, each round in a seeded order."""
    sources = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CORPORA.glob("*.txt"))]
    rng = random.Random(seed)
    docs, total, rnd = [], 0, 0
    while total < min_chars:
        order = sources[:]
        rng.shuffle(order)
        for stem, text in order:
            docs.append((f"r{rnd:03d}_{stem}", text))
            total += len(text)
        rnd += 1
    return docs


def text_caches():
    """functools caches of the package that memoize on text (bounded, more than one entry);
    resource loaders (maxsize None or 1) are left alone."""
    caches = []
    for name, mod in list(sys.modules.items()):
        if not name.startswith("policy_extract") or mod is None:
            continue
        for obj in vars(mod).values():
            info = getattr(obj, "cache_info", None)
            if callable(info) and getattr(obj, "__module__", None) == name:
                maxsize = info().maxsize
                if maxsize is not None and maxsize > 1:
                    caches.append(obj)
    return caches


def clear(caches) -> None:
    for c in caches:
        c.cache_clear()


# -- stage timing ------------------------------------------------------------------------
class Stages:
    """Exclusive time per stage: a stage nested in another (jieba inside an extractor)
    is taken out of the outer one."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.order: list[str] = []
        self._nested = 0.0

    @contextlib.contextmanager
    def stage(self, name: str):
        if name not in self.seconds:
            self.order.append(name)
        outer, self._nested = self._nested, 0.0
        t0 = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - t0
            self.seconds[name] += elapsed - self._nested
            self._nested = outer + elapsed

    def wrap(self, name: str, fn, consume: bool = False):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            with self.stage(name):
                out = fn(*args, **kwargs)
                return iter(list(out)) if consume else out  # time a generator's work
        return timed


@contextlib.contextmanager
def instrumented(stages: Stages):
    """Put a timer around every step pipeline.run() calls, by replacing the functions it
    looks up (module globals and the extractor/linker registries) with timed wrappers:
    run() itself is what gets measured, so a change in run() cannot skew the stages.
    Reference-date inference and word segmentation are timed wherever they are called."""
    from policy_extract import pipeline as pl
    from policy_extract import refdate

    patches = [(pl, "normalize", "normalization"),
               (pl, "resolve_overlaps", "overlap resolution"),
               (pl, "_to_mentions", "offsets to original (mentions)"),
               (refdate, "infer_reference", "reference date")]
    for n in pl.DEFAULT_EXTRACTORS:
        pl.get_extractor(n)
        patches.append((pl._EXTRACTORS, n, f"extractor {n}"))
    for n in pl.DEFAULT_LINKERS:
        pl.get_linker(n)
        patches.append((pl._LINKERS, n, f"linker {n}"))
    try:
        from policy_extract import segment

        patches += [(segment, attr, "word segmentation (segment)")
                    for attr in ("_cut", "_posseg") if hasattr(segment, attr)]
    except ImportError:
        pass
    saved = []
    for obj, attr, label in patches:
        get = obj.get if isinstance(obj, dict) else lambda a, o=obj: getattr(o, a, None)
        old = get(attr)
        if old is None:
            continue
        saved.append((obj, attr, old))
        new = stages.wrap(label, old)
        if isinstance(obj, dict):
            obj[attr] = new
        else:
            setattr(obj, attr, new)
    try:
        yield
    finally:
        for obj, attr, old in saved:
            if isinstance(obj, dict):
                obj[attr] = old
            else:
                setattr(obj, attr, old)


# -- measurements ------------------------------------------------------------------------
def maxrss_mb(ru) -> float:
    # Linux reports KiB, macOS bytes.
    return ru.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


FAILURES: dict[str, str] = {}  # document -> the exception our pipeline raised on it


def guarded(fn, name: str, *args, **kwargs):
    """fn(...), or None when it raises: a bug on one document is reported, and the
    benchmark goes on (its time so far still counts)."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        FAILURES.setdefault(name.split("_", 1)[1], f"{type(exc).__name__}: {exc}")
        return None


def measure_pipeline(docs, cold_caches: bool):
    from policy_extract import extract

    caches = text_caches() if cold_caches else []
    refs = {}
    wall = cpu = 0.0
    for name, text in docs:
        clear(caches)
        t0, c0 = time.perf_counter(), time.process_time()
        d = guarded(extract, name, text, doc=name)
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
        refs[name] = d.reference_date if d is not None else None
    return wall, cpu, refs


def measure_stages(docs):
    """Exclusive seconds per stage of extract(); what run() does between the steps
    (Context, Document) is the remainder of the whole."""
    from policy_extract import extract

    stages = Stages()
    caches = text_caches()
    json_s = 0.0
    with instrumented(stages):
        for name, text in docs:
            clear(caches)
            with stages.stage("pipeline glue (Context, Document, run())"):
                doc = guarded(extract, name, text, doc=name)
            if doc is None:
                continue
            t0 = time.perf_counter()
            doc.model_dump_json(exclude_none=True)
            json_s += time.perf_counter() - t0
    return stages, json_s


def cli_command() -> list[str]:
    exe = shutil.which("policy-extract")
    return [exe] if exe else [sys.executable, "-m", "policy_extract.cli"]


def measure_cold_start(runs: int = 5):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(cli_command() + ["extract", str(SMALL_DOC)], capture_output=True)
        times.append(time.perf_counter() - t0)
        if r.returncode != 0 or not r.stdout.startswith(b"{"):
            raise RuntimeError(f"policy-extract extract failed: {r.stderr.decode()[-500:]}")
    return statistics.median(times), times


# Linux starts a child's max RSS at its parent's size (fork copies the accounting), so
# the batch is started from a small trampoline process, not from this large one.
_TRAMPOLINE = """
import os, resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stderr=subprocess.PIPE)
sys.stderr.buffer.write(rc.stderr)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(ru.ru_maxrss, rc.returncode, ru.ru_utime + ru.ru_stime)
"""


def run_batch(folder: Path, out: Path, workers: int):
    """(wall seconds, max RSS MiB of the batch and its workers, exit code, summary line,
    CPU seconds of the batch and its workers)."""
    cmd = cli_command() + ["batch", str(folder), "-o", str(out), "--workers", str(workers)]
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", _TRAMPOLINE, *cmd], capture_output=True)
    wall = time.perf_counter() - t0
    rss_kib, rc, cpu = r.stdout.split()
    rss_kib, rc, cpu = int(rss_kib), int(rc), float(cpu)
    err = r.stderr.decode(errors="replace").strip()
    rss = rss_kib / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return wall, rss, rc, err.splitlines()[-1] if err else "", cpu


def measure_batch(docs, workdir: Path):
    folder = workdir / "docs"
    folder.mkdir()
    for i, (name, text) in enumerate(docs):
        (folder / f"{i:05d}_{name}.txt").write_text(text, encoding="utf-8")
    res = {}
    for w in (1, 2):
        wall, rss, rc, summary, cpu = run_batch(folder, workdir / f"out{w}.jsonl", w)
        res[w] = {"seconds": wall, "max_rss_mb": rss, "exit_code": rc, "summary": summary,
                  "cpu_seconds": cpu}
    same = (workdir / "out1.jsonl").read_bytes() == (workdir / "out2.jsonl").read_bytes()
    return res, same


def measure_jionlp(sample, refs):
    """JioNLP's extract_money and extract_time (time_base: the reference date our pipeline
    used for the document, else 1 January of the current year), and ours on the same text."""
    with contextlib.redirect_stdout(io.StringIO()):  # it prints a banner on import
        import jionlp
    from policy_extract import extract

    logging.disable(logging.CRITICAL)  # it logs a traceback for every unparsable candidate
    try:
        caches = text_caches()
        t_money = t_time = t_ours = 0.0
        n_money = n_time = 0
        for name, text in sample:
            ref = refs.get(name) or f"{dt.date.today().year}-01-01"
            base = dt.datetime.fromisoformat(ref).timestamp()
            t0 = time.perf_counter()
            n_money += len(jionlp.ner.extract_money(text))
            t1 = time.perf_counter()
            n_time += len(jionlp.ner.extract_time(text, time_base=base))
            t2 = time.perf_counter()
            clear(caches)
            guarded(extract, name, text, doc=name)
            t3 = time.perf_counter()
            t_money += t1 - t0
            t_time += t2 - t1
            t_ours += t3 - t2
    finally:
        logging.disable(logging.NOTSET)
    return {"version": getattr(jionlp, "__version__", "?"), "money_s": t_money,
            "time_s": t_time, "ours_s": t_ours, "money_found": n_money, "time_found": n_time}


def profile(docs, top: int):
    from policy_extract import extract

    caches = text_caches()
    prof = cProfile.Profile()
    for name, text in docs:
        clear(caches)
        prof.runcall(extract, text, doc=name)
    st = pstats.Stats(prof)
    total = st.total_tt
    rows = []
    by_module: dict[str, float] = defaultdict(float)
    for (file, line, func), (cc, nc, tt, ct, callers) in st.stats.items():
        rel = _short(file)
        rows.append((tt, ct, nc, f"{rel}:{line}({func})"))
        if file == "~" and callers:
            # a built-in (dict.get, str.join, regex match) counts for the module calling it
            for (cfile, _, _), (_, _, ctt, _) in callers.items():
                by_module[_short(cfile)] += ctt
        else:
            by_module[rel] += tt
    rows.sort(reverse=True)
    print(f"\ncProfile of extract() over {sum(len(t) for _, t in docs):,} chars "
          f"({total:.2f} s under the profiler)")
    print(f"{'own s':>8} {'own %':>6} {'cum s':>8} {'calls':>10}  function")
    for tt, ct, nc, where in rows[:top]:
        print(f"{tt:8.3f} {100 * tt / total:6.1f} {ct:8.3f} {nc:10d}  {where}")
    print(f"\n{'own s':>8} {'own %':>6}  module (built-ins counted for their callers)")
    for mod, tt in sorted(by_module.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{tt:8.3f} {100 * tt / total:6.1f}  {mod}")
    return {"total_s": total,
            "functions": [{"own_s": tt, "cum_s": ct, "calls": nc, "where": w}
                          for tt, ct, nc, w in rows[:top]],
            "modules": dict(sorted(by_module.items(), key=lambda kv: -kv[1])[:top])}


def _short(file: str) -> str:
    for marker in ("/policy_extract/", "/site-packages/", "/lib/python"):
        if marker in file:
            return file.split(marker, 1)[1] if marker != "/policy_extract/" else \
                "policy_extract/" + file.split(marker, 1)[1]
    return file


# -- report ------------------------------------------------------------------------------
def rate(chars: int, seconds: float) -> float:
    return chars / seconds if seconds > 0 else float("inf")


def fmt_rate(r: float) -> str:
    return f"{r / 1e6:10.2f} M/s"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chars", type=int, default=5_000_000, help="corpus size (characters)")
    ap.add_argument("--jionlp-chars", type=int, default=200_000,
                    help="size of the sample JioNLP runs on (it is slow)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-batch", action="store_true", help="no batch speed-up runs")
    ap.add_argument("--skip-jionlp", action="store_true")
    ap.add_argument("--profile", action="store_true", help="also cProfile the pipeline")
    ap.add_argument("--top", type=int, default=30, help="rows of the profile")
    ap.add_argument("--json", default=str(HERE / "results" / "latest.json"))
    args = ap.parse_args(argv)

    docs = build_corpus(args.chars, args.seed)
    chars = sum(len(t) for _, t in docs)
    res: dict = {"when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                 "python": platform.python_version(), "machine": platform.machine(),
                 "cpus": os.cpu_count(), "corpus": {"documents": len(docs), "chars": chars,
                                                     "seed": args.seed}}
    res["load_average_at_start"] = os.getloadavg()
    print(f"corpus: {len(docs)} documents, {chars:,} characters "
          f"(corpora/*.txt repeated, seed {args.seed}); {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")

    from policy_extract import extract

    t0 = time.perf_counter()
    extract("2020年3月25日，市财政局下达资金100万元。")  # imports, lexicons, jieba
    res["first_call_load_s"] = time.perf_counter() - t0
    from policy_extract import segment

    res["segmenter"] = ("compiled (policy_extract._route)" if segment._compiled_trie()
                        else "pure Python (extension not built, or POLICY_EXTRACT_PURE_PYTHON)")
    print(f"word segmentation: {res['segmenter']}")

    wall, cpu, refs = measure_pipeline(docs, cold_caches=True)
    warm_wall, _, _ = measure_pipeline(docs, cold_caches=False)
    res["pipeline"] = {"seconds": wall, "cpu_seconds": cpu, "chars_per_s": rate(chars, wall),
                       "chars_per_cpu_s": rate(chars, cpu),
                       "warm_cache_chars_per_s": rate(chars, warm_wall)}
    stages, json_s = measure_stages(docs)
    res["stages"] = {n: {"seconds": stages.seconds[n], "chars_per_s": rate(chars, stages.seconds[n])}
                     for n in stages.order}
    res["stages_total_s"] = sum(stages.seconds.values())
    res["json_output"] = {"seconds": json_s, "chars_per_s": rate(chars, json_s)}
    res["memory"] = {"bench_process_max_rss_mb": maxrss_mb(resource.getrusage(resource.RUSAGE_SELF))}

    cold, cold_runs = measure_cold_start()
    res["cold_start"] = {"median_s": cold, "runs_s": cold_runs, "file": SMALL_DOC.name}

    if not args.skip_batch:
        with tempfile.TemporaryDirectory(prefix="pe-bench-") as tmp:
            batch, same = measure_batch(docs, Path(tmp))
        res["batch"] = {"workers": batch, "outputs_identical": same,
                        "speedup_2_workers": batch[1]["seconds"] / batch[2]["seconds"],
                        # what an idle machine would give at most: the work split evenly
                        # over two cores, any extra CPU the parallel run spends included
                        "speedup_bound_from_cpu": 2 * batch[1]["cpu_seconds"] / batch[2]["cpu_seconds"]}

    if not args.skip_jionlp:
        sample, n = [], 0
        for name, text in docs:
            if n >= args.jionlp_chars:
                break
            sample.append((name, text))
            n += len(text)
        try:
            j = measure_jionlp(sample, refs)
        except ImportError:
            j = None
            print("jionlp is not installed (pip install policy-extract[bench]); skipped")
        if j:
            both = j["money_s"] + j["time_s"]
            j.update(sample_docs=len(sample), sample_chars=n,
                     money_chars_per_s=rate(n, j["money_s"]), time_chars_per_s=rate(n, j["time_s"]),
                     money_time_chars_per_s=rate(n, both), ours_chars_per_s=rate(n, j["ours_s"]),
                     ratio_ours_over_jionlp=rate(n, j["ours_s"]) / rate(n, both),
                     ratio_full_corpus_rate_over_jionlp=rate(chars, wall) / rate(n, both))
            res["jionlp"] = j

    res["load_average_at_end"] = os.getloadavg()
    res["failures"] = FAILURES
    report(res)
    if args.profile:
        res["profile"] = profile(docs, args.top)
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nJSON: {out}")
    return 0


def report(res: dict) -> None:
    chars = res["corpus"]["chars"]
    p = res["pipeline"]

    def row(label, value, target=""):
        print(f"  {label:<44} {value:>16}  {target}")

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print("\nload average (1, 5, 15 min) at start %s, at end %s: other processes share the CPUs"
          % tuple(", ".join(f"{x:.2f}" for x in res[k])
                  for k in ("load_average_at_start", "load_average_at_end")))
    for doc, err in res["failures"].items():
        print(f"WARNING: extract() raised on {doc} (each copy counted with its time until "
              f"the error): {err}")
    print("\nWhole pipeline, one process (extract(), text memo caches cleared per document)")
    row("chars/s (wall)", fmt_rate(p["chars_per_s"]),
        f"target >= 1.00 M/s: {verdict(p['chars_per_s'] >= TARGETS['pipeline_chars_per_s'])}")
    row("chars/s per CPU second", fmt_rate(p["chars_per_cpu_s"]))
    row("chars/s with warm caches (repeated text)", fmt_rate(p["warm_cache_chars_per_s"]))
    row("seconds", f"{p['seconds']:.2f} s")
    row("first call (imports, lexicons, jieba)", f"{res['first_call_load_s']:.2f} s")

    print("\nStages (exclusive time; chars/s = corpus chars / stage time)")
    total = res["stages_total_s"]
    for name, s in res["stages"].items():
        print(f"  {name:<44} {fmt_rate(s['chars_per_s']):>16}  {s['seconds']:7.2f} s "
              f"{100 * s['seconds'] / total:5.1f} %")
    print(f"  {'sum of stages':<44} {fmt_rate(rate(chars, total)):>16}  {total:7.2f} s")
    j = res["json_output"]
    print(f"  {'(JSON serialization, batch only)':<44} {fmt_rate(j['chars_per_s']):>16}  "
          f"{j['seconds']:7.2f} s")

    print("\nStart-up and memory")
    c = res["cold_start"]
    row("cold start `policy-extract extract` (median 5)", f"{c['median_s']:.3f} s",
        f"target < 1.0 s: {verdict(c['median_s'] < TARGETS['cold_start_s'])}")
    row("max RSS of this process", f"{res['memory']['bench_process_max_rss_mb']:.0f} MiB")
    b = res.get("batch")
    if b:
        w1, w2 = b["workers"][1], b["workers"][2]
        row("max RSS, batch --workers 1 (one process)", f"{w1['max_rss_mb']:.0f} MiB",
            f"target < 300 MiB per worker: {verdict(w1['max_rss_mb'] < TARGETS['worker_rss_mb'])}")
        row("max RSS of any process, batch --workers 2", f"{w2['max_rss_mb']:.0f} MiB")
        print("\nBatch (policy-extract batch over the corpus as files, wall time incl. start-up)")
        row("--workers 1", f"{w1['seconds']:.2f} s", f"{rate(chars, w1['seconds']) / 1e6:.2f} M chars/s")
        row("--workers 2", f"{w2['seconds']:.2f} s", f"{rate(chars, w2['seconds']) / 1e6:.2f} M chars/s")
        row("speed-up with 2 workers", f"{b['speedup_2_workers']:.2f} x",
            f"target >= 1.7x: {verdict(b['speedup_2_workers'] >= TARGETS['speedup_2_workers'])}")
        row("CPU seconds, --workers 1 / --workers 2", f"{w1['cpu_seconds']:.1f} / {w2['cpu_seconds']:.1f} s")
        row("speed-up an idle machine allows (2 x CPU1/CPU2)", f"{b['speedup_bound_from_cpu']:.2f} x",
            "the wall figure above is lower when other processes take CPU")
        row("outputs of 1 and 2 workers identical", str(b["outputs_identical"]))
        if w1["exit_code"] or w2["exit_code"]:
            print(f"  WARNING: batch exit codes {w1['exit_code']}, {w2['exit_code']}: "
                  f"{w1['summary']} | {w2['summary']}")
    j = res.get("jionlp")
    if j:
        print(f"\nJioNLP {j['version']} on a sample of the same text: the first "
              f"{j['sample_docs']} documents, {j['sample_chars']:,} chars (JioNLP is too slow "
              f"for the whole corpus)")
        row("jionlp.ner.extract_money", fmt_rate(j["money_chars_per_s"]), f"{j['money_found']} found")
        row("jionlp.ner.extract_time", fmt_rate(j["time_chars_per_s"]), f"{j['time_found']} found")
        row("JioNLP money + time", fmt_rate(j["money_time_chars_per_s"]))
        row("ours, whole pipeline, same sample", fmt_rate(j["ours_chars_per_s"]))
        row("ratio ours / JioNLP (same sample)", f"{j['ratio_ours_over_jionlp']:.1f} x",
            f"target > 1: {verdict(j['ratio_ours_over_jionlp'] > 1)}")
        row("ratio ours (full corpus) / JioNLP", f"{j['ratio_full_corpus_rate_over_jionlp']:.1f} x")


if __name__ == "__main__":
    sys.exit(main())
