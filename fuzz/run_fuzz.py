#!/usr/bin/env python
"""Long fuzz run over extract() and read(), outside the test suite.

    python fuzz/run_fuzz.py --seconds 300                  # atheris if installed
    python fuzz/run_fuzz.py --seconds 300 --engine random
    python fuzz/run_fuzz.py --replay /tmp/policy_extract_fuzz/extract-000.txt  # one saved input

Inputs: arbitrary Unicode, mutated corpus documents (slices, inserted pinyin, deleted or
duplicated characters, full-width digits, moved line breaks) and damaged containers
(DOCX, PDF, HTML, GB18030/UTF-16 text with bytes cut, flipped or repeated). Properties:
fuzz/fuzz_targets.py. A failure does not stop the run: each distinct failure (exception
type + innermost project frame) is shrunk to a small input, saved under --crash-dir and
printed; the run ends with the number of inputs tried. atheris is coverage-guided
(`pip install atheris`); the random engine needs nothing and drives the same generators
from a seeded PRNG.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

STATS = {"inputs": 0, "failures": 0, "start": time.time()}
SEEN: dict[str, dict] = {}


def signature(exc: BaseException) -> str:
    """Exception type + the innermost frame inside the project (where it went wrong)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if "policy_extract" in f.filename or "fuzz_targets" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    head = str(exc).split(":")[0][:60] if isinstance(exc, AssertionError) else ""
    return f"{type(exc).__name__} at {where} {head}".strip()


def shrink(value, fails, budget: float = 20.0):
    """Greedy delta debugging on a str/bytes input: drop chunks while it still fails."""
    deadline = time.time() + budget
    chunk = max(1, len(value) // 2)
    while chunk >= 1 and time.time() < deadline:
        i, progressed = 0, False
        while i < len(value) and time.time() < deadline:
            candidate = value[:i] + value[i + chunk:]
            if fails(candidate):
                value, progressed = candidate, True
            else:
                i += chunk
        if not progressed:
            chunk //= 2
    return value


def record(kind: str, value, exc: BaseException, check, crash_dir: Path) -> None:
    STATS["failures"] += 1
    sig = signature(exc)
    if sig in SEEN:
        SEEN[sig]["count"] += 1
        return

    def fails(candidate):
        try:
            check(candidate)
        except Exception as again:  # noqa: BLE001 - any failure with the same signature
            return signature(again) == sig
        return False

    small = shrink(value, fails)
    try:
        check(small)
    except Exception as again:  # noqa: BLE001 - report what the small input does
        exc = again
    crash_dir.mkdir(parents=True, exist_ok=True)
    name = f"{kind}-{len(SEEN):03d}" + (".bin" if isinstance(small, bytes) else ".txt")
    path = crash_dir / name
    path.write_bytes(small if isinstance(small, bytes) else small.encode("utf-8", "surrogatepass"))
    SEEN[sig] = {"count": 1, "input": str(path), "kind": kind,
                 "repr": repr(small)[:300], "error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    print(f"\n[new failure] {sig}\n  minimal input ({len(small)}): {small!r:.300}\n  saved: {path}\n"
          f"  {type(exc).__name__}: {str(exc)[:300]}", flush=True)


def run_one(kind: str, value, crash_dir: Path) -> None:
    from fuzz_targets import check_extract, check_read

    check = check_read if kind == "read" else check_extract
    STATS["inputs"] += 1
    try:
        check(value)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - every failure is a finding
        record(kind, value, exc, check, crash_dir)
    if STATS["inputs"] % 2000 == 0:
        report(final=False)


def report(final: bool) -> None:
    elapsed = time.time() - STATS["start"]
    line = (f"{'DONE' if final else 'progress'}: {STATS['inputs']} inputs in {elapsed:.0f} s "
            f"({STATS['inputs'] / max(elapsed, 1e-9):.0f}/s), {STATS['failures']} failing inputs, "
            f"{len(SEEN)} distinct failures")
    print(line, flush=True)
    if final:
        print(json.dumps(SEEN, ensure_ascii=False, indent=1), flush=True)


# --- input generation shared by the engines --------------------------------------------

def generate(choose_int, choose_float, choose_text, choose_bytes):
    """(kind, value) from four primitive choosers (engine-specific)."""
    from fuzz_targets import (MUTATIONS, container_seeds, corpus_slice, mutate,
                              mutate_bytes)

    mode = choose_int(0, 4)
    if mode == 0:
        return "extract", choose_text()
    if mode in (1, 2):
        text = corpus_slice(choose_int(0, 4), choose_float(), choose_int(0, 4000))
        for _ in range(choose_int(0, 10)):
            text = mutate(text, MUTATIONS[choose_int(0, len(MUTATIONS) - 1)], choose_float(),
                          choose_int(1, 40), choose_int(0, 10_000))
        return "extract", text
    if mode == 3:
        seeds = container_seeds()
        data = seeds[choose_int(0, len(seeds) - 1)]
        for _ in range(choose_int(1, 4)):
            data = mutate_bytes(data, choose_int(0, 4), choose_float(), choose_int(1, 64),
                                choose_int(0, 255))
        return "read", data
    return "read", choose_bytes()


def run_atheris(seconds: int, crash_dir: Path, extra: list[str]) -> None:
    import atheris

    import importlib
    import os
    import pkgutil

    with atheris.instrument_imports(include=["policy_extract"]):
        import policy_extract

        for mod in pkgutil.walk_packages(policy_extract.__path__, "policy_extract."):
            if not mod.name.endswith(("spacy_component", ".cli", ".batch", ".evaluate")):
                importlib.import_module(mod.name)
    deadline = time.time() + seconds

    def one_input(data: bytes) -> None:
        fdp = atheris.FuzzedDataProvider(data)
        kind, value = generate(
            fdp.ConsumeIntInRange, fdp.ConsumeProbability,
            lambda: fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 2000)),
            lambda: fdp.ConsumeBytes(fdp.remaining_bytes()))
        run_one(kind, value, crash_dir)
        if time.time() > deadline:      # libFuzzer's own time limit exits without atexit
            report(final=True)
            sys.stdout.flush()
            os._exit(0)

    atheris.Setup([sys.argv[0], "-rss_limit_mb=4096", "-max_len=8192", "-print_final_stats=0",
                   *extra], one_input)
    atheris.Fuzz()


