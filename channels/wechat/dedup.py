"""WeChat retries a message it got no answer to (same MsgId; FromUserName+CreateTime for events).
The first arrival *claims* the message and runs the bot; every retry waits for its *outcome*:
`passive:<text>` (answer it the same way) or `async` (the answer goes out through the API).
Both are atomic set-if-absent with expiry: Redis SET NX EX when REDIS_URL is set (all replicas),
else a dictionary in this process."""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

import redis

log = logging.getLogger("courtbot.wechat.dedup")
PREFIX = "courtbot:wechat"


class DedupStore(Protocol):
    def claim(self, key: str, ttl: int) -> bool: ...
    def settle(self, key: str, outcome: str, ttl: int) -> bool: ...
    def outcome(self, key: str) -> str | None: ...


class RedisDedup:
    """Shared by every replica. While Redis is unreachable this replica de-duplicates on its own
    (retries usually reach the same replica) rather than failing the callback."""

    def __init__(self, client: redis.Redis) -> None:
        self._redis = client
        self._fallback = LocalDedup()

    def claim(self, key: str, ttl: int) -> bool:
        try:
            return bool(self._redis.set(f"{PREFIX}:seen:{key}", "1", nx=True, ex=ttl))
        except redis.RedisError:
            log.warning("Redis unreachable: de-duplicating WeChat retries in this process only")
            return self._fallback.claim(key, ttl)

    def settle(self, key: str, outcome: str, ttl: int) -> bool:
        try:
            return bool(self._redis.set(f"{PREFIX}:outcome:{key}", outcome, nx=True, ex=ttl))
        except redis.RedisError:
            return self._fallback.settle(key, outcome, ttl)

    def outcome(self, key: str) -> str | None:
        try:
            value = self._redis.get(f"{PREFIX}:outcome:{key}")
        except redis.RedisError:
            return self._fallback.outcome(key)
        return value.decode() if isinstance(value, bytes) else value


class LocalDedup:
    def __init__(self) -> None:
        self._values: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def _set_nx(self, key: str, value: str, ttl: int) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._values) > 50_000:  # drop expired entries now and then
                self._values = {k: v for k, v in self._values.items() if v[0] > now}
            held = self._values.get(key)
            if held is not None and held[0] > now:
                return False
            self._values[key] = (now + ttl, value)
            return True

    def claim(self, key: str, ttl: int) -> bool:
        return self._set_nx(f"seen:{key}", "1", ttl)

    def settle(self, key: str, outcome: str, ttl: int) -> bool:
        return self._set_nx(f"outcome:{key}", outcome, ttl)

    def outcome(self, key: str) -> str | None:
        with self._lock:
            held = self._values.get(f"outcome:{key}")
        return held[1] if held is not None and held[0] > time.monotonic() else None
