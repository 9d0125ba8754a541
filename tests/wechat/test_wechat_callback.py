"""The WeChat callback under WeChat's rules, with wechatpy signing and encrypting as WeChat does."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from channels.wechat.simulator import event_xml, media_xml, text_xml, voice_xml
from tests.wechat.conftest import APPID, harness

pytestmark = pytest.mark.usefixtures("wechat_env")


def openid() -> str:
    return "o" + uuid.uuid4().hex[:27]


def fresh_id() -> int:
    """MsgIds unique per run: with REDIS_URL the de-duplication keys outlive the test."""
    return uuid.uuid4().int % 10**15


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_url_verification_echoes_only_for_a_good_signature() -> None:
    async def go() -> None:
        async with harness() as h:
            good = await h.client.get(f"/wechat?{h.peer.verify_query('echo-123')}")
            assert good.status_code == 200 and good.text == "echo-123"
            forged = h.peer.verify_query("echo-123").replace("signature=", "signature=0")
            assert (await h.client.get(f"/wechat?{forged}")).status_code == 403
            stale = await h.client.get(f"/wechat?{h.peer.verify_query('x', timestamp=int(time.time()) - 3600)}")
            assert stale.status_code == 403
    run(go())


@pytest.mark.parametrize("mode", ["plain", "compatible", "aes"])
def test_text_in_every_mode_gets_the_bots_answer_passively(mode: str) -> None:
    async def go() -> None:
        async with harness(aes=mode != "plain", compatible=mode == "compatible") as h:
            user = openid()
            response = await h.post(text_xml(APPID, user, "我想查案件进度"))
            assert response.status_code == 200
            assert h.peer.decode(response.text) == "收到：我想查案件进度"
            if mode != "plain":
                assert "<Encrypt>" in response.text and "我想查案件进度" not in response.text
            sent = h.rasa.calls[0]
            # The conversation id is a hash of the OpenID: never the OpenID itself.
            assert sent["sender"].startswith("wechat:") and user not in sent["sender"]
            assert sent["metadata"]["channel"] == "wechat"
    run(go())


def test_same_user_continues_the_same_conversation() -> None:
    async def go() -> None:
        async with harness() as h:
            user = openid()
            await h.post(text_xml(APPID, user, "你好"))
            await h.post(text_xml(APPID, user, "查进度"))
            await h.post(text_xml(APPID, openid(), "你好"))
            senders = [c["sender"] for c in h.rasa.calls]
            assert senders[0] == senders[1] != senders[2]
    run(go())


def test_bad_signature_or_decryption_is_403_and_nothing_runs() -> None:
    async def go() -> None:
        async with harness() as h:
            query, body = h.peer.post(text_xml(APPID, openid(), "伪造"))
            forged = await h.client.post("/wechat?" + query.replace("signature=", "signature=00", 1), content=body)
            assert forged.status_code == 403
            # Right URL signature, but the encrypted body was made with another key.
            from channels.wechat.simulator import WeChatPeer

            other = WeChatPeer(h.peer.token, APPID, "Z" * 43)
            stranger = await h.post(text_xml(APPID, openid(), "伪造"), peer=other)
            assert stranger.status_code == 403
            missing = await h.client.post("/wechat", content=body)
            assert missing.status_code == 403
            stale = await h.post(text_xml(APPID, openid(), "旧消息"), timestamp=int(time.time()) - 3600)
            assert stale.status_code == 403
            assert h.rasa.calls == []
    run(go())


def test_malformed_oversized_and_entity_bodies_are_refused_without_a_500() -> None:
    async def go() -> None:
        async with harness(aes=False) as h:
            for body in ("<xml><ToUserName>", "not xml at all", "<other/>"):
                query, _ = h.peer.post("<xml/>")
                response = await h.client.post(f"/wechat?{query}", content=body.encode())
                assert response.status_code == 400, body
            bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    f'<xml><ToUserName>t</ToUserName><FromUserName>{openid()}</FromUserName>'
                    '<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&b;</Content><MsgId>1</MsgId></xml>')
            xxe = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]>'
                   '<xml><Content>&f;</Content></xml>')
            for body in (bomb, xxe):
                query, _ = h.peer.post("<xml/>")
                assert (await h.client.post(f"/wechat?{query}", content=body.encode())).status_code == 400
            query, _ = h.peer.post("<xml/>")
            huge = await h.client.post(f"/wechat?{query}", content=b"<xml>" + b"a" * 70_000 + b"</xml>")
            assert huge.status_code == 413
            assert h.rasa.calls == []
    run(go())


def test_every_message_type_gets_an_answer_that_fits_it() -> None:
    async def go() -> None:
        async with harness() as h:
            user = openid()
            welcome = h.peer.decode((await h.post(event_xml(APPID, user, "subscribe"))).text)
            assert welcome and "查询案件进度" in welcome and "解除绑定" in welcome
            heard = h.peer.decode((await h.post(voice_xml(APPID, user, "诉讼费咋算"))).text)
            assert heard == "收到：诉讼费咋算"
            unheard = h.peer.decode((await h.post(voice_xml(APPID, user, ""))).text)
            assert unheard and "打字" in unheard
            click = h.peer.decode((await h.post(event_xml(APPID, user, "CLICK", "HUMAN_AGENT"))).text)
            assert click == "收到：转人工"
            unknown = h.peer.decode((await h.post(event_xml(APPID, user, "CLICK", "NO_SUCH_KEY"))).text)
            assert unknown and "暂未开放" in unknown
            image = h.peer.decode((await h.post(media_xml(APPID, user, "image"))).text)
            assert image and "图片" in image
            location = h.peer.decode((await h.post(media_xml(APPID, user, "location"))).text)
            assert location and "法院在哪" in location
            link = h.peer.decode((await h.post(media_xml(APPID, user, "link"))).text)
            assert link and "链接" in link
            video = h.peer.decode((await h.post(media_xml(APPID, user, "video"))).text)
            assert video and "文字" in video
            leave = await h.post(event_xml(APPID, user, "unsubscribe"))
            assert leave.status_code == 200 and leave.text == "success"
            # Only the text-bearing ones reached the bot: voice with text, and the menu click.
            assert [c["message"] for c in h.rasa.calls] == ["诉讼费咋算", "转人工"]
    run(go())


def test_slow_bot_answers_success_at_once_then_through_the_customer_service_api() -> None:
    async def go() -> None:
        async with harness() as h:
            h.rasa.delay = 1.5  # past WECHAT_PASSIVE_SECONDS (0.6 here)
            user = openid()
            started = time.monotonic()
            response = await h.post(text_xml(APPID, user, "我的案子开庭了吗"))
            assert response.text == "success" and time.monotonic() - started < 1.2
            await h.app.state.wechat.drain(5)
            assert h.api.sent == [(user, "收到：我的案子开庭了吗")]
    run(go())


def test_retries_within_and_after_five_seconds_never_run_the_bot_twice() -> None:
    async def go() -> None:
        async with harness() as h:
            user = openid()
            xml = text_xml(APPID, user, "查进度", msg_id=fresh_id())
            # Fast path: the retry after the answer gets the same passive answer, the bot ran once.
            first = h.peer.decode((await h.post(xml)).text)
            again = h.peer.decode((await h.post(xml)).text)
            assert first == again == "收到：查进度" and len(h.rasa.calls) == 1
            # Slow path: retries while the first is still thinking, and after it answered.
            h.rasa.delay = 1.5
            slow = text_xml(APPID, user, "开庭时间", msg_id=fresh_id())
            first_try = asyncio.create_task(h.post(slow))
            await asyncio.sleep(0.3)
            retries = await asyncio.gather(h.post(slow), h.post(slow))
            assert (await first_try).text == "success" and all(r.text == "success" for r in retries)
            await h.app.state.wechat.drain(5)
            late = await h.post(slow)
            assert late.text == "success"
            assert len(h.rasa.calls) == 2 and h.api.sent == [(user, "收到：开庭时间")]
    run(go())


def test_concurrent_duplicates_run_the_bot_once_and_all_get_the_answer() -> None:
    async def go() -> None:
        async with harness() as h:
            h.rasa.delay = 0.2
            xml = text_xml(APPID, openid(), "我要投诉", msg_id=fresh_id())
            answers = await asyncio.gather(*(h.post(xml) for _ in range(5)))
            assert [h.peer.decode(a.text) for a in answers] == ["收到：我要投诉"] * 5
            assert len(h.rasa.calls) == 1
            # Events have no MsgId: the user and CreateTime name them.
            user, at = openid(), int(time.time())
            clicks = await asyncio.gather(*(h.post(event_xml(APPID, user, "CLICK", "COMPLAINT", at=at))
                                            for _ in range(3)))
            assert all(h.peer.decode(c.text) == "收到：我要投诉" for c in clicks)
            assert len(h.rasa.calls) == 2
    run(go())


def test_long_replies_are_split_to_wechats_limit() -> None:
    async def go() -> None:
        async with harness() as h:
            h.rasa.reply = "。".join(f"第{i}条说明，请按本院诉讼服务中心的要求准备相应材料" for i in range(120)) + "。"
            user = openid()
            passive = h.peer.decode((await h.post(text_xml(APPID, user, "立案要带什么"))).text)
            await h.app.state.wechat.drain(5)
            parts = [passive or ""] + [text for _, text in h.api.sent]
            assert len(parts) >= 3 and all(len(p.encode()) <= 2048 for p in parts)
            assert "".join(parts).replace("\n", "") == h.rasa.reply
    run(go())


def test_redis_de_duplication_is_shared_and_survives_redis_going_away() -> None:
    import redis

    from channels.wechat.dedup import RedisDedup

    url = "redis://127.0.0.1:6379/0"
    key = f"test:{uuid.uuid4().hex}"
    replica_a, replica_b = RedisDedup(redis.Redis.from_url(url)), RedisDedup(redis.Redis.from_url(url))
    assert replica_a.claim(key, 30) and not replica_b.claim(key, 30)
    assert replica_b.settle(key, "passive:好的", 30) and not replica_a.settle(key, "async", 30)
    assert replica_a.outcome(key) == "passive:好的"
    gone = RedisDedup(redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2))
    assert gone.claim(key, 30) and not gone.claim(key, 30)
