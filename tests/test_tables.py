"""Tracking tables (台账): tasks of 002 and subsidies of 000 through the CLI, CSV and XLSX."""
import csv
import subprocess
import sys

import pytest

from conftest import CORPORA, corpus_text
from policy_extract import extract
from policy_extract.exports import SUBSIDY_HEADERS, TASK_HEADERS, safe_cell, task_rows

CLI = [sys.executable, "-m", "policy_extract.cli"]
DOC002 = CORPORA / "002_96fd86fa36c02b4e.txt"
DOC000 = CORPORA / "000_a2c246cf8337a3f8.txt"


def table(tmp_path, kind, out, *docs, ref=None):
    args = [*CLI, "table", *map(str, docs), "--kind", kind, "-o", str(tmp_path / out)]
    if ref:
        args += ["--ref-date", ref]
    r = subprocess.run(args, capture_output=True)
    assert r.returncode == 0, r.stderr
    return tmp_path / out


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_tracking_table_002_task_12_has_three_milestones(tmp_path):
    rows = read_csv(table(tmp_path, "tasks", "t.csv", DOC002, ref="2020-03-25"))
    assert tuple(rows[0]) == TASK_HEADERS
    by_task = {r[1].split(" ", 1)[0]: r for r in rows[1:]}
    assert [r[0] for r in rows[1:4]] == ["1", "2", "3"]  # running 序号
    row = by_task["12"]
    assert row[1] == "12 深化資源環境領域改革"
    limits = row[3].split("\n")
    assert [x.split(":", 1)[0] for x in limits] == [
        "4月底前(2020-04-30)", "10月底前(2020-10-31)", "年底前(2020-12-31)"]
    assert limits[0].endswith("出臺我市深化工業企業評價改革的意見")
    assert limits[1].endswith("完成分類分檔")
    assert row[6] == DOC002.name and row[7].startswith("第7行")
    # task 45: "由1名市委、市政府領導同志牽頭,市人大常委會、市政協領導班子成員參與"
    r45 = by_task["45"]
    assert r45[4] == "市委、市政府"
    assert "市人大常委會" in r45[5].split("、") and "市政協" in r45[5].split("、")
    # a goal is the clause that states it
    assert "年底前公共聯網視頻達到30萬路" in by_task["41"][2].split("\n")


def test_tracking_rows_match_the_document():
    text = corpus_text("002")
    doc = extract(text, reference_date="2020-03-25", doc=DOC002.name)
    t12 = next(t for t in doc.tasks if t.id == "12")
    got = [(m.deadline.text, m.deadline.start, m.action) for m in t12.milestones]
    assert [g[0] for g in got] == ["4月底前", "10月底前", "年底前"]
    for dl, start, action in got:
        assert text[start:start + len(dl)] == dl
    rows = task_rows([(DOC002.name, doc)])
    assert len(rows) == len(doc.tasks) == 43


def test_subsidy_table_000_rows_against_text(tmp_path):
    text = corpus_text("000")
    rows = read_csv(table(tmp_path, "subsidies", "s.csv", DOC000))
    assert tuple(rows[0]) == SUBSIDY_HEADERS
    body = rows[1:]
    assert [(r[0], r[1], r[2], r[3]) for r in body] == [
        ("国家级重点实验室、工程技术研究中心(含示范类)、工程实验室(研究中心)、企业技术中心等创新平台",
         "200万元", "一次性", ""),
        ("省级重点实验室、工程技术研究中心(含示范类)、工程实验室(研究中心)、企业技术中心等创新平台",
         "50万元", "一次性", ""),
        ("院士工作站、千人计划工作站、博士后科研工作站、博士后创新实践基地、科技孵化器科研创新平台",
         "30万元", "一次性", "30万元"),
        ("国家级技能大师工作室", "20万元", "一次性", ""),
        ("齐鲁技能大师特色工作站", "15万元", "一次性", ""),
        ("山东省技师工作站", "10万元", "一次性", ""),
    ]
    lines = text.split("\n")
    for r in body:
        line_no = int(r[6][1:r[6].index("行")])
        line = lines[line_no - 1]
        assert r[1] in line  # the amount stands on the line the table points to
        # each recipient's distinct words are on that line (distributive ones are composed)
        assert r[0].replace("国家级", "").replace("省级", "")[:8] in line
    assert body[0][4] == "符合资助条件"
    assert body[0][6].startswith("第63行") and body[3][6].startswith("第109行")


def test_xlsx_headers_row_and_formula_text(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    src = tmp_path / "f.txt"
    src.write_text("第三条 补助标准：\n（一）=2+3工作室，一次性补助20万元；\n"
                   "（二）@技师工作站，每年补助5万元。\n", encoding="utf-8")
    out = table(tmp_path, "subsidies", "s.xlsx", DOC000, src)
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert [c.value for c in ws[1]] == list(SUBSIDY_HEADERS)
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[5]][:3] == ["国家级技能大师工作室", "20万元", "一次性"]
    # the tracking table keeps 序号 a number
    tasks = openpyxl.load_workbook(table(tmp_path, "tasks", "t.xlsx", DOC002, ref="2020-03-25")).active
    assert [c.value for c in tasks[1]] == list(TASK_HEADERS)
    assert tasks.cell(row=2, column=1).value == 1 and tasks.cell(row=2, column=1).data_type == "n"
    assert tasks.cell(row=5, column=2).value == "12 深化資源環境領域改革"
    formula = ws.cell(row=8, column=1)
    assert formula.value == "'=2+3工作室" and formula.data_type == "s"
    assert ws.cell(row=9, column=1).value == "'@技师工作站"
    assert ws.cell(row=9, column=3).value == "每年"
    assert ws.column_dimensions["A"].width >= 20  # long recipients get a wide column


def test_safe_cell_defuses_formula_starts():
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(bad) == "'" + bad
    assert safe_cell("12 深化改革") == "12 深化改革"
    assert safe_cell(None) == ""


def test_unknown_extension_is_a_clear_error(tmp_path):
    r = subprocess.run([*CLI, "table", str(DOC000), "--kind", "tasks", "-o",
                        str(tmp_path / "x.txt")], capture_output=True)
    assert r.returncode != 0
    assert b".csv or .xlsx" in r.stderr
