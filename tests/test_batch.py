"""Batch mode: input order, error records, resumable output, workers agree."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import CORPORA
from policy_extract import batch, extract
from policy_extract.cli import main

SMALL = sorted(CORPORA.glob("00[04]_*.txt"))  # the two shortest documents, ~7.5 k chars


def records(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture
def folder(tmp_path):
    """Two real documents and three unreadable files, under a nested folder."""
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    shutil.copy(SMALL[0], d / "a.txt")
    shutil.copy(SMALL[1], d / "sub" / "c.txt")
    (d / "b_empty.txt").write_bytes(b"")
    (d / "sub" / "b_binary.pdf.bin").write_bytes(b"\x00\x01\x02\x03PK\x00" * 50)
    # 0x81 0x20 is a broken two-byte sequence in GB18030 and Big5 and not UTF-8
    (d / "b_wrong_encoding.txt").write_bytes("通知".encode("utf-8") + b"\x81\x20\xff\x81\x20" * 20)
    (d / ".hidden").write_text("skipped", encoding="utf-8")
    return d


def test_folder_with_bad_files_gives_results_in_order_and_error_records(folder, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    rc = main(["batch", str(folder), "-o", str(out), "--workers", "1"])
    assert rc == 1
    recs = records(out)
    names = [r["doc"] for r in recs]
    assert names == [str(folder / n) for n in ("a.txt", "b_empty.txt", "b_wrong_encoding.txt",
                                               "sub/b_binary.pdf.bin", "sub/c.txt")]
    errors = {r["doc"].rsplit("/", 1)[1]: r["error"]["type"] for r in recs if "error" in r}
    assert errors["b_empty.txt"] == "empty"
    assert errors["b_binary.pdf.bin"] in ("binary", "unsupported", "corrupt")
    assert errors["b_wrong_encoding.txt"] in ("encoding", "binary")
    assert set(errors) == {"b_empty.txt", "b_binary.pdf.bin", "b_wrong_encoding.txt"}
    # The good documents carry exactly what extract() finds, named by their path.
    for rec, src in ((recs[0], SMALL[0]), (recs[4], SMALL[1])):
        direct = json.loads(extract(src.read_text(encoding="utf-8"), doc=rec["doc"])
                            .model_dump_json(exclude_none=True))
        assert rec["normalization"]["source"]["reader"]
        direct["normalization"]["source"] = rec["normalization"]["source"]
        assert rec == direct
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert "5 documents" in summary and "3 errors" in summary


def test_all_good_exits_zero_and_globs_expand_in_order(tmp_path):
    for i, src in enumerate(SMALL):
        shutil.copy(src, tmp_path / f"d{i}.txt")
    out = tmp_path / "o" / "out.jsonl"  # the output folder is created
    pattern = str(tmp_path / "d*.txt")
    # The same file named twice (glob and path) is one document.
    assert main(["batch", pattern, str(tmp_path / "d0.txt"), "-o", str(out), "--workers", "1",
                 "--ref-date", "2021-01-01"]) == 0
    recs = records(out)
    assert [r["doc"] for r in recs] == [str(tmp_path / "d0.txt"), str(tmp_path / "d1.txt")]
    assert {r["reference_date"] for r in recs} == {"2021-01-01"}


def test_missing_input_is_an_error_record_not_a_crash(tmp_path):
    out = tmp_path / "out.jsonl"
    missing = str(tmp_path / "nothing_here_*.txt")
    assert main(["batch", missing, str(SMALL[0]), "-o", str(out), "--workers", "1"]) == 1
    recs = records(out)
    assert recs[0]["doc"] == missing and recs[0]["error"]["type"] == "not_found"
    assert recs[1]["doc"] == str(SMALL[0]) and "error" not in recs[1]


def test_output_inside_an_input_folder_is_not_read_as_a_document(tmp_path):
    shutil.copy(SMALL[0], tmp_path / "a.txt")
    out = tmp_path / "out.jsonl"
    out.write_text("stale\n", encoding="utf-8")
    assert main(["batch", str(tmp_path), "-o", str(out), "--workers", "1"]) == 0
    assert [r["doc"] for r in records(out)] == [str(tmp_path / "a.txt")]


def test_resume_after_torn_and_missing_lines_gives_each_document_once(folder, tmp_path):
    out = tmp_path / "out.jsonl"
    main(["batch", str(folder), "-o", str(out), "--workers", "1"])
    full = out.read_bytes()
    lines = full.splitlines(keepends=True)
    # A run killed while writing line 4: lines 1-3 whole, line 4 torn.
    out.write_bytes(b"".join(lines[:3]) + lines[3][: len(lines[3]) // 2])
    assert main(["batch", str(folder), "-o", str(out), "--workers", "1", "--resume"]) == 1
    assert out.read_bytes() == full
    # A line missing in the middle: that document is redone, at the end.
    out.write_bytes(b"".join(lines[:1] + lines[2:]))
    main(["batch", str(folder), "-o", str(out), "--workers", "1", "--resume"])
    recs = records(out)
    assert sorted(r["doc"] for r in recs) == sorted(json.loads(x)["doc"] for x in lines)
    assert recs[-1] == json.loads(lines[1])


def test_killed_process_then_resume_gives_each_document_once(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(30):
        shutil.copy(SMALL[i % 2], src / f"{i:02d}.txt")
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "policy_extract.cli", "batch", str(src), "-o", str(out),
           "--workers", "2"]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.stat().st_size > 0:
            break
        time.sleep(0.01)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, mid-run
    proc.wait()
    before = out.read_bytes().count(b"\n")
    rc = subprocess.run(cmd + ["--resume"], stderr=subprocess.DEVNULL).returncode
    recs = records(out)
    assert rc == (1 if any("error" in r for r in recs) else 0)
    names = [r["doc"] for r in recs]
    assert names == [str(src / f"{i:02d}.txt") for i in range(30)]
    assert before <= 30


def test_two_workers_write_the_same_file_as_one(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK_DOCS", 1)  # several chunks, finishing out of order
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["batch", str(folder), "-o", str(one), "--workers", "1"]) == 1
    assert main(["batch", str(folder), "-o", str(two), "--workers", "2"]) == 1
    assert one.read_bytes() == two.read_bytes()


def _crash_on_c(name, ref_date, max_bytes, _real=batch._extract_one):
    if name.endswith("c.txt"):
        os._exit(3)  # a worker dying hard, as under the out-of-memory killer
    return _real(name, ref_date, max_bytes)


@pytest.mark.skipif(batch._context().get_start_method() != "fork",
                    reason="the patched function reaches the workers only through fork")
def test_a_document_that_kills_its_worker_gets_an_error_record(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "_extract_one", _crash_on_c)
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(folder), "-o", str(out), "--workers", "2"]) == 1
    recs = records(out)
    assert [r["doc"].rsplit("/", 1)[1] for r in recs] == [
        "a.txt", "b_empty.txt", "b_wrong_encoding.txt", "b_binary.pdf.bin", "c.txt"]
    assert "error" not in recs[0]
    assert recs[4]["error"]["type"] == "internal"
    assert "worker process died" in recs[4]["error"]["message"]


def test_an_exception_inside_extraction_is_an_internal_error_record(tmp_path, monkeypatch):
    import policy_extract

    def broken(text, **kw):
        raise ValueError("extractor bug")

    monkeypatch.setattr(policy_extract, "extract", broken)
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(SMALL[0]), "-o", str(out), "--workers", "1"]) == 1
    assert records(out) == [{"doc": str(SMALL[0]),
                             "error": {"type": "internal", "message": "ValueError: extractor bug"}}]


def test_a_document_that_hangs_is_stopped_and_reported(tmp_path, monkeypatch):
    import policy_extract

    real = policy_extract.extract

    def hangs_on_short_texts(text, **kw):
        if len(text) < 4000:  # 000 (3,675 chars) hangs, 004 (3,894) too; a copy of 001 not
            while True:
                pass
        return real(text, **kw)

    monkeypatch.setattr(policy_extract, "extract", hangs_on_short_texts)
    monkeypatch.setattr(batch, "TIME_LIMIT_BASE", 0.3)
    shutil.copy(SMALL[0], tmp_path / "a.txt")
    shutil.copy(CORPORA / "002_96fd86fa36c02b4e.txt", tmp_path / "b.txt")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(out),
                 "--workers", "1"]) == 1
    recs = records(out)
    assert recs[0]["error"]["type"] == "timeout"
    assert "error" not in recs[1] and recs[1]["mentions"]
