"""policy_extract: Chinese government documents to structured, checkable data.

    >>> from policy_extract import extract
    >>> doc = extract("市财政局给予最高不超过30万元的一次性补助。", reference_date="2020-03-25")
    >>> [(m.type, m.text) for m in doc.mentions]

Every span's `start`/`end` index the text as given, whatever normalization did.
"""
from __future__ import annotations

import datetime as _dt
from typing import Iterable, Optional, Union

from .models import Document
from .readers import ReadResult, read

__all__ = ["extract", "read", "Document", "ReadResult", "__version__"]
__version__ = "0.1.0"


def _as_date(value) -> Optional[_dt.date]:
    if value is None or isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"reference_date must be YYYY-MM-DD, got {value!r}") from None


def extract(text: str, reference_date: Union[str, _dt.date, None] = None, *, doc: str = "-",
            extractors: Optional[Iterable[str]] = None,
            linkers: Optional[Iterable[str]] = None) -> Document:
    """Extract mentions, sections, tasks and subsidies from `text`.

    reference_date: the date the document speaks from (YYYY-MM-DD); inferred from the
    document when not given. extractors / linkers: names to run (default: all).
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() takes str, not {type(text).__name__}; "
                        "use policy_extract.read() for bytes and files")
    from . import pipeline

    return pipeline.run(
        text, _as_date(reference_date), doc,
        pipeline.DEFAULT_EXTRACTORS if extractors is None else tuple(extractors),
        pipeline.DEFAULT_LINKERS if linkers is None else tuple(linkers))
