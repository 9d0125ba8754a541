"""How long conversations are kept: the message log and Rasa's trackers, both of which hold what
callers wrote. Tickets and their audit trail are records of the court's work and are not touched.

Rasa's trackers live in the embedded SQLite file (`<data dir>/rasa_tracker.db`, table `events`) or,
with REDIS_URL, in Redis, where they also expire on their own (`record_exp`, cli/endpoints.py).
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import redis
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from conversations.models import ChatMessage
from core.config import Settings
from core.timeutil import court_tz, utcnow

# Where cli/endpoints.py tells Rasa to keep trackers. Rasa's RedisTrackerStore stores
# `<key prefix>:tracker:<sender>` and silently ignores a prefix that is not alphanumeric.
TRACKER_DB_NAME = "rasa_tracker.db"
REDIS_KEY_PREFIX = "courtbot"
REDIS_TRACKER_PREFIX = f"{REDIS_KEY_PREFIX}:tracker:"


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    messages: int
    tracker_events: int  # rows of the embedded SQLite tracker store
    redis_trackers: int  # whole conversations in Redis


def cutoff_for(before: date | None, retention_days: int, now: datetime | None = None) -> datetime:
    """UTC instant: court-local midnight starting `before`, else `retention_days` before now."""
    if before is not None:
        return datetime.combine(before, time(0), court_tz()).astimezone(timezone.utc)
    return (now or utcnow()) - timedelta(days=retention_days)


def _count_or_delete_messages(sessions: sessionmaker[Session], cutoff: datetime, dry_run: bool) -> int:
    with sessions.begin() as session:
        if dry_run:
            return int(session.scalar(select(func.count()).where(ChatMessage.at < cutoff)) or 0)
        return int(session.execute(delete(ChatMessage).where(ChatMessage.at < cutoff)).rowcount or 0)


def _sqlite_tracker_events(path: Path, cutoff: datetime, dry_run: bool) -> int:
    """Delete Rasa's stored events older than the cutoff; a live conversation keeps its recent ones."""
    if not path.exists():
        return 0
    with closing(sqlite3.connect(path, timeout=30)) as conn, conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='events'").fetchone():
            return 0  # Rasa has not stored a conversation yet
        stamp = cutoff.timestamp()
        if dry_run:
            return int(conn.execute("SELECT count(*) FROM events WHERE timestamp < ?", (stamp,)).fetchone()[0])
        return conn.execute("DELETE FROM events WHERE timestamp < ?", (stamp,)).rowcount


def _last_activity(raw: str) -> float | None:
    try:
        events = json.loads(raw).get("events") or []
    except (ValueError, AttributeError):
        return None
    stamps = [e.get("timestamp") for e in events if isinstance(e, dict)]
    return max((s for s in stamps if isinstance(s, int | float)), default=None)


def _redis_trackers(client: redis.Redis, cutoff: datetime, dry_run: bool) -> int:
    """Delete Redis trackers whose newest event is older than the cutoff (a tracker is one value)."""
    stale = []
    for key in client.scan_iter(match=REDIS_TRACKER_PREFIX + "*", count=500):
        raw = client.get(key)
        last = _last_activity(raw) if raw else None
        if last is not None and last < cutoff.timestamp():
            stale.append(key)
    if stale and not dry_run:
        client.delete(*stale)
    return len(stale)


def purge(settings: Settings, sessions: sessionmaker[Session], cutoff: datetime,
          redis_client: redis.Redis | None = None, dry_run: bool = False) -> PurgeResult:
    return PurgeResult(
        cutoff=cutoff,
        messages=_count_or_delete_messages(sessions, cutoff, dry_run),
        tracker_events=_sqlite_tracker_events(settings.data_dir / TRACKER_DB_NAME, cutoff, dry_run),
        redis_trackers=_redis_trackers(redis_client, cutoff, dry_run) if redis_client is not None else 0,
    )
