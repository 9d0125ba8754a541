"""Transfer to a person, health, and a stalled Rasa or action server."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from cli.stack import Stack
from core.rasa_token import rasa_token
from tests.e2e.conftest import Caller
from tickets.service import TicketService

TICKET = re.compile(r"12368-(\d{8})-(\d{4})")


def test_transfer_carries_what_was_collected(caller: Caller, sessions) -> None:  # type: ignore[no-untyped-def]
    caller.say("我想查（2024）豫0804民初1566号的进度，我是张伟，手机尾号5678")
    reply = caller.say("转人工")
    match = TICKET.search(reply)
    assert match, reply
    ticket = TicketService(sessions).get(match.group())
    assert ticket is not None and (ticket.category, ticket.source_label) == ("progress", "转人工")
    assert ticket.case_number == "（2024）豫0804民初1566号" and ticket.caller_verified
    caller_lines = [t["text"] for t in ticket.transcript if t["from"] == "caller"]
    assert caller_lines[-1] == "转人工" and "张伟" in caller_lines[0]
    assert any("王建军" in t["text"] for t in ticket.transcript if t["from"] == "bot")


GIBBERISH = ["xyz123abc", "qwe456rty", "zzq kkp 77", "asdf;lkj", "bnm,./ vcx", "ppp000ooo", "hjkl1234 uiop",
             "wxq-19-pzk", "mmnn bbvv", "kq7 zt3 lx9"]


def unsure_inputs(stack: Stack) -> list[str]:
    """Garbled input, as from a bad keyboard or line, that the trained model really is unsure of."""
    rasa = stack.settings.rasa_url
    unsure = [t for t in GIBBERISH
              if httpx.post(f"{rasa}/model/parse", params={"token": rasa_token(stack.settings)}, json={"text": t},
                            timeout=10).json()["intent"]["name"]
              == "nlu_fallback"]
    assert len(unsure) >= 2, "the NLU is confident about every garbled input"
    return unsure


def test_low_confidence_twice_offers_person_and_affirm_transfers(stack: Stack, caller: Caller) -> None:
    unsure = unsure_inputs(stack)
    assert "换个说法" in caller.say(unsure[0])
    assert "转接人工" in caller.say(unsure[1])
    reply = caller.say("好的")
    match = TICKET.search(reply)
    assert match, reply


def test_an_ignored_offer_is_withdrawn(stack: Stack, caller: Caller) -> None:
    unsure = unsure_inputs(stack)
    caller.say(unsure[0])
    assert "转接人工" in caller.say(unsure[1])
    assert "立案" in caller.say("怎么立案")
    assert not TICKET.search(caller.say("好的"))


def test_someone_who_knows_the_conversation_id_must_verify_again(gateway: str) -> None:
    owner = Caller(gateway)
    assert "第三法庭" in owner.say("我想查（2024）豫0804民初1566号的进度，我是张伟，手机尾号5678")
    intruder = Caller(gateway, sender=owner.sender)
    reply = intruder.say("再查一下（2024）豫0804民初1566号")
    assert "姓名" in reply and "第三法庭" not in reply and "王建军" not in reply


def test_slash_commands_are_just_text(caller: Caller) -> None:
    caller.say("我想查案件进度")
    reply = caller.say("/restart")
    assert reply  # answered as text, not a silent restart
    assert "案号" in caller.say("（2099）豫0804民初1号")  # the query is still going: unknown number, asks again


def test_health_reports_each_component(gateway: str) -> None:
    body = httpx.get(f"{gateway}/health", timeout=10).json()
    assert body["status"] == "ok"
    for name in ("rasa", "actions", "database", "redis"):
        assert body[name]["status"] in ("ok", "disabled"), body
    assert body["redis"]["status"] == ("ok" if os.environ.get("REDIS_URL") else "disabled")


def test_bad_requests_get_clear_errors(gateway: str) -> None:
    for payload in ({"sender": "x"}, {"message": "hi"}, {"sender": "", "message": "你好"}, [1, 2]):
        response = httpx.post(f"{gateway}/api/chat", json=payload, timeout=10)
        assert response.status_code == 422
        assert "sender" in response.json()["error"]
    response = httpx.post(
        f"{gateway}/api/chat", content=b"{not json", headers={"content-type": "application/json"}, timeout=10
    )
    assert response.status_code == 422


@contextmanager
def stalled(stack: Stack, name: str) -> Iterator[None]:
    process = stack.service(name).process
    assert process is not None
    os.killpg(process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(process.pid, signal.SIGCONT)


def test_stalled_rasa_gets_a_clear_answer_and_the_message_is_kept(stack: Stack, gateway: str, sessions) -> None:  # type: ignore[no-untyped-def]
    from conversations.service import MessageLog

    sender = f"stall-{time.time_ns()}"
    with stalled(stack, "rasa"):
        started = time.monotonic()
        response = httpx.post(f"{gateway}/api/chat", json={"sender": sender, "message": "我的案子怎么样了"}, timeout=20)
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True and "12368" in body["replies"][0]["text"]
    assert elapsed < 6
    kept = [m for m in MessageLog(sessions).unanswered() if m.sender == sender]
    assert [(m.text, m.status) for m in kept] == [("我的案子怎么样了", "timeout")]


def test_stalled_action_server_gets_a_clear_answer(stack: Stack, gateway: str) -> None:
    with stalled(stack, "actions"):
        response = httpx.post(
            f"{gateway}/api/chat", json={"sender": f"stall-{time.time_ns()}", "message": "转人工"}, timeout=20
        )
    assert response.status_code == 200 and response.json()["degraded"] is True
