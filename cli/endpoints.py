"""Rasa's endpoints.yml, written from settings: SQLite tracker by default, Redis with REDIS_URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from conversations.retention import REDIS_KEY_PREFIX, TRACKER_DB_NAME
from core.config import Settings

# Rasa's SQL and Redis tracker stores with sessions of bounded length (turns must not get slower).
BOUNDED_SQL_STORE = "rasa_runtime.tracker_store.BoundedSQLTrackerStore"
BOUNDED_REDIS_STORE = "rasa_runtime.tracker_store.BoundedRedisTrackerStore"


def _redis_store(url: str) -> dict[str, Any]:
    parsed = urlparse(url)
    store: dict[str, Any] = {
        "type": "redis",
        "url": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 6379,
        "db": int((parsed.path or "/0").lstrip("/") or 0),
        # Rasa adds ":tracker:" / ":lock:" itself, and ignores a prefix that is not alphanumeric.
        "key_prefix": REDIS_KEY_PREFIX,
    }
    if parsed.password:
        store["password"] = parsed.password
    if parsed.scheme == "rediss":
        store["use_ssl"] = True
    return store


def rasa_endpoints(settings: Settings) -> dict[str, Any]:
    endpoints: dict[str, Any] = {"action_endpoint": {"url": f"{settings.actions_url}/webhook"}}
    if settings.redis_url:
        # Trackers hold what callers wrote: Redis drops one this long after its last message.
        endpoints["tracker_store"] = {
            **_redis_store(settings.redis_url), "record_exp": settings.retention_days * 86400,
            "type": BOUNDED_REDIS_STORE, "max_session_turns": settings.session_max_turns,
        }
        endpoints["lock_store"] = _redis_store(settings.redis_url)
    else:
        endpoints["tracker_store"] = {
            "type": BOUNDED_SQL_STORE,
            "max_session_turns": settings.session_max_turns,
            "dialect": "sqlite",
            "db": str(settings.data_dir / TRACKER_DB_NAME),
        }
    return endpoints


def write_endpoints(settings: Settings) -> Path:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / "endpoints.yml"
    path.write_text(yaml.safe_dump(rasa_endpoints(settings), allow_unicode=True, sort_keys=False))
    return path
