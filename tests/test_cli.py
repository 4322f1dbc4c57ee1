"""The command line: one JSON per document, stdin, output folders, clear errors."""
import json
import subprocess
import sys

from conftest import CORPORA, ROOT

CLI = [sys.executable, "-m", "policy_extract.cli"]
DOC = CORPORA / "002_96fd86fa36c02b4e.txt"


def run(*args, stdin=None):
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True)


def test_extract_to_stdout_with_ref_date():
    r = run("extract", str(DOC), "--ref-date", "2020-03-25")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["doc"] == DOC.name
    assert data["reference_date"] == "2020-03-25"
    assert data["reference_date_source"] == "given"
    assert data["script"] == "traditional"
    assert data["normalization"]["source"]["reader"]


def test_stdin_and_pretty():
    text = DOC.read_text(encoding="utf-8")
    r = run("extract", "-", "--pretty", stdin=text.encode("utf-8"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(b"{\n")
    assert json.loads(r.stdout)["doc"] == "-"


def test_output_folder_gets_one_json_per_document(tmp_path):
    docs = sorted(CORPORA.glob("00[01]*.txt"))
    r = run("extract", *map(str, docs), "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [d.name + ".json" for d in docs]


def test_bad_inputs_give_one_line_errors_and_nonzero_exit(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    for path, needle in [(tmp_path / "missing.txt", "no such file"), (tmp_path, "directory"),
                         (empty, "empty"), (binary, "binary")]:
        r = run("extract", str(path))
        assert r.returncode != 0
        err = r.stderr.decode()
        assert needle in err.lower(), err
        assert "Traceback" not in err and err.count("\n") == 1


def test_good_documents_still_written_when_one_fails(tmp_path):
    r = run("extract", str(DOC), str(tmp_path / "missing.txt"))
    assert r.returncode == 1
    assert json.loads(r.stdout)["doc"] == DOC.name


def test_bad_ref_date_is_a_usage_error():
    r = run("extract", str(DOC), "--ref-date", "2020-13-45")
    assert r.returncode == 2
    assert b"not a date" in r.stderr


def test_schema_command_prints_the_checked_in_schema():
    r = run("schema")
    assert r.returncode == 0
    assert r.stdout.decode() == (ROOT / "schemas" / "policy_document.schema.json").read_text(encoding="utf-8")
