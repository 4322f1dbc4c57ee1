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
