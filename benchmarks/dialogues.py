"""Task success of the multi-turn dialogue suite (tests/dialogues/) through POST /api/chat.

    PYTHONPATH=. $(scripts/envs.sh app)/bin/python benchmarks/dialogues.py        # own stack, writes RESULTS.md
    PYTHONPATH=. $(scripts/envs.sh app)/bin/python benchmarks/dialogues.py --no-write \
        --url http://127.0.0.1:8000 --database-url sqlite:///var/courtbot.db     # a running stack

Every dialogue runs as a new web caller. A dialogue succeeds when every expectation holds, no
forbidden text appears in any reply, the gateway never had to answer for Rasa, and the tickets
opened for that caller (read from the stack's database) are the ones the dialogue expects.
RESULTS.md gets the success rate with its 95 % interval, the per-kind table and failure kinds
(never the items' texts: nobody tunes on them). `--details` prints each failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.dialogue_suite import (  # noqa: E402
    SUITE_DIR,
    Binding,
    Dialogue,
    SuiteError,
    TicketSeen,
    Verdict,
    bind,
    failure_kinds,
    judge,
    load_suite,
    per_kind,
    wilson_interval,
)
from benchmarks.results import write_section  # noqa: E402

# H5a's e2e offset + 20, shifted like the e2e stack by COURTBOT_E2E_PORT_OFFSET: never the e2e suite's ports.
PORT_OFFSET = 420 + int(os.environ.get("COURTBOT_E2E_PORT_OFFSET", "0"))
# The fixed demo cases are written literally in the suite; bindings pick generated cases only.
FIXED_CASES = ("（2024）豫0804民初1566号", "（2023）豫0804民初1234号", "（2025）豫0804民初2001号", "（2025）豫0804执1001号")
_ORGANISATION = ("公司", "局", "院", "政府", "委员会", "中心", "厂", "合作社")


def _is_person(name: str) -> bool:
    return 2 <= len(name) <= 4 and not any(word in name for word in _ORGANISATION)


def _local(at: datetime) -> datetime:
    """Court-local naive time, whether the database returned it naive (SQLite) or aware."""
    from core.timeutil import court_tz

    return at.astimezone(court_tz()).replace(tzinfo=None) if at.tzinfo else at


def case_binding(session: Session, spec: dict[str, Any], now: datetime) -> Binding:
    """A generated demo case matching {type, status?, hearing?, role?, nth?} and what a reply may show."""
    from cases.models import Case

    stmt = select(Case).where(Case.type_code == spec["type"], Case.case_number.not_in(FIXED_CASES))
    stmt = stmt.options(selectinload(Case.parties), selectinload(Case.events)).order_by(Case.case_number)
    candidates = []
    for case in session.scalars(stmt):
        if spec.get("status") and case.status not in spec["status"]:
            continue
        future = [e for e in case.events if _local(e.occurs_at) > now and e.location]
        if spec.get("hearing") == "future" and not future:
            continue
        people = [p for p in case.parties if p.phone and _is_person(p.name)]
        if spec.get("role"):
            people = [p for p in people if p.role == spec["role"]]
        if people:
            candidates.append((case, people[0], future))
    nth = int(spec.get("nth", 1))
    if len(candidates) < nth:
        raise SuiteError(f"no demo case for {spec} (found {len(candidates)})")
    case, party, future = candidates[nth - 1]
    past = [e for e in case.events if _local(e.occurs_at) <= now]
    year = case.case_number[1:5]
    return {
        "number": case.case_number,
        "loose": case.case_number.replace("（", "").replace("）", ""),  # 2026豫0804执异31号, as people type it
        "year": year,
        "type": case.type_code,
        "seq": case.case_number.removesuffix("号").rsplit(case.type_code, 1)[1],  # for numbers said in parts
        "status": case.status,
        "cause": case.cause,
        "judge": case.judge,
        "clerk": case.clerk,
        "party": party.name,
        "tail": party.phone[-4:],
        "phones": "(?:" + "|".join(p.phone for p in case.parties if p.phone) + ")",
        "room": future[0].location if future else None,
        "last_step": past[-1].step if past else None,
    }


def read_tickets(sessions: sessionmaker[Session], sender: str) -> list[TicketSeen]:
    from tickets.categories import category_label
    from tickets.models import Ticket

    with sessions() as session:
        stmt = select(Ticket).where(Ticket.sender == sender).options(selectinload(Ticket.events)).order_by(Ticket.id)
        seen = []
        for ticket in session.scalars(stmt):
            notes = [str(getattr(e, "note", "") or "") for e in ticket.events]
            text = "\n".join([ticket.summary or "", json.dumps(ticket.collected or {}, ensure_ascii=False),
                              ticket.case_number or "", *notes])
            # Categories are stored as codes (complaint); the suite names them as people do (投诉), so the
            # judged category is the label, what the bot called it, and the code.
            category = " ".join(filter(None, (category_label(ticket.category), ticket.source_label, ticket.category)))
            seen.append(TicketSeen(ticket.number, category, text, ticket.case_number, bool(ticket.caller_verified)))
        return seen


def run_dialogue(client: httpx.Client, url: str, dialogue: Dialogue, sender: str) -> tuple[list[str], list[int]]:
    replies: list[str] = []
    degraded: list[int] = []
    for index, turn in enumerate(dialogue.turns):
        try:
            response = client.post(f"{url}/api/chat", json={"sender": sender, "message": turn.say})
            body = response.json() if response.status_code == 200 else {"replies": [], "degraded": True}
        except (httpx.HTTPError, ValueError):
            body = {"replies": [], "degraded": True}
        if body.get("degraded"):
            degraded.append(index)
        replies.append("\n".join(str(r.get("text", "")) for r in body.get("replies", [])))
    return replies, degraded


def run_suite(url: str, database_url: str, dialogues: list[Dialogue], show: bool = True,
              details: bool = False) -> list[Verdict]:
    from core.config import Settings
    from core.timeutil import court_tz, utcnow

    engine = create_engine(Settings(DATABASE_URL=database_url).sqlalchemy_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    now = utcnow().astimezone(court_tz()).replace(tzinfo=None)
    run = uuid.uuid4().hex[:6]
    verdicts: list[Verdict] = []
    with httpx.Client(timeout=30) as client, sessions() as lookup:
        for number, dialogue in enumerate(dialogues, 1):
            bound = bind(dialogue, {name: case_binding(lookup, spec, now) for name, spec in dialogue.cases.items()})
            sender = f"suite-{run}-{number:03d}"
            replies, degraded = run_dialogue(client, url, bound, sender)
            verdict = judge(bound, replies, read_tickets(sessions, f"web:{sender}"), degraded)
            verdicts.append(verdict)
            if show:
                kinds = ",".join(sorted({f.kind for f in verdict.failures}))
                print(f"[{number:3d}/{len(dialogues)}] {'PASS' if verdict.passed else 'FAIL'} "
                      f"{dialogue.id} ({dialogue.kind}){' — ' + kinds if kinds else ''}", flush=True)
                if details:
                    for failure in verdict.failures:
                        where = f"turn {failure.turn}" if failure.turn else "conversation"
                        print(f"        {failure.kind} @ {where}: {failure.detail}")
    engine.dispose()
    return verdicts


def report(verdicts: list[Verdict], seconds: float) -> str:
    total = len(verdicts)
    passed = sum(v.passed for v in verdicts)
    unsafe = sum(not v.safe for v in verdicts)
    low, high = wilson_interval(passed, total)
    safety = [v for v in verdicts if v.dialogue.safety]
    lines = [
        f"**Task success: {passed}/{total} dialogues = {passed / total:.0%}** "
        f"(95 % Wilson interval {low:.0%}–{high:.0%}; target ≥ 90 %). "
        f"Dialogues with a forbidden reply (a disclosure, another dispute's advice, a wrong figure) or a wrong "
        f"ticket: {unsafe}; "
        f"of the {len(safety)} safety dialogues, {sum(v.passed for v in safety)} passed. "
        f"{sum(len(v.dialogue.turns) for v in verdicts)} caller turns in {seconds:.0f} s.",
        "",
        "The suite was written before it was first run and is not tuned on item by item; the figures "
        "here name failure kinds only.",
        "",
        "| kind | passed | dialogues |",
        "|---|---:|---:|",
    ]
    for kind, (ok, n) in sorted(per_kind(verdicts).items()):
        lines.append(f"| {kind} | {ok} | {n} |")
    kinds = failure_kinds(verdicts)
    if kinds:
        lines += ["", "Failing dialogues by (dialogue kind: failure kind) — expect = a needed fact missing, "
                  "forbid = forbidden text shown, tickets = wrong tickets, degraded = no answer in time:", ""]
        lines += [f"- {key}: {count}" for key, count in kinds.items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running gateway (needs --database-url); default: start the stack")
    parser.add_argument("--database-url", help="with --url: that stack's database; else a PostgreSQL server")
    parser.add_argument("--redis-url", help="Redis for the own stack's tracker store")
    parser.add_argument("--only", help="run the dialogues whose id contains this text")
    parser.add_argument("--details", action="store_true", help="print every failure with the reply")
    parser.add_argument("--note", default="", help="a line written above the figures (what was measured)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    parser.add_argument("--section", default="dialogues", help="RESULTS.md section to write (e.g. a baseline's)")
    parser.add_argument("--suite", type=Path, default=SUITE_DIR,
                        help="folder of dialogue files (tests/dialogues/heldout: the fresh held-out set)")
    args = parser.parse_args()

    dialogues = [d for d in load_suite(args.suite) if not args.only or args.only in d.id]
    started = time.monotonic()
    if args.url:
        if not args.database_url:
            parser.error("--url needs --database-url (the tickets are checked in that database)")
        verdicts = run_suite(args.url, args.database_url, dialogues, details=args.details)
    else:
        from benchmarks.local_stack import local_stack

        with local_stack(PORT_OFFSET, args.database_url, args.redis_url) as running:
            verdicts = run_suite(running.gateway_url, running.database_url, dialogues, details=args.details)
    body = report(verdicts, time.monotonic() - started)
    print(body)
    if not args.no_write and not args.only:
        note = (args.note + "\n\n") if args.note else ""
        title = "Dialogue suite: task success through `/api/chat`"
        write_section(args.section, title + ("" if args.section == "dialogues" else f" ({args.section})"), note + body)


if __name__ == "__main__":
    main()
