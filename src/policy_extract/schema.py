"""The JSON schema of the output, generated from the pydantic models.

`python -m policy_extract.schema > schemas/policy_document.schema.json` regenerates the
checked-in copy; a test fails when the two disagree.
"""
from __future__ import annotations

import json

from .models import Document


def schema() -> dict:
    s = Document.model_json_schema()
    s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    s["$id"] = "policy_document.schema.json"
    return s


def schema_json() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(schema_json())
