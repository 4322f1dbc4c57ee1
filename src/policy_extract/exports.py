"""Tracking tables (台账): tasks or subsidy standards of one or more documents as CSV/XLSX.

CSV is written in UTF-8 with a BOM so that Excel opens it in the right encoding. Any
cell that a spreadsheet would run as a formula (it begins with = + - @, a tab or a
carriage return) is written with a leading apostrophe, and XLSX cells are stored as
string data, so that text from a document can never execute.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable

from .errors import PolicyExtractError
from .models import AmountValue, Document

TASK_HEADERS = ("序号", "任务", "具体目标", "完成时限", "牵头单位", "责任单位", "来源文件", "位置")
SUBSIDY_HEADERS = ("对象", "金额", "方式", "上限", "条件", "来源文件", "位置")
MODE_NAMES = {"one_time": "一次性", "per_year": "每年", "per_month": "每月", "per_item": "按件(人)计"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH = 60


def safe_cell(value) -> str:
    """The text of a cell, defused when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unique(texts: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for t in texts:
        if t and t not in seen:
            seen.add(t)
            out.append(t)
    return out


def _money(v: AmountValue | None) -> str:
    if v is None or v.max is None:
        return ""
    x = v.max
    if x >= 1e8 and x % 1e6 == 0:
        return f"{x / 1e8:g}亿元"
    if x >= 1e4:
        return f"{x / 1e4:g}万元"
    return f"{x:g}元"


def _deadline_value(value) -> str:
    """The resolved date of a deadline's time value (or None), as the table shows it."""
    kind = getattr(value, "kind", None)
    if kind in ("before", "date") and value.end:
        return value.end
    if kind == "after" and value.start:
        return value.start + "起"
    return ""


def _location(line: int, section: str | None) -> str:
    return f"第{line}行" + (f" {section}" if section else "")


def task_rows(docs: list[tuple[str, Document]]) -> list[list]:
    rows, n = [], 0
    for name, doc in docs:
        # time values by start, looked up once per document (mentions never overlap)
        times = {m.start: m.value for m in doc.mentions
                 if m.type == "time" and m.value is not None}
        for t in doc.tasks:
            n += 1
            limits = []
            for ms in t.milestones:
                if ms.deadline is None:
                    continue
                resolved = _deadline_value(times.get(ms.deadline.start))
                when = f"{ms.deadline.text}({resolved})" if resolved else ms.deadline.text
                limits.append(f"{when}:{ms.action}" if ms.action else when)
            rows.append([
                n, f"{t.id} {t.title}".strip(),
                "\n".join(_unique(g.text for g in t.goals)) or "、".join(_unique(x.text for x in t.targets)),
                "\n".join(limits),
                "、".join(_unique(x.text for x in t.lead_units)),
                "、".join(_unique(x.text for x in t.units)),
                Path(name).name, _location(t.line, t.section)])
    return rows


def subsidy_rows(docs: list[tuple[str, Document]]) -> list[list[str]]:
    rows = []
    for name, doc in docs:
        for s in doc.subsidies:
            rows.append([
                s.recipient_name or (s.recipient.text if s.recipient else ""), s.amount.text,
                MODE_NAMES.get(s.mode or "", ""), _money(s.cap), s.conditions or "",
                Path(name).name, _location(s.line, s.section)])
    return rows


def _display_width(text: str) -> int:
    longest = max((len(line) + sum(1 for c in line if ord(c) > 0x2E80)
                   for line in text.split("\n")), default=0)
    return longest


def _write_xlsx(headers, rows, path: Path) -> None:
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise PolicyExtractError("writing .xlsx needs openpyxl (pip install openpyxl); "
                                 "or write .csv") from None
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(list(headers))
    for c in ws[1]:
        c.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col)
            if isinstance(value, int):
                cell.value = value  # 序号 stays a number
            else:
                cell.value = safe_cell(value)
                cell.data_type = "s"  # text, never a formula
            cell.alignment = wrap
    for col, header in enumerate(headers, start=1):
        width = max([_display_width(header)] + [_display_width(str(row[col - 1])) for row in rows])
        ws.column_dimensions[get_column_letter(col)].width = max(6, min(_MAX_WIDTH, width + 2))
    ws.freeze_panes = "A2"
    wb.save(path)


def _write_csv(headers, rows, path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        for row in rows:
            w.writerow([safe_cell(v) for v in row])


def write_table(docs: list[tuple[str, Document]], kind: str, path: Path) -> int:
    """Write the tracking table (kind "tasks") or the subsidy table; returns the row count."""
    if kind == "tasks":
        headers, rows = TASK_HEADERS, task_rows(docs)
    elif kind == "subsidies":
        headers, rows = SUBSIDY_HEADERS, subsidy_rows(docs)
    else:
        raise PolicyExtractError(f"unknown table kind {kind!r}: tasks or subsidies")
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _write_xlsx(headers, rows, path)
    elif suffix == ".csv":
        _write_csv(headers, rows, path)
    else:
        raise PolicyExtractError(f"{path}: the table is written as .csv or .xlsx")
    return len(rows)
