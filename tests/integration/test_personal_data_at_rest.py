"""Personal data at rest: message rows, ticket transcripts and logs hold no full phone or ID number,
and `./courtbot purge` removes old message logs and Rasa trackers but never tickets.

Runs on SQLite, and on PostgreSQL (and Redis) when DATABASE_URL (and REDIS_URL) are given."""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from actions.handoff import ActionTransferToHuman
from actions.services import ticket_service
from cli.__main__ import main as courtbot
from conversations.models import ChatMessage
from conversations.retention import REDIS_TRACKER_PREFIX, TRACKER_DB_NAME, cutoff_for, purge
from conversations.service import MessageLog
from core.config import get_settings
from core.db import get_session_factory
from core.timeutil import utcnow
from tests.actions.trackers import Conversation
from tests.conftest import free_port
from tests.personal_numbers import MESSAGES, leaks


@pytest.fixture()
def gateway(configured: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The real gateway with Rasa down: the message must still be kept, masked."""
    monkeypatch.setenv("COURTBOT_RASA_PORT", str(free_port()))
    monkeypatch.setenv("COURTBOT_ACTIONS_PORT", str(free_port()))
    get_settings.cache_clear()
    from api.main import create_app

    with TestClient(create_app()) as client:
        yield client
    get_settings.cache_clear()


def _ticket_number(texts: list[str]) -> str:
    match = re.search(r"12368-\d{8}-\d{4}", " ".join(texts))
    assert match, texts
    return match.group()


def _rows(sender: str) -> list[ChatMessage]:
    with get_session_factory()() as session:
        return list(session.scalars(select(ChatMessage).where(ChatMessage.sender == sender).order_by(ChatMessage.id)))


def test_messages_through_the_gateway_are_stored_and_logged_masked(
    gateway: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    sender = f"web-{uuid.uuid4().hex[:8]}"
    caplog.set_level(logging.DEBUG)
    for message, _ in MESSAGES:
        assert gateway.post("/api/chat", json={"sender": sender, "message": message}).status_code == 200
    # A sender id that is itself a number (as a phone channel's would be) is masked in the log too.
    assert gateway.post("/api/chat", json={"sender": "13838915678", "message": "你好"}).status_code == 200
    rows = _rows(sender)
    assert len(rows) == len(MESSAGES) and {r.direction for r in rows} == {"in"}
    assert [leaks(r.text) for r in rows] == [[] for _ in rows]
    assert "138****5678" in rows[0].text and "41**************34" in rows[0].text  # masked, not dropped
    logged = [r.getMessage() for r in caplog.records]
    assert sum("not answered" in line for line in logged) == len(MESSAGES) + 1  # it did log about each
    assert [line for line in logged if leaks(line)] == []


def test_bot_replies_are_stored_masked(sessions) -> None:  # type: ignore[no-untyped-def]
    sender = f"out-{uuid.uuid4().hex[:8]}"
    MessageLog(sessions).record_outbound("web", sender, ["已记录您的电话13912345678，本院电话0391-3921368"])
    (row,) = _rows(sender)
    assert leaks(row.text) == [] and "139****5678" in row.text
    assert "0391-3921368" in row.text  # the court's own number is not personal data


def test_ticket_transcript_summary_and_collected_hold_no_full_number(seeded: date) -> None:
    convo = Conversation()
    for message, _ in MESSAGES:
        convo.user(message, "inform")
    convo.set("request_detail", "请法官回电13838915678")
    convo.user("转人工，我的电话是一五九八七六五四三二一", "human_agent")
    texts, _ = convo.run(ActionTransferToHuman())
    ticket = ticket_service().get(_ticket_number(texts))
    assert ticket is not None
    callers = [t["text"] for t in ticket.transcript if t["from"] == "caller"]
    assert len(callers) == len(MESSAGES) + 1
    stored = json.dumps([ticket.transcript, ticket.collected, ticket.summary, [e.note for e in ticket.events]],
                        ensure_ascii=False)
    assert leaks(stored) == []
    assert "138****5678" in callers[0]  # staff still see which number it was, by its last four
    assert ticket.collected["request_detail"] == "请法官回电138****5678"


# ---------------------------------------------------------------- purge


def _message_at(sessions, sender: str, at: datetime) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        session.add(ChatMessage(channel="web", sender=sender, direction="in", text="你好", status="delivered", at=at))


def _rasa_events_table(path: Path, rows: list[tuple[str, float]]) -> None:
    """Rasa's SQLTrackerStore `events` table (rasa/core/tracker_store.py SQLEvent), as it creates it."""
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
                     "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                     "action_name VARCHAR(255), data TEXT)")
        conn.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, '{}')",
                         rows)


