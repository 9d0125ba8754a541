"""Personal data at rest through the real stack: a caller gives full phone and ID numbers in the forms
people use, is handed to a person, and nothing stored or logged can give the numbers back; purge then
clears the message log and Rasa's own tracker store."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import uuid
from contextlib import closing

from sqlalchemy import select

from cli.stack import Stack
from conversations.models import ChatMessage
from conversations.retention import REDIS_TRACKER_PREFIX, TRACKER_DB_NAME, purge
from core.timeutil import utcnow
from tests.e2e.conftest import Caller
from tests.personal_numbers import MESSAGES, leaks
from tickets.service import TicketService

TICKET = re.compile(r"12368-\d{8}-\d{4}")


def _talk(caller: Caller) -> str:
    """The numbers, a verified case query and a transfer; returns the ticket number."""
    for message, _ in MESSAGES:
        caller.say(message)
    assert "第三法庭" in caller.say("我想查（2024）豫0804民初1566号的进度，我是张伟，手机尾号5678")
    reply = caller.say("转人工")
    match = TICKET.search(reply)
    assert match, reply
    # A callback number given after the ticket attaches to it (masked in the audit note).
    assert match.group() in caller.say("回电打13838915678")
    return match.group()


def test_no_full_number_in_message_rows_ticket_or_logs(stack: Stack, caller: Caller, sessions) -> None:  # type: ignore[no-untyped-def]
    number = _talk(caller)
    with sessions() as session:
        rows = list(session.scalars(select(ChatMessage).where(ChatMessage.sender == caller.sender)))
    assert {r.direction for r in rows} == {"in", "out"} and len(rows) > 2 * len(MESSAGES)
    assert [(r.direction, r.text) for r in rows if leaks(r.text)] == []
    assert any("138****5678" in r.text for r in rows)  # masked, not dropped

    ticket = TicketService(sessions).get(number)
    assert ticket is not None
    assert ticket.caller_contact == "13838915678"  # the callback number: whole, in its own field only
    said = [t["text"] for t in ticket.transcript if t["from"] == "caller"]
    assert len(said) == len(MESSAGES) + 2
    stored = json.dumps([ticket.transcript, ticket.collected, ticket.summary, [e.note for e in ticket.events]],
                        ensure_ascii=False)
    assert leaks(stored) == []

    # Everything Rasa, the action server and the gateway printed (Rasa at its default level, INFO).
    lines = stack.log.getvalue().splitlines()  # type: ignore[attr-defined]
    assert any(line.startswith("[rasa") for line in lines)
    assert [line for line in lines if leaks(line)] == []


def test_rasa_trackers_expire_or_are_purged(stack: Stack, caller: Caller, sessions) -> None:  # type: ignore[no-untyped-def]
    caller.say("你好")
    conversation = f"web:{caller.sender}"
    if os.environ.get("REDIS_URL"):
        import redis

        client = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
        ttl = client.ttl(REDIS_TRACKER_PREFIX + conversation)
        assert 0 < ttl <= stack.settings.retention_days * 86400  # Rasa stored it with record_exp
    else:
        client = None
    tracker_db = stack.settings.data_dir / TRACKER_DB_NAME

    def stored_events() -> int:
        if client is not None:
            return int(client.exists(REDIS_TRACKER_PREFIX + conversation))
        with closing(sqlite3.connect(tracker_db)) as conn:
            return conn.execute("SELECT count(*) FROM events WHERE sender_id = ?", (conversation,)).fetchone()[0]

    assert stored_events() > 0
    result = purge(stack.settings, sessions, utcnow(), client)
    assert result.messages >= 2 and (result.redis_trackers if client else result.tracker_events) >= 1
    assert stored_events() == 0
    with sessions() as session:
        assert list(session.scalars(select(ChatMessage).where(ChatMessage.sender == caller.sender))) == []
    # Rasa goes on working after its store was purged under it.
    fresh = Caller(caller.base, sender=f"e2e-{uuid.uuid4().hex[:10]}")
    assert "第三法庭" in fresh.say("我想查（2024）豫0804民初1566号的进度，我是张伟，手机尾号5678")
