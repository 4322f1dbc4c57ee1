"""Batch mode: many documents to one JSONL file, in parallel, resumable.

    policy-extract batch INPUT... -o OUT.jsonl [--workers N] [--ref-date D] [--resume]

One line per document, in input order: the Document, or an ErrorRecord
{"doc", "error": {"type", "message"}} when it cannot be read or processed. A bad file
never stops the batch. Lines are written whole and flushed one by one, so an interrupted
run leaves a valid file that `--resume` continues (a torn last line is cut away).

Workers are processes; each loads the models and lexicons once (its initializer runs
the whole pipeline on a tiny text) and receives documents in chunks. Results come back
out of order and go through a reorder buffer; the number of chunks in flight is bounded
so that memory does not grow with the size of the batch.
"""
from __future__ import annotations

import glob
import json
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Iterable

from .errors import PolicyExtractError
from .models import DocumentError, ErrorRecord

# A chunk closes at this many documents or input bytes, whichever comes first: big
# enough to amortize inter-process traffic, small enough to balance the workers.
CHUNK_DOCS = 32
CHUNK_BYTES = 256 * 1024
CHUNKS_PER_WORKER = 8  # at least, when the batch is small
IN_FLIGHT_PER_WORKER = 3
# A document whose extraction runs past BASE + chars / RATE seconds (50x slower than the
# pipeline's target) is stopped and reported as a timeout: a hang on one document must
# not stall the batch.
TIME_LIMIT_BASE = 30.0
TIME_LIMIT_RATE = 20_000
_GLOB_CHARS = frozenset("*?[")
_WARM_UP_TEXT = "2020年3月25日，市财政局（电话：0571-12345678）下达资金100万元，支持10家企业，6月底前完成。"


