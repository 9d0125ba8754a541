"""Live hand-off through the gateway: the web chat asks for a person, one operator takes over, the bot
stays silent while they talk, everything is in the transcript, hand-back gives the bot the chat again.
Rasa is stubbed at its HTTP edge; on 转人工 the stub opens the ticket as the action server would."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from core.timeutil import court_tz
from tests.channels.stubs import ActingRasa, chat, login


def test_operator_takes_over_talks_and_hands_back(gateway: tuple[TestClient, ActingRasa]) -> None:
    client, rasa = gateway
    alice, bob = login(client, "operator"), login(client, "operator")
    client.get("/api/live/conversations", headers=alice)  # alice is at her desk
    sender = f"web-{uuid.uuid4().hex[:8]}"
    asked = chat(client, sender, "转人工")
    ticket = asked["replies"][0]["text"].split("工单号：")[1].rstrip("。")
    notice = asked["replies"][-1]["text"]
    assert len(asked["replies"]) == 2 and ("接通人工客服" in notice or ticket in notice)

    queue = client.get("/api/live/conversations", headers=alice).json()["conversations"]
    mine = next(c for c in queue if c["ticket_number"] == ticket)
    assert mine["state"] == "waiting" and mine["channel"] == "web"
    taken = client.post(f"/api/live/conversations/{mine['id']}/take", headers=alice)
    assert taken.status_code == 200 and taken.json()["state"] == "live"
    second = client.post(f"/api/live/conversations/{mine['id']}/take", headers=bob)
    assert second.status_code == 409 and "已由" in second.json()["detail"]
    assert client.post(f"/api/live/conversations/{mine['id']}/messages", headers=bob,
                       json={"text": "我来"}).status_code == 409

    calls_before = len(rasa.calls)
    held = chat(client, sender, "我的案子什么时候开庭")
    assert held["replies"] == [] and held["live"] is True and len(rasa.calls) == calls_before

    sent = client.post(f"/api/live/conversations/{mine['id']}/messages", headers=alice,
                       json={"text": "您好，下周二上午九点在第三法庭开庭。"})
    assert sent.status_code == 200 and sent.json()["route"] == "stored"
    pushed = client.get("/api/chat/messages", params={"sender": sender}).json()
    assert pushed["live"] is True
    assert [m["text"] for m in pushed["messages"]][-1] == "您好，下周二上午九点在第三法庭开庭。"
    assert {m["author"] for m in pushed["messages"]} == {"operator"}

    transcript = client.get(f"/api/live/conversations/{mine['id']}/messages", headers=alice).json()
    said = [(m["author"], m["text"]) for m in transcript["messages"]]
    assert ("caller", "我的案子什么时候开庭") in said
    assert any(a.startswith("operator:") and "第三法庭" in t for a, t in said)
    assert next(m for m in transcript["messages"] if m["text"] == "我的案子什么时候开庭")["status"] == "live"

    back = client.post(f"/api/live/conversations/{mine['id']}/hand-back", headers=alice)
    assert back.status_code == 200 and back.json()["state"] == "closed"
    assert chat(client, sender, "谢谢")["replies"][0]["text"] == "机器人：谢谢"
    ended = client.get("/api/chat/messages", params={"sender": sender}).json()
    assert ended["live"] is False and "人工服务已结束" in ended["messages"][-1]["text"]

    from core.db import get_session_factory
    from tickets.service import TicketService

    opened = TicketService(get_session_factory()).get(ticket)
    assert opened is not None
    notes = [e.note for e in opened.events if e.action == "note"]
    assert any("接管了在线会话" in n for n in notes) and any("交回智能客服" in n for n in notes)


def test_live_api_checks_roles(gateway: tuple[TestClient, ActingRasa]) -> None:
    client, _ = gateway
    assert client.get("/api/live/conversations").status_code == 401
    handler = login(client, "department_handler")
    assert client.get("/api/live/conversations", headers=handler).status_code == 403
    supervisor = login(client, "supervisor")
    assert client.get("/api/live/conversations", headers=supervisor).status_code == 200
    assert client.post("/api/live/conversations/999999/take", headers=supervisor).status_code == 404


@pytest.mark.parametrize(("local", "present", "expected"), [
    (datetime(2026, 12, 5, 10, 0), False, "12月7日08:30后"),  # Saturday → Monday morning
    (datetime(2026, 12, 3, 13, 0), False, "今天14:30后"),  # lunch break
    (datetime(2026, 12, 3, 18, 0), False, "12月4日08:30后"),  # after hours
    (datetime(2026, 12, 3, 10, 0), False, "今天12:00前"),  # open, nobody free
    (datetime(2026, 12, 3, 10, 0), True, "接通人工客服"),  # open, an operator free
])
def test_caller_is_told_when_to_expect_a_person(sessions, local: datetime, present: bool, expected: str) -> None:  # type: ignore[no-untyped-def]
    from conversations.handoff import LiveHandoff, Presence
    from tickets.calendar import CalendarSource

    presence = Presence(None, 120)
    if present:
        presence.seen("op-free")
    handoff = LiveHandoff(sessions, CalendarSource(sessions), "08:30-12:00,14:30-17:30", presence)
    said = handoff.expectation("12368-20261203-0001", local.replace(tzinfo=court_tz()))
    assert expected in said
    if not present:
        assert "12368-20261203-0001" in said


def test_asking_for_a_person_on_an_open_ticket_queues_the_conversation(
        gateway: tuple[TestClient, ActingRasa]) -> None:
    from tickets.service import NewTicket

    client, rasa = gateway
    alice = login(client, "operator")
    client.get("/api/live/conversations", headers=alice)  # alice is at her desk
    sender = f"web-{uuid.uuid4().hex[:8]}"
    complaint = client.app.state.tickets.open_ticket(NewTicket("投诉", "web", f"web:{sender}", "投诉法官不回电话"))
    rasa.open_ticket[f"web:{sender}"] = complaint.number
    chat(client, sender, "还是转人工吧")
    listed = client.get("/api/live/conversations", headers=alice).json()
    assert complaint.number in json.dumps(listed, ensure_ascii=False)  # waiting, with the matter's ticket
