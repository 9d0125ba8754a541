"""Rasa stubbed at its HTTP edge (on 转人工 the stub opens the ticket as the action server would), and
helpers to log staff in and chat as a caller."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tickets.categories import PERSON_REQUESTED_NOTE

PASSWORD = "Live-handoff-pass-1"


class ActingRasa:
    """Rasa + action server at the HTTP edge: 转人工 opens the bot's hand-off ticket."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.open_ticket: dict[str, str] = {}  # conversation → the matter's ticket, as the last_ticket slot

    def handler(self, request: httpx.Request) -> httpx.Response:
        from core.db import get_session_factory
        from tickets.service import NewTicket, TicketService

        body = json.loads(request.content)
        self.calls.append(body["message"])
        tickets = TicketService(get_session_factory())
        if body["message"] == "转人工":
            ticket = tickets.open_ticket(NewTicket(
                category="转人工", channel="web", sender=body["sender"], summary="来电人请求人工服务"))
            return httpx.Response(200, json=[{"text": f"已为您转接人工服务，工单号：{ticket.number}。"}])
        if body["message"].startswith("还是转人工"):  # the matter has a ticket: the action notes it there
            number = self.open_ticket[body["sender"]]
            tickets.add_details(number, f"{PERSON_REQUESTED_NOTE}。最后一句：{body['message']}",
                                f"courtbot:{body['sender']}")
            return httpx.Response(200, json=[{"text": f"好的，已在工单{number}上注明您需要人工联系。"}])
        return httpx.Response(200, json=[{"text": f"机器人：{body['message']}"}])


def login(client: TestClient, role: str) -> dict[str, str]:
    from auth.service import AuthService
    from core.db import get_session_factory

    name = f"{role[:4]}{uuid.uuid4().hex[:6]}"
    AuthService(get_session_factory()).create_user(name, role, PASSWORD, display_name=f"话务员{name[-3:]}")
    token = client.post("/api/auth/token", data={"username": name, "password": PASSWORD}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def chat(client: TestClient, sender: str, text: str) -> dict[str, Any]:
    response = client.post("/api/chat", json={"sender": sender, "message": text})
    assert response.status_code == 200
    return response.json()