def test_purge_deletes_old_messages_and_tracker_events_but_keeps_tickets(seeded: date, sessions) -> None:  # type: ignore[no-untyped-def]
    settings = get_settings()
    now = utcnow()
    old, recent = f"old-{uuid.uuid4().hex[:8]}", f"new-{uuid.uuid4().hex[:8]}"
    for days in (400, 200, 181):
        _message_at(sessions, old, now - timedelta(days=days))
    _message_at(sessions, recent, now - timedelta(days=179))
    _message_at(sessions, recent, now)
    texts, _ = Conversation(old).user("转人工", "human_agent").run(ActionTransferToHuman())
    ticket_number = _ticket_number(texts)
    tracker_db = settings.data_dir / TRACKER_DB_NAME
    _rasa_events_table(tracker_db, [(old, (now - timedelta(days=200)).timestamp()),
                                    (recent, (now - timedelta(days=10)).timestamp()), (recent, now.timestamp())])

    cutoff = cutoff_for(None, settings.retention_days)
    counted = purge(settings, sessions, cutoff, dry_run=True)
    assert counted.messages >= 3 and counted.tracker_events >= 1
    assert len(_rows(old)) == 3  # a dry run deletes nothing

    result = purge(settings, sessions, cutoff)
    assert (result.messages, result.tracker_events) == (counted.messages, counted.tracker_events)
    assert _rows(old) == [] and len(_rows(recent)) == 2
    with closing(sqlite3.connect(tracker_db)) as conn:
        left = conn.execute("SELECT sender_id FROM events WHERE sender_id IN (?, ?)", (old, recent)).fetchall()
    assert sorted(s for (s,) in left) == [recent, recent]
    kept = ticket_service().get(ticket_number)
    assert kept is not None and [e.step for e in kept.events] == ["接听"]


def test_before_is_a_court_local_date() -> None:
    # Midnight in Asia/Shanghai is 16:00 UTC the day before.
    assert cutoff_for(date(2026, 6, 1), 180) == datetime(2026, 5, 31, 16, 0, tzinfo=timezone.utc)
    now = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
    assert cutoff_for(None, 180, now) == now - timedelta(days=180)


def test_purge_command_prints_counts(seeded: date, sessions, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    sender = f"cli-{uuid.uuid4().hex[:8]}"
    _message_at(sessions, sender, datetime(2025, 1, 5, 8, 0, tzinfo=timezone.utc))
    courtbot(["purge", "--before", "2025-01-06", "--dry-run"])
    assert len(_rows(sender)) == 1
    courtbot(["purge", "--before", "2025-01-06"])
    out = capsys.readouterr().out
    assert "would delete" in out and "tickets and their audit trail are kept" in out
    deleted = [line for line in out.splitlines() if line.strip().startswith("deleted") and "chat messages" in line]
    assert deleted and int(deleted[0].split()[1]) >= 1
    assert _rows(sender) == []


@pytest.mark.parametrize(("value", "problem"), [("2025-13-01", "日期格式不正确"), ("1.6.2025", "日期格式不正确"),
                                                ("2999-01-01", "日期不能晚于今天")])
def test_purge_refuses_a_bad_date_in_chinese(value: str, problem: str, configured: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        courtbot(["purge", "--before", value])
    assert exit_info.value.code == 2
    assert problem in capsys.readouterr().err


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_purge_deletes_redis_trackers_idle_since_the_cutoff(configured: str, sessions) -> None:  # type: ignore[no-untyped-def]
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
    stale, live = f"{REDIS_TRACKER_PREFIX}t-{uuid.uuid4().hex[:8]}", f"{REDIS_TRACKER_PREFIX}t-{uuid.uuid4().hex[:8]}"
    long_ago = time.time() - 200 * 86400

    def tracker(*stamps: float) -> str:  # Rasa's serialised Dialogue: {"name", "events": [...]}
        return json.dumps({"name": "x", "events": [{"event": "user", "timestamp": s, "text": "你好"} for s in stamps]})

    client.set(stale, tracker(long_ago, long_ago + 60))
    client.set(live, tracker(long_ago, time.time()))
    try:
        result = purge(get_settings(), sessions, cutoff_for(None, 180), client)
        assert result.redis_trackers >= 1
        assert client.exists(stale) == 0 and client.exists(live) == 1
    finally:
        client.delete(stale, live)
