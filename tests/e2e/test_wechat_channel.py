"""The WeChat channel on the real stack: a second gateway with WECHAT_* set (gateways are
stateless) in front of the session's Rasa and action server; wechatpy signs and encrypts as WeChat
does; WeChat's API is the loopback stand-in (channels/wechat/fake_server.py) reached by the real
HTTP client."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from channels.wechat.fake_server import FakeWeChatServer
from channels.wechat.menu import menu_items
from channels.wechat.simulator import WeChatPeer, event_xml, text_xml
from channels.wechat.users import sender_for
from cli.stack import Service, Stack, _settings_env
from core.rasa_token import rasa_token
from tests.conftest import free_port

TOKEN, APPID, AES_KEY = "e2eWeChatToken", "wxe2e0000000000001", "E2eWeChatAesKey0123456789abcdefghijklmnopqr"


@dataclass
class WeChatGateway:
    url: str
    peer: WeChatPeer
    fake: FakeWeChatServer
    env: dict[str, str]

    def post(self, xml: str) -> httpx.Response:
        query, body = self.peer.post(xml)
        return httpx.post(f"{self.url}/wechat?{query}", content=body, timeout=30)

    def answer(self, openid: str, response: httpx.Response, wait: float = 30.0) -> str:
        """The reply, passive or through the customer-service API (polled at the stand-in)."""
        assert response.status_code == 200, response.text
        passive = self.peer.decode(response.text)
        if passive is not None:
            return passive
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            sent = [m["text"]["content"] for m in self.fake.state.sent if m["touser"] == openid]
            if sent:
                return "\n".join(sent)
            time.sleep(0.2)
        raise AssertionError("no answer through the customer-service API")


@pytest.fixture(scope="module")
def wechat(stack: Stack) -> Iterator[WeChatGateway]:
    with FakeWeChatServer() as fake:
        port = free_port()
        env = {**_settings_env(stack.settings), "WECHAT_APPID": APPID, "WECHAT_TOKEN": TOKEN,
               "WECHAT_AES_KEY": AES_KEY, "WECHAT_APPSECRET": "e2e-secret", "WECHAT_API_BASE": fake.base,
               "COURTBOT_GATEWAY_PORT": str(port), "COURTBOT_SCHEDULER_INTERVAL": "0"}
        gateway = Service("gateway-wechat", [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
                                             "--port", str(port), "--no-access-log"], env,
                          f"http://127.0.0.1:{port}/openapi.json")
        running = Stack(stack.settings, only=[gateway], log=stack.log)
        running.start()
        try:
            running.wait_ready(timeout=60)
            yield WeChatGateway(f"http://127.0.0.1:{port}", WeChatPeer(TOKEN, APPID, AES_KEY), fake, env)
        finally:
            running.stop()


def openid() -> str:
    return "o" + uuid.uuid4().hex[:27]


@pytest.mark.usefixtures("no_case_locks")
def test_case_progress_over_wechat_with_the_real_bot(wechat: WeChatGateway) -> None:
    user = openid()
    said = wechat.answer(user, wechat.post(text_xml(APPID, user,
                                                    "我想查（2024）豫0804民初1566号的进度，我是张伟，手机尾号5678")))
    assert "第三法庭" in said


def test_every_menu_phrase_reaches_its_intent(stack: Stack) -> None:
    token = rasa_token(stack.settings)
    for item in menu_items().values():
        parsed = httpx.post(f"http://127.0.0.1:{stack.settings.rasa_port}/model/parse", params={"token": token},
                            json={"text": item.says}, timeout=10).json()
        assert parsed["intent"]["name"] == item.intent, (item.key, parsed["intent"])


def test_retries_of_a_handoff_open_exactly_one_ticket(wechat: WeChatGateway, sessions) -> None:  # type: ignore[no-untyped-def]
    from tickets.models import Ticket

    user = openid()
    xml = event_xml(APPID, user, "CLICK", "HUMAN_AGENT")

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=30) as client:
            async def one(delay: float) -> httpx.Response:
                await asyncio.sleep(delay)
                query, body = wechat.peer.post(xml)
                return await client.post(f"{wechat.url}/wechat?{query}", content=body)
            return await asyncio.gather(*(one(d) for d in (0, 0, 0.3, 1.0)))

    responses = asyncio.run(burst())
    said = wechat.answer(user, next((r for r in responses if r.text != "success"), responses[0]))
    late = wechat.post(xml)  # a retry after everything finished
    assert late.status_code == 200
    with sessions() as session:
        numbers = list(session.scalars(select(Ticket.number).where(
            Ticket.sender == f"wechat:{sender_for(APPID, user)}")))
    assert len(numbers) == 1 and numbers[0] in said


def test_stalled_rasa_answers_success_then_through_the_customer_service_api(stack: Stack,
                                                                            wechat: WeChatGateway) -> None:
    process = stack.service("rasa").process
    assert process is not None
    user = openid()
    os.killpg(process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        response = wechat.post(text_xml(APPID, user, "诉讼费咋算"))
        assert response.text == "success" and time.monotonic() - started < 4.9
        time.sleep(1.0)
    finally:
        os.killpg(process.pid, signal.SIGCONT)
    said = wechat.answer(user, response, wait=25)
    assert "诉讼费" in said


def test_simulator_cli_signs_encrypts_and_prints_the_reply(wechat: WeChatGateway) -> None:
    result = subprocess.run(["./courtbot", "wechat", "simulate", "--url", wechat.url, "--openid", openid(),
                             "--event", "subscribe"], capture_output=True, text=True, env=wechat.env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "查询案件进度" in result.stdout and "解除绑定" in result.stdout
