"""`GET /wechat` (URL verification) and `POST /wechat` (messages and events).

The 5-second rule: WeChat waits 5 s for the answer and retries up to three times. The bot's answer
goes back passively when it is ready within WECHAT_PASSIVE_SECONDS (4 s); otherwise the callback
answers `success` at once and the answer follows through the customer-service API. The first arrival
of a message claims it (dedup.py) and is the only one that runs the bot; a retry waits for the
first one's outcome and answers the same way, so the bot never runs twice and no second ticket opens.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from wechatpy.messages import BaseMessage

from channels.wechat import replies
from channels.wechat.dedup import DedupStore, LocalDedup
from channels.wechat.menu import menu_items
from channels.wechat.protocol import Callback, Malformed, Protocol, Refused
from channels.wechat.settings import WeChatSettings
from channels.wechat.texts import messages_for
from channels.wechat.users import WeChatUsers, sender_for
from conversations.conversation import ConversationService, Inbound, Outcome
from conversations.outbound import Outbound

log = logging.getLogger("courtbot.wechat")
router = APIRouter()
CHANNEL = "wechat"
SUCCESS = "success"  # WeChat's "received, no passive reply"
POLL = 0.1
T = TypeVar("T")


def dedup_key(message: BaseMessage, sender: str) -> str:
    """MsgId for messages; events have none, so the user and CreateTime name them (with the event
    and its key: a retry repeats both, two different clicks in one second are two events)."""
    if message.type == "event":
        return f"evt:{sender}:{message.time}:{message.event}:{getattr(message, 'key', '')}"
    return f"msg:{message.id}"


class WeChatChannel:
    def __init__(self, settings: WeChatSettings, protocol: Protocol, dedup: DedupStore, users: WeChatUsers,
                 conversations: ConversationService, outbound: Outbound) -> None:
        self.settings = settings
        self.protocol = protocol
        self.dedup = dedup
        self.users = users
        self.conversations = conversations
        self.outbound = outbound
        self._tasks: set[asyncio.Task[object]] = set()
        self.bot_runs = 0  # turns this process started (the benchmark checks retries never add one)

    async def handle(self, callback: Callback, body: bytes) -> str:
        """The HTTP body to answer: `success` or a (possibly encrypted) passive reply."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.passive_seconds
        message = self.protocol.read(callback, body)
        sender = sender_for(self.users.appid, message.source)
        key = dedup_key(message, sender)
        ttl = self.settings.dedup_seconds
        if not await self._store(self.dedup.claim, key, ttl):
            return await self._retry(callback, message, key, deadline)
        await asyncio.to_thread(self.users.seen, message.source)
        work = self._spawn(self._answer(message, sender))
        try:
            texts = await asyncio.wait_for(asyncio.shield(work), max(deadline - loop.time(), 0.01))
        except TimeoutError:
            await self._store(self.dedup.settle, key, "async", ttl)
            log.info("answer to %s not ready in %.1f s: it goes out through the API", key[:12],
                     self.settings.passive_seconds)
            work.add_done_callback(lambda done: self._spawn(self._push_late(sender, done)))
            return SUCCESS
        chunks = messages_for(texts)
        if not chunks:
            await self._store(self.dedup.settle, key, "none", ttl)
            return SUCCESS
        if not await self._store(self.dedup.settle, key, "passive:" + chunks[0], ttl):
            # A retry gave up waiting for us and told WeChat `success`: the API delivers everything.
            self._spawn(self.outbound.push(CHANNEL, sender, chunks))
            return SUCCESS
        if len(chunks) > 1:  # one passive reply carries one message; the rest follow through the API
            self._spawn(self.outbound.push(CHANNEL, sender, chunks[1:]))
        return self.protocol.reply(callback, message, chunks[0])

    async def _store(self, fn: Callable[..., T], *args: object) -> T:
        """The in-process store answers at once; Redis is I/O and goes to a thread."""
        if isinstance(self.dedup, LocalDedup):
            return fn(*args)
        return await asyncio.to_thread(fn, *args)

    async def _retry(self, callback: Callback, message: BaseMessage, key: str, deadline: float) -> str:
        loop = asyncio.get_running_loop()
        while True:
            outcome = await self._store(self.dedup.outcome, key)
            if outcome is None and loop.time() >= deadline:
                if await self._store(self.dedup.settle, key, "async", self.settings.dedup_seconds):
                    return SUCCESS  # the first arrival now sends its answer through the API
                outcome = await self._store(self.dedup.outcome, key)
            if outcome is not None:
                log.info("retry of %s answered from the first arrival (%s)", key[:12], outcome.partition(":")[0])
                if outcome.startswith("passive:"):
                    return self.protocol.reply(callback, message, outcome.removeprefix("passive:"))
                return SUCCESS
            await asyncio.sleep(POLL)

    async def _answer(self, message: BaseMessage, sender: str) -> list[str]:
        outcome = await self._turn(message, sender)
        return [] if outcome is None or outcome.held else outcome.replies

    async def _turn(self, message: BaseMessage, sender: str) -> Outcome | None:
        def inbound(text: str) -> Inbound:
            return Inbound(CHANNEL, sender, text)

        talk = self.conversations
        timeout = self.settings.answer_seconds
        kind = message.type
        if kind == "text":
            self.bot_runs += 1
            return await talk.converse(inbound(message.content), rasa_timeout=timeout)
        if kind == "voice":
            heard = (getattr(message, "recognition", None) or "").strip()
            if not heard:
                return await talk.without_bot(inbound("[语音，未识别出文字]"), [replies.VOICE_EMPTY])
            self.bot_runs += 1
            return await talk.converse(inbound(heard), rasa_timeout=timeout)
        if kind == "event":
            event = message.event
            if event in ("subscribe", "subscribe_scan"):
                return await talk.without_bot(inbound("[关注公众号]"), [replies.WELCOME])
            if event == "click":
                item = menu_items().get(message.key)
                if item is None:
                    return await talk.without_bot(inbound(f"[菜单 {message.key}]"), [replies.UNKNOWN_MENU])
                self.bot_runs += 1
                return await talk.converse(inbound(item.says), rasa_timeout=timeout)
            return None  # unsubscribe, view (a menu link), scan, location reports: nothing to say
        polite = replies.UNSUPPORTED.get(kind, replies.UNSUPPORTED_OTHER)
        return await talk.without_bot(inbound(f"[{kind}]"), [polite])

    async def _push_late(self, sender: str, done: asyncio.Task[object]) -> None:
        if done.cancelled() or done.exception() is not None:
            log.error("late WeChat answer failed: %s", done.exception() if not done.cancelled() else "cancelled")
            return
        chunks = messages_for(done.result())  # type: ignore[arg-type]
        if chunks:
            await self.outbound.push(CHANNEL, sender, chunks)

    def _spawn(self, coro: Awaitable[object]) -> asyncio.Task[object]:
        task: asyncio.Task[object] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def drain(self, timeout: float = 25.0) -> None:
        """On shutdown: let late answers finish sending rather than losing them (a finished answer
        spawns its push, so wait until nothing is left)."""
        loop = asyncio.get_running_loop()
        until = loop.time() + timeout
        while self._tasks and loop.time() < until:
            await asyncio.wait(set(self._tasks), timeout=until - loop.time())
            await asyncio.sleep(0)  # let done-callbacks spawn what follows


