"""The gateway with its WeChat channel, driven by wechatpy as WeChat's side (channels/wechat/simulator.py).
Rasa is stubbed at its HTTP edge (httpx MockTransport in the Rasa client) so a test can slow it down;
the real stack's WeChat path is tests/e2e/test_wechat_stack.py. WeChat's API is the recording fake."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from channels.wechat.api import RecordingWeChatAPI
from channels.wechat.settings import get_wechat_settings
from channels.wechat.simulator import WeChatPeer
from core.config import get_settings
from tests.conftest import free_port

TOKEN = "courtbotTestToken"
APPID = "wx1234567890abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


@dataclass
class FakeRasa:
    """Answers like Rasa's REST webhook: '收到：<message>' after `delay` seconds; counts every call."""

    delay: float = 0.0
    calls: list[dict[str, Any]] = field(default_factory=list)
    reply: str | None = None

    async def handler(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.calls.append(body)
        await asyncio.sleep(self.delay)
        return httpx.Response(200, json=[{"recipient_id": body["sender"], "text": self.reply or f"收到：{body['message']}"}])


@dataclass
class Harness:
    app: Any
    client: httpx.AsyncClient
    rasa: FakeRasa
    api: RecordingWeChatAPI
    peer: WeChatPeer

    async def post(self, xml: str, peer: WeChatPeer | None = None, **kw: Any) -> httpx.Response:
        query, body = (peer or self.peer).post(xml, **kw)
        return await self.client.post(f"/wechat?{query}", content=body, headers={"content-type": "text/xml"})


@pytest.fixture()
def wechat_env(configured: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for key, value in {"WECHAT_APPID": APPID, "WECHAT_TOKEN": TOKEN, "WECHAT_AES_KEY": AES_KEY,
                       "WECHAT_APPSECRET": "test-secret", "WECHAT_PASSIVE_SECONDS": "0.6",
                       "COURTBOT_RASA_PORT": str(free_port()), "COURTBOT_ACTIONS_PORT": str(free_port()),
                       "COURTBOT_SCHEDULER_INTERVAL": "0"}.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    get_wechat_settings.cache_clear()
    yield
    get_settings.cache_clear()
    get_wechat_settings.cache_clear()


@asynccontextmanager
async def harness(aes: bool = True, compatible: bool = False) -> AsyncIterator[Harness]:
    from api.main import create_app

    app = create_app()
    async with app.router.lifespan_context(app):
        rasa = FakeRasa()
        app.state.rasa._client = httpx.AsyncClient(transport=httpx.MockTransport(rasa.handler),
                                                   params={"token": "t"})
        api = RecordingWeChatAPI()
        app.state.outbound.pushers["wechat"].api = api
        peer = WeChatPeer(TOKEN, APPID, AES_KEY if aes else None, compatible=compatible)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://wechat.test", timeout=30) as client:
            yield Harness(app, client, rasa, api, peer)
            await app.state.wechat.drain(5)
