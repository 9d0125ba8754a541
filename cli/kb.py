"""`./courtbot kb …`: import, export, search, classify, seed, reindex and verify the knowledge base.

Every subcommand takes `--data-dir DIR` to work on a scratch store of its own (SQLite file and
indexes in DIR, created empty) instead of the configured database. With `--jsonl`, stdout carries
only JSON lines; progress and errors go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from knowledge.schema import KINDS


def open_store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import sessionmaker

    from cli.database import migrate
    from core.config import get_settings
    from core.db import get_session_factory, make_engine
    from knowledge.store import build_knowledge_base

    if args.data_dir:
        data_dir = Path(args.data_dir).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{data_dir / 'knowledge.db'}"
        migrate(url)
        sessions = sessionmaker(bind=make_engine(url), expire_on_commit=False)
        return build_knowledge_base(sessions, data_dir / "index", progress=True)
    migrate()
    return build_knowledge_base(get_session_factory(), get_settings().data_dir / "knowledge", progress=True)


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _stdin_lines() -> list[tuple[int, dict[str, Any] | None]]:
    rows: list[tuple[int, dict[str, Any] | None]] = []
    for n, line in enumerate(sys.stdin, start=1):
        if line.strip():
            try:
                obj = json.loads(line)
                rows.append((n, obj if isinstance(obj, dict) else None))
            except json.JSONDecodeError:
                rows.append((n, None))
    return rows


def cmd_import(args: argparse.Namespace) -> None:
    from knowledge.transfer import format_of, parse

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    rows = parse(text, args.format or format_of(args.file))
    kb = open_store(args)
    report = kb.import_records(args.kind, rows, by=args.by, status=args.status, reject_duplicates=args.reject_duplicates)
    for error in report.errors:
        print(f"第{error['row']}行（id {error['id'] or '?'}）：{'；'.join(error['problems'])}", file=sys.stderr)
    for warning in report.warnings:
        print(f"提示：第{warning['row']}行（id {warning['id']}）：{'；'.join(warning['problems'])}", file=sys.stderr)
    for dup in report.duplicates if report.ok else []:  # reported, imported anyway
        print(f"提示：第{dup['row']}行 {dup['id']} 与 {dup['similar_to']} 相似（{dup['similarity']:.2f}）", file=sys.stderr)
    if not report.ok:
        sys.exit(f"==> 导入失败：{len(report.errors)}行有问题，未导入任何内容")
    print(f"==> imported {args.kind}: {report.created} new, {report.updated} updated, {report.unchanged} unchanged", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> None:
    from knowledge.transfer import dump

    kb = open_store(args)
    text = dump(args.kind, kb.export_records(args.kind, args.status), args.format)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def cmd_search(args: argparse.Namespace) -> None:
    kb = open_store(args)
    statuses = ("published",) if not args.include_drafts else ("published", "draft", "unpublished")
    if not args.jsonl:
        for hit in kb.search(" ".join(args.query), args.kind, args.k, args.dispute_type, statuses, args.mode):
            print(f"{hit.score:.4f}  {hit.id}  {hit.title}")
        return
    rows = _stdin_lines()
    for line_no, row in rows:
        if row is None or not isinstance(row.get("query"), str):
            print(f"第{line_no}行：需要 {{\"id\", \"query\"}}（无法读取的行跳过，缺 query 的行答空结果）", file=sys.stderr)
    # A line with an id but no usable query still gets its (empty) answer line, so ids stay aligned.
    good = [row if isinstance(row.get("query"), str) else {**row, "query": ""} for _, row in rows if row is not None]
    kb.sync(args.kind)
    vectors = kb.embed_queries([row["query"] or " " for row in good]) if args.mode != "bm25" else [None] * len(good)
    for done, (row, vector) in enumerate(zip(good, vectors, strict=True), start=1):
        hits = kb.search(row["query"], args.kind, args.k, args.dispute_type, statuses, args.mode, query_vector=vector)
        _emit({"id": row.get("id"), "results": [h.given_id for h in hits]})
        if done % 100 == 0 or done == len(good):
            print(f"searched {done}/{len(good)}", file=sys.stderr, flush=True)


def cmd_classify(args: argparse.Namespace) -> None:
    from knowledge.classifier import dispute_classifier

    classifier = dispute_classifier()
    if not args.jsonl:
        result = classifier.classify(" ".join(args.text))
        print(f"{result.label}\t{result.confidence:.3f}")
        return
    rows = _stdin_lines()
    good = [(n, r) for n, r in rows if r is not None and isinstance(r.get("text"), str)]
    for n, r in rows:
        if r is None or not isinstance(r.get("text"), str):
            print(f"第{n}行：需要 {{\"id\", \"text\"}}", file=sys.stderr)
    for (_, row), result in zip(good, classifier.classify_many([r["text"] for _, r in good]), strict=True):
        _emit({"id": row.get("id"), "label": result.label})


def cmd_seed(args: argparse.Namespace) -> None:
    from knowledge.seed import seed_knowledge

    counts = seed_knowledge(open_store(args))
    print("==> knowledge seeded: " + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)


def seed_demo_knowledge() -> None:
    """`./courtbot run`: the demo knowledge, once (the first run embeds ~1,500 items: a few minutes)."""
    from core.config import get_settings
    from core.db import get_session_factory
    from knowledge.seed import seed_knowledge
    from knowledge.store import build_knowledge_base

    kb = build_knowledge_base(get_session_factory(), get_settings().data_dir / "knowledge", progress=True)
    if kb.count():
        print("==> demo knowledge already seeded", flush=True)
        return
    print("==> seeding the demo knowledge base (first run only: a few minutes of embedding) …", flush=True)
    counts = seed_knowledge(kb)
    print("==> knowledge seeded: " + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)


def cmd_reindex(args: argparse.Namespace) -> None:
    sizes = open_store(args).reindex()
    print("==> reindexed: " + ", ".join(f"{k} {v}" for k, v in sizes.items()), file=sys.stderr)


def cmd_verify(args: argparse.Namespace) -> None:
    report = open_store(args).verify()
    bad = False
    for kind, counts in report.items():
        problems = counts["missing"] + counts["stale"] + counts["orphaned"] + counts["unreadable"]
        bad = bad or problems > 0
        print(f"{kind}: {counts['items']} items, {counts['missing']} missing, {counts['stale']} stale, "
              f"{counts['orphaned']} orphaned{', index unreadable' if counts['unreadable'] else ''}")
    if bad:
        sys.exit("==> 索引与数据库不一致：运行 ./courtbot kb reindex 修复")
    print("==> index matches the database")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    kb = sub.add_parser("kb", help="knowledge base: import, export, search, classify, seed, reindex, verify")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)

    def command(name: str, func: Any, help_text: str) -> argparse.ArgumentParser:
        parser = kb_sub.add_parser(name, help=help_text)
        parser.add_argument("--data-dir", help="a scratch store of its own in DIR instead of the configured database")
        parser.set_defaults(func=func)
        return parser

    imp = command("import", cmd_import, "import a JSONL or CSV file (all rows or none)")
    imp.add_argument("--kind", required=True, choices=KINDS)
    imp.add_argument("file", help="FILE.jsonl, FILE.csv, or - for stdin")
    imp.add_argument("--format", choices=("jsonl", "csv"))
    imp.add_argument("--status", default="published", choices=("published", "draft"))
    imp.add_argument("--by", default="cli")
    imp.add_argument("--reject-duplicates", action="store_true", help="refuse the file if a row nearly duplicates another")

    exp = command("export", cmd_export, "export one kind as JSONL or CSV")
    exp.add_argument("--kind", required=True, choices=KINDS)
    exp.add_argument("--format", default="jsonl", choices=("jsonl", "csv"))
    exp.add_argument("--status", choices=("published", "draft", "unpublished"))
    exp.add_argument("--out")

    search = command("search", cmd_search, "search one kind (stdin JSONL {id, query} with --jsonl)")
    search.add_argument("--kind", required=True, choices=KINDS)
    search.add_argument("--k", type=int, default=10)
    search.add_argument("--jsonl", action="store_true")
    search.add_argument("--mode", default="hybrid", choices=("hybrid", "bm25", "dense"))
    search.add_argument("--dispute-type")
    search.add_argument("--include-drafts", action="store_true")
    search.add_argument("query", nargs="*")

    classify = command("classify", cmd_classify, "dispute type of a text (stdin JSONL {id, text} with --jsonl)")
    classify.add_argument("--jsonl", action="store_true")
    classify.add_argument("text", nargs="*")

    command("seed", cmd_seed, "load the demo knowledge (court FAQ, LeCoQA, cases, mediation orgs, checklists)")
    command("reindex", cmd_reindex, "rebuild every search index from the database")
    command("verify", cmd_verify, "check the persisted indexes against the database")
