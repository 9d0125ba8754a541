"""The gateway on its own: Rasa down (nothing listening) must give a clear answer and keep the message."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from core.config import get_settings
from tests.conftest import free_port


@pytest.fixture()
def client(configured: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("COURTBOT_RASA_PORT", str(free_port()))
    monkeypatch.setenv("COURTBOT_ACTIONS_PORT", str(free_port()))
    get_settings.cache_clear()
    from api.main import create_app

    with TestClient(create_app()) as test_client:
        yield test_client
    get_settings.cache_clear()


def test_rasa_down_answers_in_chinese_and_keeps_message(client: TestClient, sessions) -> None:  # type: ignore[no-untyped-def]
    from conversations.service import MessageLog

    response = client.post("/api/chat", json={"sender": "down-1", "message": "我的案子开庭了吗"})
    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True
    assert "留言已保存" in body["replies"][0]["text"]
    kept = [m for m in MessageLog(sessions).unanswered() if m.sender == "down-1"]
    assert len(kept) == 1 and kept[0].text == "我的案子开庭了吗" and "unreachable" in (kept[0].error or "")


@pytest.mark.parametrize(
    "payload",
    [{}, {"sender": "a"}, {"message": "你好"}, {"sender": "a", "message": "   "}, {"sender": "a", "message": 5},
     {"sender": "a" * 200, "message": "hi"}, {"sender": "a", "message": "长" * 2001}],
)
def test_malformed_messages_get_422_with_reason(client: TestClient, payload: dict) -> None:  # type: ignore[type-arg]
    response = client.post("/api/chat", json=payload)
    assert response.status_code == 422
    body = response.json()
    assert "请求格式不正确" in body["error"] and body["details"]


def test_health_reports_each_dependency(client: TestClient) -> None:
    response = client.get("/health")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "degraded"
    assert body["rasa"]["status"] == "down" and body["actions"]["status"] == "down"
    assert body["database"]["status"] == "ok"


def test_web_chat_page_is_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "诉讼服务智能客服" in page.text
    assert client.get("/static/chat.js").status_code == 200
