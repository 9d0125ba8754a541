"""A revisit (回访) asked in a web conversation is answered in that chat: the caller's rating, typed
into /api/chat, is recorded on the ticket and thanked without a Rasa turn; anything else still
goes to the bot. Rasa is stubbed at its HTTP edge."""

from __future__ import annotations

import asyncio
import uuid

from fastapi.testclient import TestClient

from tests.channels.stubs import ActingRasa, chat
from tickets.service import ActionInput, Actor, NewTicket
from tickets.states import Action

HANDLER = Actor("rv-chat-handler", "supervisor")


def test_the_callers_rating_in_chat_is_recorded_on_the_ticket(gateway: tuple[TestClient, ActingRasa]) -> None:
    client, rasa = gateway
    tickets, revisits = client.app.state.tickets, client.app.state.revisits
    sender = f"web-{uuid.uuid4().hex[:8]}"
    t = tickets.open_ticket(NewTicket("咨询", "web", f"web:{sender}", "问立案要带什么材料"))
    t = tickets.perform(t.number, Action.ACCEPT, HANDLER, t.version)
    tickets.perform(t.number, Action.FEEDBACK, HANDLER, t.version,
                    ActionInput(text="请携带起诉状和身份证复印件到立案窗口"))
    assert asyncio.run(revisits.sweep()) == 1
    pushed = client.get("/api/chat/messages", params={"sender": sender, "after": 0}).json()
    assert any(t.number in str(m) for m in pushed["messages"])  # the question reached the chat

    assert chat(client, sender, "开庭要带啥")["replies"][0]["text"] == "机器人：开庭要带啥"  # not a rating
    reply = chat(client, sender, "4分 窗口很耐心")["replies"]
    assert [r["text"] for r in reply] == [f"感谢您的评价（4 分），工单{t.number}将办结。"]
    assert "4分 窗口很耐心" not in rasa.calls  # the bot did not take that turn
    done = tickets.get(t.number)
    assert done is not None
    assert (done.status, done.satisfaction, done.satisfaction_comment) == ("revisited", 4, "窗口很耐心")
