"""Command line: policy-extract extract | schema | eval | table | batch.

Errors are one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Optional

from .errors import PolicyExtractError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policy-extract",
                                description="Extract structured data from Chinese policy documents.")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract one JSON per document")
    ex.add_argument("files", nargs="+", help="documents; - reads standard input")
    ex.add_argument("-o", "--output", help="output file, or a directory for one JSON per document")
    ex.add_argument("--ref-date", type=_date, help="reference date YYYY-MM-DD (default: inferred)")
    ex.add_argument("--pretty", action="store_true", help="indent the JSON")
    ex.add_argument("--max-bytes", type=int, default=None, help="largest input file accepted")

    sub.add_parser("schema", help="print the JSON schema of the output")

    ev = sub.add_parser("eval", help="score against gold files")
    ev.add_argument("gold_dir")
    ev.add_argument("--corpus", help="folder of the documents (default: found above the gold)")
    ev.add_argument("--pred", help="folder of predictions <doc>.json (default: extract now)")
    ev.add_argument("--json", action="store_true", help="print the rows as JSON")

    tb = sub.add_parser("table", help="tracking table (tasks) or subsidy table as CSV/XLSX")
    tb.add_argument("files", nargs="+")
    tb.add_argument("--kind", choices=("tasks", "subsidies"), required=True)
    tb.add_argument("-o", "--output", required=True, help="OUT.csv or OUT.xlsx")
    tb.add_argument("--ref-date", type=_date)

    bt = sub.add_parser("batch", help="many documents to one JSONL file, in parallel")
    bt.add_argument("inputs", nargs="+", help="files, folders (recursive) or globs")
    bt.add_argument("-o", "--output", required=True, help="OUT.jsonl")
    bt.add_argument("--workers", type=int, default=None, help="processes (default: CPU count)")
    bt.add_argument("--ref-date", type=_date)
    bt.add_argument("--resume", action="store_true", help="skip documents already in OUT")
    bt.add_argument("--max-bytes", type=int, default=None)
    return p


def read_document(name: str, max_bytes: Optional[int] = None):
    """Text of a file (or stdin for '-'), through the readers."""
    from .readers import DEFAULT_MAX_BYTES, read

    kwargs = {} if max_bytes is None else {"max_bytes": max_bytes}
    if name == "-":
        # Read one byte past the limit, so an endless stdin is refused, not swallowed.
        limit = max_bytes if max_bytes is not None else DEFAULT_MAX_BYTES
        return read(sys.stdin.buffer.read(limit + 1), **kwargs)
    return read(name, **kwargs)


def source_record(result) -> dict:
    """What the normalization report says about where the text came from."""
    record = {"reader": result.reader, "encoding": result.encoding,
              "warnings": list(result.warnings)}
    if result.encoding_confidence is not None:
        record["encoding_confidence"] = round(result.encoding_confidence, 3)
    if result.source_map:  # HTML/DOCX/PDF: each paragraph's place in the source
        record["source_map"] = [list(entry) for entry in result.source_map]
    return record


def extract_read(result, doc: str, ref_date: Optional[dt.date]):
    """Extract a document the readers produced; the Document records which reader."""
    from . import extract

    document = extract(result.text, reference_date=ref_date, doc=doc)
    if document.normalization is not None:
        document.normalization.source = source_record(result)
    return document


def extract_file(name: str, ref_date: Optional[dt.date], max_bytes: Optional[int] = None):
    """Read and extract one document, named by its file name."""
    return extract_read(read_document(name, max_bytes),
                        "-" if name == "-" else Path(name).name, ref_date)


def _extract_each(names, ref_date: Optional[dt.date], max_bytes: Optional[int] = None):
    """(name, Document) per readable document, in order; a document that cannot be read
    is reported on stderr and yields (name, None)."""
    for name in names:
        try:
            yield name, extract_file(name, ref_date, max_bytes)
        except PolicyExtractError as exc:
            print(f"policy-extract: {name}: {exc.message}", file=sys.stderr)
            yield name, None


def _dump(doc, pretty: bool) -> str:
    return doc.model_dump_json(indent=1 if pretty else None, exclude_none=True)


def cmd_extract(args) -> int:
    out = Path(args.output) if args.output else None
    to_dir = out is not None and (out.is_dir() or (len(args.files) > 1 and not out.suffix))
    if to_dir:
        out.mkdir(parents=True, exist_ok=True)
    failed = 0
    chunks = []
    for _, doc in _extract_each(args.files, args.ref_date, args.max_bytes):
        if doc is None:
            failed += 1
            continue
        text = _dump(doc, args.pretty)
        if to_dir:
            (out / f"{doc.doc if doc.doc != '-' else 'stdin'}.json").write_text(text + "\n", encoding="utf-8")
        else:
            chunks.append(text)
    if not to_dir:
        payload = "\n".join(chunks) + ("\n" if chunks else "")
        if out:
            out.write_text(payload, encoding="utf-8")
        else:
            sys.stdout.write(payload)
    return 1 if failed else 0


def cmd_schema(args) -> int:
    from .schema import schema_json

    sys.stdout.write(schema_json())
    return 0


def cmd_eval(args) -> int:
    from .evaluate import evaluate, format_table

    gold_dir = Path(args.gold_dir)
    if not gold_dir.is_dir():
        raise PolicyExtractError(f"{gold_dir}: not a folder of gold files")
    if args.pred:
        pred_dir = Path(args.pred)

        def predict(text, gold):
            path = pred_dir / f"{gold['doc']}.json"
            return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    else:
        from . import extract

        def predict(text, gold):
            doc = extract(text, reference_date=gold.get("reference_date"), doc=gold["doc"])
            return json.loads(doc.model_dump_json(exclude_none=True))
    rows = evaluate(gold_dir, Path(args.corpus) if args.corpus else None, predict)
    print(json.dumps(rows, ensure_ascii=False, indent=1) if args.json else format_table(rows))
    return 0


def cmd_table(args) -> int:
    from .exports import write_table

    extracted = list(_extract_each(args.files, args.ref_date))
    docs = [(name, doc) for name, doc in extracted if doc is not None]
    failed = len(extracted) - len(docs)
    n = write_table(docs, args.kind, Path(args.output))
    print(f"{args.output}: {n} rows from {len(docs)} document(s)", file=sys.stderr)
    return 1 if failed else 0


def cmd_batch(args) -> int:
    from .batch import run_batch

    return run_batch(args)


def main(argv: Optional[list[str]] = None) -> int:
    args = _parser().parse_args(argv)
    handler = {"extract": cmd_extract, "schema": cmd_schema, "eval": cmd_eval,
               "table": cmd_table, "batch": cmd_batch}[args.command]
    try:
        return handler(args)
    except PolicyExtractError as exc:
        print(f"policy-extract: {exc.message}", file=sys.stderr)
        return 2
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"policy-extract: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("policy-extract: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
