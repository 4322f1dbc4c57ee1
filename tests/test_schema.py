"""The checked-in schema matches the models, and every JSON the tool writes validates."""
import json
import subprocess
import sys

import jsonschema

from policy_extract import extract
from policy_extract.schema import schema_json

from conftest import CORPORA, ROOT

SCHEMA_FILE = ROOT / "schemas" / "policy_document.schema.json"


def test_checked_in_schema_is_current():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_json(), (
        "schemas/policy_document.schema.json is stale: "
        "python -m policy_extract.schema > schemas/policy_document.schema.json")


def test_cli_output_validates_for_every_corpus_document(tmp_path):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    docs = sorted(CORPORA.glob("*.txt"))
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "policy_extract.cli", "extract", *map(str, docs),
                    "-o", str(out)], check=True)
    written = sorted(out.glob("*.json"))
    assert len(written) == len(docs)
    for path in written:
        data = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        text = (CORPORA / data["doc"]).read_text(encoding="utf-8")
        for m in data["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def test_api_document_validates():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    doc = extract("4月底前出台实施意见,市财政局给予最高不超过30万元的一次性补助。",
                  reference_date="2020-03-25")
    jsonschema.validate(json.loads(doc.model_dump_json(exclude_none=True)), schema)
