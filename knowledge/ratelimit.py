"""Requests per caller per minute for the public knowledge endpoints: counted in Redis when
REDIS_URL is set (shared by every gateway replica), else in this process."""

from __future__ import annotations

import logging
import threading
import time

import redis

log = logging.getLogger("courtbot.knowledge")


class RateLimiter:
    def __init__(self, per_minute: int, client: redis.Redis | None = None) -> None:
        self.per_minute = per_minute
        self.client = client
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def allow(self, caller: str) -> bool:
        window = int(time.time() // 60)
        if self.client is not None:
            key = f"courtbot:kb-rate:{caller}:{window}"
            try:
                count = int(self.client.incr(key))
                if count == 1:
                    self.client.expire(key, 120)
                return count <= self.per_minute
            except redis.RedisError:  # Redis down: count here rather than refuse everyone
                log.warning("knowledge rate limit: Redis unavailable, counting in process")
        with self._lock:
            for old in [k for k in self._counts if k[1] < window]:
                del self._counts[old]
            count = self._counts.get((caller, window), 0) + 1
            self._counts[(caller, window)] = count
        return count <= self.per_minute