# -- inputs ------------------------------------------------------------------------------
def _walk(folder: str) -> list[str]:
    """Regular files below `folder`, sorted; hidden files and folders are skipped."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
    return found


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Document names, in input order, each once: files as given, folders walked, globs
    expanded. A name that matches nothing stays in the list; reading it then yields a
    not_found error record, so a typo shows in the output instead of vanishing."""
    names: list[str] = []
    seen: set[str] = set()

    def add(name: str) -> None:
        if name not in seen:
            seen.add(name)
            names.append(name)

    for item in inputs:
        if os.path.isdir(item):
            for name in _walk(item):
                add(name)
        elif not os.path.exists(item) and _GLOB_CHARS & set(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                add(item)
            for m in matches:
                for name in (_walk(m) if os.path.isdir(m) else [m]):
                    add(name)
        else:
            add(item)
    return names


# -- one document ------------------------------------------------------------------------
class _Timeout(BaseException):
    """Not an Exception: an `except Exception` inside an extractor must not swallow it."""


def _on_alarm(signum, frame):
    raise _Timeout()


@contextmanager
def _time_limit(seconds: float):
    """Raise _Timeout in this thread after `seconds` (a no-op where SIGALRM is missing or
    off the main thread). The signal interrupts Python code and regex matching alike."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _extract_one(name: str, ref_date, max_bytes) -> tuple[str, int, bool]:
    """(JSON line without newline, characters read, failed?) for one document.

    Like cli.extract_file, but the record is named by the path as given (unique within
    the batch, which --resume relies on) and the text length is returned for the rate."""
    from .cli import extract_read, read_document

    try:
        result = read_document(name, max_bytes)
        limit = TIME_LIMIT_BASE + len(result.text) / TIME_LIMIT_RATE
        with _time_limit(limit):
            doc = extract_read(result, name, ref_date)
        return doc.model_dump_json(exclude_none=True), len(result.text), False
    except PolicyExtractError as exc:
        kind, message = exc.kind, exc.message
    except _Timeout:
        kind, message = "timeout", (f"extraction stopped after {limit:.0f} s, the limit for "
                                    f"{len(result.text)} characters")
    except Exception as exc:  # a bug on one document must not cost the others
        kind, message = "internal", f"{type(exc).__name__}: {exc}"
    return _error_line(name, kind, message), 0, True


def _error_line(name: str, kind: str, message: str) -> str:
    return ErrorRecord(doc=name, error=DocumentError(type=kind, message=message)).model_dump_json()


def _process_chunk(chunk, ref_date, max_bytes):
    """Worker task: [(index, name)] -> [(index, line, chars, failed)]."""
    return [(i, *_extract_one(name, ref_date, max_bytes)) for i, name in chunk]


def _warm_up() -> None:
    """Import every extractor and linker and load every lexicon (once per process)."""
    from . import extract

    try:
        extract(_WARM_UP_TEXT)
    except Exception:
        pass  # a broken extractor is reported on each document, not by a dead pool


def _init_worker() -> None:
    # Ctrl-C goes to the whole process group; the parent alone decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm_up()  # instant when forked from a warm parent


# -- output ------------------------------------------------------------------------------
def _resume_state(out: Path) -> tuple[set[str], int]:
    """Documents already in `out` and how many of them are errors. A torn or unreadable
    line ends the valid part: it and anything after it are cut away (and redone)."""
    done: set[str] = set()
    errors = 0
    if not out.exists():
        return done, errors
    valid = 0
    with open(out, "rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break
            try:
                rec = json.loads(raw)
                name = rec["doc"]
            except (ValueError, KeyError, TypeError):
                break
            done.add(name)
            errors += "error" in rec
            valid += len(raw)
    if valid != out.stat().st_size:
        os.truncate(out, valid)
    return done, errors


class _Progress:
    """Counts, and a one-line progress display on stderr when it is a terminal."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total = total
        self.docs = self.errors = self.chars = 0
        self.t0 = time.perf_counter()
        self._stream = stream
        self._live = stream.isatty()
        self._last = 0.0

    def add(self, chars: int, failed: bool) -> None:
        self.docs += 1
        self.chars += chars
        self.errors += failed
        if self._live:
            now = time.perf_counter()
            if now - self._last >= 0.2 or self.docs == self.total:
                self._last = now
                self._stream.write("\r" + self.line())
                self._stream.flush()

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def rate(self) -> float:
        return self.chars / max(self.elapsed(), 1e-9)

    def line(self) -> str:
        pct = 100.0 * self.docs / self.total if self.total else 100.0
        return (f"{self.docs}/{self.total} documents ({pct:.0f}%)  "
                f"{self.rate() / 1e6:.2f} M chars/s  {self.errors} errors ")

    def close(self) -> None:
        if self._live and self._last:
            self._stream.write("\n")
            self._stream.flush()


class _OrderedWriter:
    """Writes whole lines in input order; results that arrive early wait in a buffer."""

    def __init__(self, fh, order: list[int], progress: _Progress):
        self.fh = fh
        self.order = order  # the input indices to write, ascending
        self.next = 0
        self.pending: dict[int, tuple[str, int, bool]] = {}
        self.progress = progress

    def put(self, index: int, line: str, chars: int, failed: bool) -> None:
        self.pending[index] = (line, chars, failed)
        while self.next < len(self.order) and self.order[self.next] in self.pending:
            line, chars, failed = self.pending.pop(self.order[self.next])
            self.fh.write(line + "\n")
            self.fh.flush()
            self.next += 1
            self.progress.add(chars, failed)


# -- scheduling --------------------------------------------------------------------------
def _chunks(todo: list[tuple[int, str]], workers: int) -> list[list[tuple[int, str]]]:
    """Consecutive documents grouped by count and bytes; a small batch is cut finer so
    that every worker gets several chunks and none waits at the end."""
    sizes = []
    for _, name in todo:
        try:
            sizes.append(os.stat(name).st_size)
        except OSError:
            sizes.append(0)  # the worker reports it
    limit = max(1, min(CHUNK_BYTES, sum(sizes) // (workers * CHUNKS_PER_WORKER)))
    chunks: list[list[tuple[int, str]]] = []
    cur: list[tuple[int, str]] = []
    size = 0
    for item, n in zip(todo, sizes):
        cur.append(item)
        size += n
        if len(cur) >= CHUNK_DOCS or size >= limit:
            chunks.append(cur)
            cur, size = [], 0
    if cur:
        chunks.append(cur)
    return chunks


def _context():
    # fork shares the parent's imported modules; elsewhere fork is unsafe or missing.
    methods = mp.get_all_start_methods()
    if sys.platform != "darwin" and "fork" in methods:
        return mp.get_context("fork")
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


def _run_pool(todo, workers: int, ref_date, max_bytes, writer: _OrderedWriter) -> None:
    """Run `todo` on a process pool. If a worker dies (killed, out of memory, crash in C),
    the chunks it may have held are rerun one document at a time in a fresh pool, and a
    document that kills its worker alone gets an error record."""
    queue = _chunks(todo, workers)
    queue.reverse()  # pop() from the end takes chunks in input order
    suspects: list[tuple[int, str]] = []
    task = (ref_date, max_bytes)
    context = _context()
    if context.get_start_method() == "fork":
        # Load once here: forked workers inherit the loaded models (shared copy-on-write)
        # instead of each spending the same CPU time and memory loading them again.
        _warm_up()
    while queue or suspects:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                   initializer=_init_worker)
        try:
            _pool_round(pool, queue, suspects, workers, task, writer)
        except BaseException:
            # Ctrl-C or a failure in the parent: stop now, not after the chunks in flight.
            # What is written so far is whole lines, which --resume continues.
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


def _pool_round(pool, queue, suspects, workers, task, writer) -> None:
    """Work through the suspects (alone), then the queue, until done or the pool breaks;
    a break puts every chunk that was in flight back among the suspects."""
    while suspects:
        i, name = suspects.pop(0)
        try:
            for rec in pool.submit(_process_chunk, [(i, name)], *task).result():
                writer.put(*rec)
        except BrokenProcessPool:
            writer.put(i, _error_line(name, "internal", "the worker process died on this "
                                      "document (crash or out of memory)"), 0, True)
            return
    inflight: dict = {}
    while queue or inflight:
        while queue and len(inflight) < workers * IN_FLIGHT_PER_WORKER:
            chunk = queue.pop()
            inflight[pool.submit(_process_chunk, chunk, *task)] = chunk
        done, _ = wait(inflight, return_when=FIRST_COMPLETED)
        for fut in sorted(done, key=lambda f: inflight[f][0][0]):
            try:
                recs = fut.result()
            except BrokenProcessPool:
                suspects.extend(item for chunk in inflight.values() for item in chunk)
                suspects.sort()
                return
            for rec in recs:
                writer.put(*rec)
            del inflight[fut]


def run_batch(args) -> int:
    out = Path(args.output)
    # The output may sit inside an input folder; it is never a document of the batch.
    names = [n for n in expand_inputs(args.inputs)
             if os.path.abspath(n) != os.path.abspath(out)]
    done, old_errors = _resume_state(out) if args.resume else (set(), 0)
    todo = [(i, name) for i, name in enumerate(names) if name not in done]
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise PolicyExtractError(f"--workers must be at least 1, got {workers}")
    workers = min(workers, len(todo)) or 1
    out.parent.mkdir(parents=True, exist_ok=True)
    progress = _Progress(len(todo))
    with open(out, "a" if args.resume else "w", encoding="utf-8", newline="\n") as fh:
        writer = _OrderedWriter(fh, [i for i, _ in todo], progress)
        try:
            if workers == 1:
                for i, name in todo:
                    writer.put(i, *_extract_one(name, args.ref_date, args.max_bytes))
            else:
                _run_pool(todo, workers, args.ref_date, args.max_bytes, writer)
        finally:
            progress.close()
            skipped = len(names) - len(todo)
            secs = progress.elapsed()
            print(f"policy-extract batch: {progress.docs} documents"
                  + (f" (+{skipped} already in {out})" if skipped else "")
                  + f", {progress.errors + old_errors} errors, {progress.chars} chars, "
                  f"{secs:.1f} s, {progress.rate():,.0f} chars/s -> {out}", file=sys.stderr)
    return 1 if progress.errors + old_errors else 0