def run_random(seconds: int, crash_dir: Path, seed: int) -> None:
    """Seeded random generation with the same generators (no coverage guidance)."""
    rng = random.Random(seed)
    alphabet = None

    def text():
        nonlocal alphabet
        if alphabet is None:
            from fuzz_targets import SNIPPETS
            alphabet = list("".join(SNIPPETS)) + ["的", "发", "展", "萬", "亿", "年"]
        n = rng.randint(0, 400)
        if rng.random() < 0.5:
            return "".join(rng.choice(alphabet) for _ in range(n))
        return "".join(chr(rng.choice((rng.randint(0, 0x2FF), rng.randint(0x3000, 0x9FFF),
                                       rng.randint(0xE000, 0x10FFFF))))
                       for _ in range(n)).encode("utf-8", "replace").decode("utf-8", "replace")

    deadline = time.time() + seconds
    while time.time() < deadline:
        kind, value = generate(rng.randint, rng.random, text,
                               lambda: rng.randbytes(rng.randint(0, 600)))
        run_one(kind, value, crash_dir)
    report(final=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=int, default=300)
    p.add_argument("--engine", choices=("auto", "atheris", "random"), default="auto")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--crash-dir", default=str(Path(tempfile.gettempdir()) / "policy_extract_fuzz"))
    p.add_argument("--replay", help="run one saved input (.txt -> extract, .bin -> read)")
    args, extra = p.parse_known_args()
    crash_dir = Path(args.crash_dir)
    if args.replay:
        from fuzz_targets import check_extract, check_read

        path = Path(args.replay)
        if path.suffix == ".bin":
            check_read(path.read_bytes())
        else:
            check_extract(path.read_bytes().decode("utf-8", "surrogatepass"))
        print("no failure")
        return 0
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
            engine = "atheris"
        except ImportError:
            engine = "random"
    print(f"engine: {engine}, {args.seconds} s", flush=True)
    if engine == "atheris":
        run_atheris(args.seconds, crash_dir, extra)
    else:
        run_random(args.seconds, crash_dir, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
