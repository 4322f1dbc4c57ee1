"""Data files load the same whichever YAML parser PyYAML offers (libyaml's is used for
speed where present)."""
from pathlib import Path

import pytest
import yaml

from policy_extract import resources

DATA = Path(resources.data_path("org")).parent


def test_every_yaml_file_parses_the_same_with_both_loaders():
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml: only the Python loader exists")
    files = sorted(DATA.rglob("*.yaml"))
    assert len(files) > 10
    for p in files:
        text = p.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.safe_load(text), p.name


def test_load_yaml_reads_the_data():
    suffixes = resources.load_yaml("org/suffixes.yaml")
    assert "领导小组" in suffixes["named"] and resources.load_yaml("org/suffixes.yaml") is suffixes
