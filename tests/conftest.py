import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
GOLD = CORPORA / "gold" / "dev"


def corpus_text(name_prefix: str) -> str:
    """The text of the corpus document whose file name starts with `name_prefix`."""
    (path,) = [p for p in CORPORA.glob(f"{name_prefix}*.txt")]
    return path.read_text(encoding="utf-8")


def gold(name_prefix: str) -> dict:
    (path,) = [p for p in GOLD.glob(f"{name_prefix}*.json")]
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus():
    return corpus_text


def mentions_of(kind: str, text: str, **kw) -> list:
    """(text, start, end, value dict) of the `kind` mentions `extract` finds (no linkers)."""
    from policy_extract import extract

    doc = extract(text, linkers=[], **kw)
    return [(m.text, m.start, m.end, m.value.model_dump()) for m in doc.mentions
            if m.type == kind]
