"""Rasa's endpoints.yml, written from settings: SQLite tracker by default, Redis with REDIS_URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from core.config import Settings


def _redis_store(url: str, kind: str) -> dict[str, Any]:
    parsed = urlparse(url)
    store: dict[str, Any] = {
        "type": "redis",
        "url": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 6379,
        "db": int((parsed.path or "/0").lstrip("/") or 0),
        "key_prefix": f"courtbot_{kind}",
    }
    if parsed.password:
        store["password"] = parsed.password
    if parsed.scheme == "rediss":
        store["use_ssl"] = True
    return store


def rasa_endpoints(settings: Settings) -> dict[str, Any]:
    endpoints: dict[str, Any] = {"action_endpoint": {"url": f"{settings.actions_url}/webhook"}}
    if settings.redis_url:
        endpoints["tracker_store"] = _redis_store(settings.redis_url, "tracker")
        endpoints["lock_store"] = _redis_store(settings.redis_url, "lock")
    else:
        endpoints["tracker_store"] = {
            "type": "SQL",
            "dialect": "sqlite",
            "db": str(settings.data_dir / "rasa_tracker.db"),
        }
    return endpoints


def write_endpoints(settings: Settings) -> Path:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / "endpoints.yml"
    path.write_text(yaml.safe_dump(rasa_endpoints(settings), allow_unicode=True, sort_keys=False))
    return path
