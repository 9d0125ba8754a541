"""The demo knowledge: court FAQ, LeCoQA's questions and lawyer answers (MIT, see
seed/LICENSE-LeCoQA.txt), case summaries, the district's mediation organisations, filing checklists.

Written content lives in seed/*.tsv (one record a line, easy to review); LeCoQA is converted once into
seed/lecoqa_faq.jsonl. `./courtbot kb seed` imports all of it as published items (idempotent).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from knowledge.service import KnowledgeBase

SEED = Path(__file__).resolve().parent / "seed"
# Columns of each TSV file; list columns are split on |.
TSV_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "court_faq.tsv": ("faq", ("id", "dispute_type", "tags", "question", "paraphrases", "answer", "legal_basis")),
    "cases.tsv": ("case", ("dispute_type", "title", "facts", "reasoning", "outcome")),
    "mediation_orgs.tsv": ("mediation_org", ("id", "name", "dispute_types", "area", "contact", "hours", "description")),
    "checklists.tsv": ("checklist", ("id", "dispute_type", "case_type", "items", "notes")),
}
LIST_COLUMNS = {"tags", "paraphrases", "dispute_types", "items"}
CASE_SOURCE = "courtbot 编写的示例案例（据常见案型概括，非真实判决）"
DEMO_COURT = "焦作市马村区人民法院"


def read_tsv(name: str) -> list[dict[str, Any]]:
    kind, names = TSV_COLUMNS[name]
    records = []
    for n, line in enumerate((SEED / name).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        values = line.split("\t")
        if len(values) < len(names) - 1:
            raise ValueError(f"{name}:{n}: expected {len(names)} columns, got {len(values)}")
        record: dict[str, Any] = {}
        for column, value in zip(names, values + [""] * (len(names) - len(values)), strict=True):
            record[column] = [v for v in value.split("|") if v] if column in LIST_COLUMNS else value
        if kind == "case":
            record.update(id=f"case-{len(records) + 1:03d}", court=DEMO_COURT, source=CASE_SOURCE)
        records.append(record)
    return records


def seed_records() -> dict[str, list[dict[str, Any]]]:
    """Every seed record by kind (court FAQ first, then LeCoQA's)."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for name, (kind, _) in TSV_COLUMNS.items():
        by_kind.setdefault(kind, []).extend(read_tsv(name))
    lecoqa = (SEED / "lecoqa_faq.jsonl").read_text(encoding="utf-8").splitlines()
    by_kind["faq"].extend(json.loads(line) for line in lecoqa)
    return by_kind


def seed_knowledge(kb: KnowledgeBase) -> dict[str, int]:
    """Import the seed (unchanged items stay as they are); raises if any record is invalid."""
    counts = {}
    for kind, records in seed_records().items():
        report = kb.import_records(kind, records, by="seed")
        if not report.ok:
            raise ValueError(f"seed {kind}: {report.errors[:3]}")
        counts[kind] = report.created + report.updated + report.unchanged
    return counts
