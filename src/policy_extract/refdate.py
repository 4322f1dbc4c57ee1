"""Reference dates: the date a document (or each report of a compilation) speaks from.

Relative times (今年, 年底前, 4月底前) resolve against it. Given explicitly it wins;
otherwise it is read from the document's own date line or header.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

import regex

from .models import Part

_DATE_LINE = regex.compile(r"(?<!\d)((?:19|20)\d{2})[-年./](\d{1,2})[-月./](\d{1,2})日?")


def _valid(y: int, m: int, d: int) -> Optional[dt.date]:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def infer_reference(ctx):
    """(reference date, source, parts, [(norm_start, norm_end, date)])."""
    if ctx.given_reference_date is not None:
        return ctx.given_reference_date, "given", [], []
    for m in _DATE_LINE.finditer(ctx.text):
        d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d is not None:
            return d, "document", [], []
    return None, "none", [], []
