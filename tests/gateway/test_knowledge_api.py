"""Public knowledge endpoints: search and classify, with Chinese 422s for bad bodies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from core.config import get_settings
from tests.conftest import free_port


@pytest.fixture()
def client(configured: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("COURTBOT_RASA_PORT", str(free_port()))
    monkeypatch.setenv("COURTBOT_ACTIONS_PORT", str(free_port()))
    get_settings.cache_clear()
    from api.main import create_app
    from knowledge.store import knowledge_base

    knowledge_base.cache_clear()
    with TestClient(create_app()) as test_client:
        yield test_client
    get_settings.cache_clear()
    knowledge_base.cache_clear()


@pytest.fixture()
def mediation_orgs(client: TestClient, sessions) -> Iterator[None]:  # type: ignore[no-untyped-def]
    from knowledge.models import KnowledgeItem
    from knowledge.store import knowledge_base

    orgs = [
        {"id": "org-traffic", "name": "交通事故纠纷调解委员会", "dispute_types": ["交通事故"], "contact": "0391-1",
         "description": "调解交通事故赔偿"},
        {"id": "org-family", "name": "婚姻家庭纠纷调解委员会", "dispute_types": ["婚姻家庭"], "contact": "0391-2",
         "description": "调解离婚、抚养、赡养纠纷"},
    ]
    assert knowledge_base().import_records("mediation_org", orgs, by="tester").ok
    yield
    with sessions.begin() as session:
        session.execute(delete(KnowledgeItem).where(KnowledgeItem.id.in_(["org-traffic", "org-family"])))


def test_search_returns_id_title_score_snippet(client: TestClient, mediation_orgs: None) -> None:
    response = client.post("/api/knowledge/search", json={"query": "离婚了孩子抚养费的事想调解", "kind": "mediation_org", "k": 2})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["id"] == "org-family" and first["title"] == "婚姻家庭纠纷调解委员会"
    assert first["score"] > 0 and "调解" in first["snippet"]


def test_classify_returns_label_confidence_and_full_ranking(client: TestClient) -> None:
    response = client.post("/api/knowledge/classify", json={"text": "开车追尾了对方不肯赔修车钱"})
    body = response.json()
    assert response.status_code == 200 and body["label"] == "交通事故"
    assert len(body["ranking"]) == 20 and body["ranking"][0] == {"label": "交通事故", "confidence": body["confidence"]}


@pytest.mark.parametrize(
    ("path", "payload", "problem"),
    [
        ("/api/knowledge/search", {"kind": "faq"}, "query"),
        ("/api/knowledge/search", {"query": "离婚", "kind": "law"}, "kind"),
        ("/api/knowledge/search", {"query": "离婚", "k": 0}, "k 必须"),
        ("/api/knowledge/search", ["离婚"], "请求格式不正确"),
        ("/api/knowledge/classify", {"text": "   "}, "text"),
        ("/api/knowledge/classify", {"text": "长" * 2001}, "text"),
    ],
)
def test_bad_bodies_get_a_chinese_422(client: TestClient, path: str, payload: object, problem: str) -> None:
    response = client.post(path, json=payload)
    assert response.status_code == 422 and problem in response.json()["error"]


def test_one_caller_over_the_limit_gets_a_chinese_429(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import knowledge.routes as routes
    from knowledge.ratelimit import RateLimiter

    monkeypatch.setattr(routes, "limiter", lambda: limiter)
    limiter = RateLimiter(2)
    answers = [client.post("/api/knowledge/classify", json={"text": "邻居家的狗咬了我"}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    refused = client.post("/api/knowledge/search", json={"query": "狗咬人", "kind": "faq"})
    assert refused.status_code == 429 and "太频繁" in refused.json()["error"]
    assert limiter.allow("another-caller")  # counted per caller, not for everyone
