"""WeChat's outbound API through the real HTTP client (wechatpy) against a loopback stand-in:
one token shared by replicas, expired tokens, the 48-hour window, rate limits → operator work."""

from __future__ import annotations

import asyncio
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import redis

from channels.wechat.api import HttpWeChatAPI, SharedTokenClient, WeChatAPIError
from channels.wechat.fake_server import FakeWeChatServer
from channels.wechat.push import WeChatPush
from channels.wechat.users import WeChatUsers
from conversations.models import WeChatUser
from conversations.outbound import Outbound
from conversations.service import MessageLog
from core.timeutil import utcnow
from tickets.service import TicketService

REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture()
def fake() -> FakeWeChatServer:  # type: ignore[misc]
    with FakeWeChatServer() as server:
        yield server


def replica(fake: FakeWeChatServer, appid: str, client: redis.Redis | None) -> HttpWeChatAPI:
    return HttpWeChatAPI(SharedTokenClient(appid, "secret", fake.base, 2.0, client))


def test_replicas_share_one_token_and_refresh_it_once(fake: FakeWeChatServer) -> None:
    client = redis.Redis.from_url(REDIS, decode_responses=True)
    appid = f"wx{uuid.uuid4().hex[:16]}"
    replicas = [replica(fake, appid, client) for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: replicas[i % 4].send_text("openid-1", f"消息{i}"), range(16)))
    assert fake.state.token_fetches == 1 and len(fake.state.sent) == 16
    # WeChat expires the token (another system refreshed it): the first replica to hear 40001
    # refreshes once; the others pick the new token up instead of refreshing again.
    # Several rounds, so threads of one replica interleave (one thread's fresh token must not pass
    # for another thread's stale one).
    for round_ in range(1, 6):
        fake.state.current_token = "revoked"
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: replicas[i % 4].send_text("openid-1", f"又一条{i}"), range(16)))
        assert fake.state.token_fetches == 1 + round_ and len(fake.state.sent) == 16 + 16 * round_


def test_a_token_wechat_keeps_refusing_fails_the_call_instead_of_looping(fake: FakeWeChatServer) -> None:
    api = replica(fake, f"wx{uuid.uuid4().hex[:16]}", None)
    fake.state.fail_with = [40001] * 10
    with pytest.raises(WeChatAPIError) as failed:
        api.send_text("openid-3", "你好")
    assert failed.value.code == 40001
    assert fake.state.token_fetches == 3 and len(fake.state.fail_with) == 7  # first fetch + 2 refreshes


def test_api_errors_carry_their_code(fake: FakeWeChatServer) -> None:
    api = replica(fake, f"wx{uuid.uuid4().hex[:16]}", None)
    fake.state.fail_with = [45047]
    with pytest.raises(WeChatAPIError) as failed:
        api.send_text("openid-2", "你好")
    assert failed.value.code == 45047


def _user(sessions, appid: str, hours_ago: int) -> str:  # type: ignore[no-untyped-def]
    users = WeChatUsers(sessions, appid)
    openid = "o" + uuid.uuid4().hex[:20]
    sender = users.seen(openid)
    with sessions.begin() as session:
        session.get(WeChatUser, sender).last_inbound_at = utcnow() - timedelta(hours=hours_ago)
    return sender


@pytest.mark.parametrize("template", [None, "TEMPLATE-1"])
def test_outside_the_48_hour_window_a_template_or_an_operator_task(sessions, fake: FakeWeChatServer,  # type: ignore[no-untyped-def]
                                                                   template: str | None) -> None:
    appid = f"wx{uuid.uuid4().hex[:16]}"
    push = WeChatPush(replica(fake, appid, None), WeChatUsers(sessions, appid), template)
    tickets = TicketService(sessions)
    outbound = Outbound(MessageLog(sessions), tickets, {"wechat": push})
    sender = _user(sessions, appid, hours_ago=60)
    delivery = asyncio.run(outbound.deliver("wechat", sender, ["您的工单已办结，请对办理结果评分（1-5分）。"],
                                            "courtbot:revisit", "revisit"))
    assert fake.state.sent == []
    if template:
        assert delivery.status == "sent" and delivery.route == "template"
        assert fake.state.templates[0]["template_id"] == template
        assert "评分" in fake.state.templates[0]["data"]["keyword1"]["value"]
    else:
        assert delivery.status == "failed" and delivery.ticket_number
        ticket = tickets.get(delivery.ticket_number)
        assert ticket is not None and ticket.category == "undelivered" and "评分" in ticket.summary


@pytest.mark.parametrize("code", [45015, 45047, 45009])
def test_wechat_refusals_keep_the_message_as_operator_work(sessions, fake: FakeWeChatServer, code: int) -> None:  # type: ignore[no-untyped-def]
    appid = f"wx{uuid.uuid4().hex[:16]}"
    push = WeChatPush(replica(fake, appid, None), WeChatUsers(sessions, appid), None)
    tickets = TicketService(sessions)
    messages = MessageLog(sessions)
    sender = _user(sessions, appid, hours_ago=1)
    fake.state.fail_with = [code]
    delivery = asyncio.run(Outbound(messages, tickets, {"wechat": push}).deliver(
        "wechat", sender, ["工作人员：您好，材料已收到。"], "operator:op1"))
    assert delivery.status == "failed" and str(code) in (delivery.error or "")
    ticket = tickets.get(delivery.ticket_number or "")
    assert ticket is not None and "材料已收到" in ticket.summary
    stored = messages.since("wechat", sender)
    assert [m.status for m in stored] == ["failed"] and stored[0].author == "operator:op1"
