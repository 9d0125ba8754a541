"""The real stack — Rasa server, action server, gateway — started once for the end-to-end tests,
on test ports with a fresh database (and REDIS_URL's Redis when given)."""

from __future__ import annotations

import io
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from cli.stack import Stack
from cli.training import ensure_model
from core.config import Settings

# COURTBOT_E2E_PORT_OFFSET shifts all three, so two test runs on one machine do not collide.
_OFFSET = int(os.environ.get("COURTBOT_E2E_PORT_OFFSET", "0"))
PORTS = {
    "COURTBOT_GATEWAY_PORT": str(18000 + _OFFSET),
    "COURTBOT_RASA_PORT": str(15005 + _OFFSET),
    "COURTBOT_ACTIONS_PORT": str(15055 + _OFFSET),
}


class LogTail(io.StringIO):
    """Keeps the stack's prefixed output for failure reports; thread-safe enough for line writes."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            return super().write(text)


@pytest.fixture(scope="session")
def stack(seeded: date, database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir: Path = tmp_path_factory.mktemp("stack")
    values = {"COURTBOT_DATA_DIR": str(data_dir), "DATABASE_URL": database_url, **PORTS}
    if os.environ.get("REDIS_URL"):
        values["REDIS_URL"] = os.environ["REDIS_URL"]
    settings = Settings(**values)
    log = LogTail()
    running = Stack(settings, ensure_model(), log=log)
    running.start()
    try:
        running.wait_ready(timeout=400)
    except Exception:
        running.stop()
        raise RuntimeError("stack did not start:\n" + log.getvalue()[-6000:]) from None
    yield running
    running.stop()


@pytest.fixture(scope="session")
def gateway(stack: Stack) -> str:
    return f"http://127.0.0.1:{stack.settings.gateway_port}"


class Caller:
    """One person chatting through POST /api/chat."""

    def __init__(self, base: str, sender: str | None = None) -> None:
        self.base = base
        self.sender = sender or f"e2e-{uuid.uuid4().hex[:10]}"
        self.client = httpx.Client(timeout=30)

    def say(self, message: str) -> str:
        response = self.client.post(f"{self.base}/api/chat", json={"sender": self.sender, "message": message})
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("degraded"), body
        return "\n".join(r["text"] for r in body["replies"])


@pytest.fixture()
def caller(gateway: str) -> Iterator[Caller]:
    person = Caller(gateway)
    yield person
    person.client.close()


@pytest.fixture(autouse=True)
def _fresh_locks(no_case_locks: None) -> None:
    """Failed identity checks from one test must not lock a case for the next."""
    return None
