"""Loading of the package's data files (patterns and lexicons live in data/, not in code).

Each file is read once per process; workers in a batch pay the cost once.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it (the wheels are): the same documents,
# parsed ten times faster, which is a fifth of a process's start-up
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _path(name: str):
    return resources.files("policy_extract").joinpath("data", *name.split("/"))


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """Parsed YAML file `data/<name>`."""
    return yaml.load(_path(name).read_text(encoding="utf-8"), Loader=_LOADER)


@lru_cache(maxsize=None)
def load_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of `data/<name>` (a lexicon: one entry a line)."""
    out = []
    for line in _path(name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(out)


def data_path(name: str) -> str:
    """Filesystem path of a data file (for libraries that want a path, such as jieba)."""
    return str(_path(name))