def _channel(request: Request) -> WeChatChannel | None:
    return getattr(request.app.state, "wechat", None)


def _callback(request: Request) -> Callback | None:
    q = request.query_params
    if not (q.get("signature") and q.get("timestamp") and q.get("nonce")):
        return None
    return Callback(q["signature"], q["timestamp"], q["nonce"], q.get("encrypt_type"), q.get("msg_signature"))


def _refuse(request: Request, reason: str) -> Response:
    log.warning("WeChat callback refused (%s) from %s", reason, request.client.host if request.client else "-")
    return PlainTextResponse("签名校验失败，请求已拒绝", status_code=403)


async def _guarded(request: Request, then: Callable[[WeChatChannel, Callback], Awaitable[Response]]) -> Response:
    channel = _channel(request)
    if channel is None:
        return PlainTextResponse("本服务未启用微信公众号渠道", status_code=404)
    callback = _callback(request)
    if callback is None:
        return _refuse(request, "signature, timestamp or nonce missing")
    try:
        channel.protocol.verify(callback)
        return await then(channel, callback)
    except Refused as exc:
        return _refuse(request, str(exc))
    except Malformed as exc:
        log.warning("WeChat callback malformed: %s", exc)
        return PlainTextResponse("消息格式不正确", status_code=400)


@router.get("/wechat", include_in_schema=False)
async def verify_url(request: Request) -> Response:
    async def echo(_channel: WeChatChannel, _callback: Callback) -> Response:
        return PlainTextResponse(request.query_params.get("echostr", ""))

    return await _guarded(request, echo)


@router.post("/wechat", include_in_schema=False)
async def receive(request: Request) -> Response:
    async def process(channel: WeChatChannel, callback: Callback) -> Response:
        body = await _read_limited(request, channel.settings.max_body_bytes)
        if body is None:
            log.warning("WeChat callback refused: body over %s bytes", channel.settings.max_body_bytes)
            return PlainTextResponse("消息过大", status_code=413)
        answer = await channel.handle(callback, body)
        media = "text/plain" if answer == SUCCESS else "application/xml"
        return Response(answer, media_type=media)

    return await _guarded(request, process)


async def _read_limited(request: Request, limit: int) -> bytes | None:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)
