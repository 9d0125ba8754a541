"""`./courtbot audit verify|export`: check the hash chain of the ticket audit trail, export it."""

from __future__ import annotations

import argparse
import contextlib
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = sub.add_parser("audit", help="ticket audit trail: verify the hash chain, export")
    actions = audit.add_subparsers(dest="audit_command", required=True)
    actions.add_parser("verify", help="exit 1 if any recorded history was edited").set_defaults(func=cmd_verify)
    export = actions.add_parser("export", help="write every event as JSONL or CSV")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--output", "-o", help="file (default: stdout)")
    export.set_defaults(func=cmd_export)


def cmd_verify(_args: argparse.Namespace) -> None:
    from core.db import get_session_factory
    from tickets.audit import verify_chain

    with get_session_factory()() as session:
        tickets, events, problems = verify_chain(session)
    for p in problems[:50]:
        print(f"!! {p.ticket} #{p.seq if p.seq is not None else '-'}: {p.problem}")
    if problems:
        sys.exit(f"==> audit trail BROKEN: {len(problems)} problem(s) in {tickets} tickets / {events} events")
    print(f"==> audit trail intact: {tickets} tickets, {events} events")


def cmd_export(args: argparse.Namespace) -> None:
    from core.db import get_session_factory
    from tickets.audit import export_chunks

    with contextlib.ExitStack() as stack:
        out = (
            stack.enter_context(open(args.output, "w", encoding="utf-8", newline=""))
            if args.output else sys.stdout
        )
        with get_session_factory()() as session:
            for chunk in export_chunks(session, args.format):
                out.write(chunk)
