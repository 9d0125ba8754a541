"""Bulk import/export files: JSONL (one record per line) and CSV (list fields joined with |)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from knowledge.schema import LIST_FIELDS, SPECS, RowParseError


def columns(kind: str) -> list[str]:
    return ["id", *SPECS[kind].fields, "tags", "dispute_type"]


def parse(text: str, fmt: str) -> list[Any]:
    """Rows of a JSONL or CSV file (a row that cannot be parsed becomes a RowParseError)."""
    if fmt == "jsonl":
        rows: list[Any] = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                rows.append(RowParseError(f"不是合法的 JSON（第{exc.colno}列附近）"))
        return rows
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        return [{k: v for k, v in row.items() if k is not None and v not in (None, "")} if None not in row else RowParseError("列数多于表头") for row in reader]
    raise ValueError(f"不支持的格式 {fmt!r}（jsonl 或 csv）")


def format_of(filename: str) -> str:
    return "csv" if filename.lower().endswith(".csv") else "jsonl"


def dump(kind: str, records: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(kind), extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({k: "|".join(v) if k in LIST_FIELDS else (v or "") for k, v in record.items()})
    return out.getvalue()
