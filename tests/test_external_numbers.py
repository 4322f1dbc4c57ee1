"""Outside check of numeral parsing: Microsoft Recognizers-Text Chinese number and percent
specs (corpora/external/recognizers_zh_numbers.jsonl, see its README). Each row is a
one-line document; it must give exactly one mention of the row's kind with the row's
value (amount in yuan; quantity as unit %)."""
import json

from conftest import CORPORA

from policy_extract import extract

ROWS = [json.loads(line) for line in
        (CORPORA / "external" / "recognizers_zh_numbers.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()]


def _close(a, b):
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def _row_ok(row) -> bool:
    doc = extract(row["input"], extractors=["amount", "quantity"], linkers=[])
    ms = [m for m in doc.mentions if m.type == row["kind"]]
    if len(ms) != 1:
        return False
    v = ms[0].value
    if row["kind"] == "quantity" and v.unit != "%":
        return False
    return _close(v.min, row["min"]) and _close(v.max, row["max"])


def test_recognizers_rows_pass_rate():
    failed = [r["input"] for r in ROWS if not _row_ok(r)]
    rate = 1 - len(failed) / len(ROWS)
    print(f"recognizers_zh_numbers: {len(ROWS) - len(failed)}/{len(ROWS)} = {rate:.4f}; "
          f"failing: {failed}")
    assert len(ROWS) > 150
    assert rate >= 0.95, failed


def test_recognizers_hard_rows_individually():
    # stacked section units, abbreviated last place, mixed Arabic/Chinese, fractions
    wanted = {"4.78万亿元", "两千四百五元", "10万万元", "5亿1万4千6百元", "一百零几万元",
              "百万万分之七", "三成半", "拾亿零六万零五百零六元", "1,050,000,000元", ".5元",
              "-22.2%", "负3.9%"}
    rows = [r for r in ROWS if r["input"] in wanted]
    assert len(rows) == len(wanted)
    for r in rows:
        assert _row_ok(r), r
