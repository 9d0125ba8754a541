"""The hash-chained audit trail: each event's hash covers its content and the previous event's hash
(per ticket), and the ticket row keeps the newest hash, so editing, deleting or reordering recorded
history shows up in `verify_chain`."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.timeutil import as_utc
from tickets.models import Ticket, TicketEvent

GENESIS = ""


def _canonical_time(at: datetime) -> str:
    return as_utc(at).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(ticket_number: str, seq: int, step: str, action: str, actor: str, note: str,
               before: dict[str, Any], after: dict[str, Any], at: datetime, prev_hash: str) -> str:
    payload = json.dumps(
        [ticket_number, seq, step, action, actor, note, before, after, _canonical_time(at), prev_hash],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def hash_of(ticket_number: str, e: TicketEvent) -> str:
    return event_hash(ticket_number, e.seq, e.step, e.action, e.actor, e.note, e.before or {}, e.after or {},
                      e.at, e.prev_hash)


@dataclass
class ChainProblem:
    ticket: str
    seq: int | None
    problem: str


def verify_chain(session: Session, batch: int = 2000) -> tuple[int, int, list[ChainProblem]]:
    """(tickets checked, events checked, problems). Streams ticket by ticket so memory stays flat."""
    problems: list[ChainProblem] = []
    tickets = events = 0
    last_id = 0
    while True:
        rows = list(session.execute(
            select(Ticket.id, Ticket.number, Ticket.audit_head, Ticket.event_count)
            .where(Ticket.id > last_id).order_by(Ticket.id).limit(batch)
        ))
        if not rows:
            break
        last_id = rows[-1].id
        by_ticket: dict[int, list[TicketEvent]] = {r.id: [] for r in rows}
        for e in session.scalars(select(TicketEvent).where(TicketEvent.ticket_id.in_(by_ticket))
                                 .order_by(TicketEvent.ticket_id, TicketEvent.seq)):
            by_ticket[e.ticket_id].append(e)
        for row in rows:
            tickets += 1
            chain = by_ticket[row.id]
            events += len(chain)
            problems.extend(_check_ticket(row.number, row.audit_head, row.event_count, chain))
        session.expunge_all()
    return tickets, events, problems


def _check_ticket(number: str, head: str | None, count: int, chain: list[TicketEvent]) -> Iterator[ChainProblem]:
    prev = GENESIS
    for expected_seq, e in enumerate(chain, start=1):
        if e.seq != expected_seq:
            yield ChainProblem(number, e.seq, f"事件序号不连续（应为 {expected_seq}）：有事件被删除或插入")
        if e.prev_hash != prev:
            yield ChainProblem(number, e.seq, "与上一事件的哈希链接不符：历史被改动")
        if hash_of(number, e) != e.hash:
            yield ChainProblem(number, e.seq, "事件内容与其哈希不符：事件被修改")
        prev = e.hash
    if len(chain) != count or (head or GENESIS) != prev:
        yield ChainProblem(number, None, f"工单记录的事件数/最新哈希与事件表不符（{count} 条 vs {len(chain)} 条）")


EXPORT_FIELDS = ("ticket", "seq", "at", "step", "action", "actor", "note", "before", "after", "prev_hash", "hash")


def export_rows(session: Session, ticket: str | None = None) -> Iterator[dict[str, Any]]:
    """Every event (or one ticket's), in chain order, streamed."""
    stmt = (select(Ticket.number, TicketEvent).join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .order_by(TicketEvent.ticket_id, TicketEvent.seq).execution_options(yield_per=1000))
    if ticket:
        stmt = stmt.where(Ticket.number == ticket)
    for number, e in session.execute(stmt):
        yield {"ticket": number, "seq": e.seq, "at": _canonical_time(e.at), "step": e.step, "action": e.action,
               "actor": e.actor, "note": e.note, "before": e.before or {}, "after": e.after or {},
               "prev_hash": e.prev_hash, "hash": e.hash}


def to_jsonl(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"


def to_csv(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "before": json.dumps(row["before"], ensure_ascii=False),
                         "after": json.dumps(row["after"], ensure_ascii=False)})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def export_chunks(session: Session, fmt: str, ticket: str | None = None) -> Iterator[str]:
    """The trail (or one ticket's) as CSV or JSONL text, streamed: what the CLI and the console export."""
    rows = export_rows(session, ticket)
    return to_csv(rows) if fmt == "csv" else to_jsonl(rows)
