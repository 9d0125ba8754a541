"""The gateway with Rasa stubbed at its HTTP edge."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from core.config import get_settings
from tests.channels.stubs import ActingRasa
from tests.conftest import free_port


@pytest.fixture()
def gateway(configured: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, ActingRasa]]:
    monkeypatch.setenv("COURTBOT_RASA_PORT", str(free_port()))
    monkeypatch.setenv("COURTBOT_SCHEDULER_INTERVAL", "0")
    get_settings.cache_clear()
    from api.main import create_app

    rasa = ActingRasa()
    with TestClient(create_app()) as client:
        client.app.state.rasa._client = httpx.AsyncClient(transport=httpx.MockTransport(rasa.handler))
        yield client, rasa
    get_settings.cache_clear()
