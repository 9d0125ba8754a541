"""100 concurrent WeChat users against the real stack; writes section `wechat_load` of RESULTS.md.

Each user sends two messages in turn — a full case-progress request (identity check and report) and
a menu CLICK 转人工 (opens a ticket) — signed and encrypted as WeChat does (wechatpy). Every
message is also retried as WeChat would: once 1 s after the original (within the 5 s) and once 5.5 s
after it. Time to reply: the passive answer's arrival, or the customer-service message's arrival at
the loopback stand-in of WeChat's API (channels/wechat/fake_server.py). Afterwards the database says
how many times the bot ran per message and how many tickets each user got.

    PYTHONPATH=. $(scripts/envs.sh app)/bin/python benchmarks/wechat_load.py [--users 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections import Counter

import httpx
from sqlalchemy import create_engine, func, select

from benchmarks.results import write_section
from channels.wechat.fake_server import FakeWeChatServer
from channels.wechat.simulator import WeChatPeer, event_xml, text_xml
from channels.wechat.users import sender_for

PORT_OFFSET = 430
TOKEN, APPID, AES_KEY = "benchWeChatToken", "wxbench00000000001", "BenchWeChatAesKey0123456789abcdefghijklmnop"
CASE_TURN = "我想查（2024）豫0804民初1566号的进度，我是张伟，手机尾号5678"
RETRY_AFTER = (1.0, 5.5)


class Load:
    def __init__(self, url: str, fake: FakeWeChatServer) -> None:
        self.url = url
        self.fake = fake
        self.peer = WeChatPeer(TOKEN, APPID, AES_KEY)
        self.latencies: list[float] = []
        self.routes: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()

    async def _post(self, client: httpx.AsyncClient, xml: str) -> httpx.Response:
        query, body = self.peer.post(xml)
        return await client.post(f"{self.url}/wechat?{query}", content=body)

    async def message(self, client: httpx.AsyncClient, openid: str, xml: str, already_sent: int) -> None:
        started = time.monotonic()
        retries = [asyncio.create_task(self._retry(client, xml, delay)) for delay in RETRY_AFTER]
        response = await self._post(client, xml)
        if response.status_code != 200:
            self.errors[f"HTTP {response.status_code}"] += 1
        elif response.text != "success":
            self.latencies.append(time.monotonic() - started)
            self.routes["passive"] += 1
        else:
            while time.monotonic() - started < 60:
                if sum(1 for m in self.fake.state.sent if m["touser"] == openid) > already_sent:
                    self.latencies.append(time.monotonic() - started)
                    self.routes["customer-service API"] += 1
                    break
                await asyncio.sleep(0.05)
            else:
                self.errors["no answer in 60 s"] += 1
        await asyncio.gather(*retries)

    async def _retry(self, client: httpx.AsyncClient, xml: str, delay: float) -> None:
        await asyncio.sleep(delay)
        response = await self._post(client, xml)
        if response.status_code != 200:
            self.errors[f"retry HTTP {response.status_code}"] += 1

    async def user(self, client: httpx.AsyncClient, openid: str) -> None:
        sent = lambda: sum(1 for m in self.fake.state.sent if m["touser"] == openid)  # noqa: E731
        await self.message(client, openid, text_xml(APPID, openid, CASE_TURN), sent())
        await self.message(client, openid, event_xml(APPID, openid, "CLICK", "HUMAN_AGENT"), sent())

    async def run(self, users: list[str]) -> float:
        limits = httpx.Limits(max_connections=len(users) * 3, max_keepalive_connections=len(users))
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            started = time.monotonic()
            await asyncio.gather(*(self.user(client, u) for u in users))
            return time.monotonic() - started


def duplicates(database_url: str, users: list[str]) -> tuple[int, int, int, int, Counter[str], int]:
    """(messages the bot ran more than once, users with more than one ticket, users with none, bot runs,
    turns answered degraded, users with no ticket whose 转人工 turn was one of them)."""
    from conversations.models import ChatMessage
    from core.config import Settings
    from tickets.models import Ticket

    engine = create_engine(Settings(DATABASE_URL=database_url).sqlalchemy_url)
    senders = [sender_for(APPID, u) for u in users]
    with engine.connect() as conn:
        runs = conn.execute(select(ChatMessage.sender, ChatMessage.text, func.count()).where(
            ChatMessage.channel == "wechat", ChatMessage.direction == "in", ChatMessage.sender.in_(senders))
            .group_by(ChatMessage.sender, ChatMessage.text)).all()
        tickets = dict(conn.execute(select(Ticket.sender, func.count()).where(
            Ticket.sender.in_([f"wechat:{s}" for s in senders])).group_by(Ticket.sender)).all())
        degraded = conn.execute(select(ChatMessage.sender, ChatMessage.text, ChatMessage.error).where(
            ChatMessage.channel == "wechat", ChatMessage.direction == "in", ChatMessage.sender.in_(senders),
            ChatMessage.status.in_(("timeout", "undelivered")))).all()
    engine.dispose()
    twice = sum(1 for *_k, n in runs if n > 1)
    missing = [s for s in senders if f"wechat:{s}" not in tickets]
    handoff_degraded = {sender for sender, text, _error in degraded if text == "转人工"}
    return (twice, sum(1 for n in tickets.values() if n > 1), len(missing), sum(n for *_k, n in runs),
            Counter(str(error) for *_k, error in degraded), sum(1 for s in missing if s in handoff_degraded))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--database-url", help="PostgreSQL server for the own stack (default SQLite)")
    parser.add_argument("--redis-url", help="Redis (shared de-duplication, token and trackers)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()
    from benchmarks.local_stack import local_stack

    load_avg = os.getloadavg()[0]
    users = ["o" + uuid.uuid4().hex[:27] for _ in range(args.users)]
    with FakeWeChatServer() as fake:
        os.environ.update({"WECHAT_APPID": APPID, "WECHAT_TOKEN": TOKEN, "WECHAT_AES_KEY": AES_KEY,
                           "WECHAT_APPSECRET": "bench-secret", "WECHAT_API_BASE": fake.base,
                           "COURTBOT_SCHEDULER_INTERVAL": "0"})
        with local_stack(PORT_OFFSET, args.database_url, args.redis_url) as running:
            load = Load(running.gateway_url, fake)
            wall = asyncio.run(load.run(users))
            twice, extra_tickets, no_ticket, runs, degraded, explained = duplicates(running.database_url, users)
    lat = load.latencies
    backends = f"{'PostgreSQL' if args.database_url else 'SQLite'}, {'Redis' if args.redis_url else 'no Redis'}"
    body = "\n".join([
        "| measure | value |", "|---|---|",
        f"| users (concurrent) / messages / requests incl. retries | {args.users} / {2 * args.users} / "
        f"{2 * args.users * (1 + len(RETRY_AFTER))} |",
        f"| time to reply p50 / p99 / max | {statistics.median(lat):.2f} s / {percentile(lat, 0.99):.2f} s / "
        f"{max(lat):.2f} s |",
        f"| answered passively / through the customer-service API | {load.routes['passive']} / "
        f"{load.routes['customer-service API']} |",
        f"| errors | {sum(load.errors.values())} {dict(load.errors) or ''} |",
        f"| bot runs (one per message expected) | {runs} |",
        f"| messages the bot ran twice | {twice} |",
        f"| turns answered degraded, message kept as work (why) | {sum(degraded.values())} "
        f"{dict(degraded) or ''} |",
        f"| users with a second ticket / with no ticket (of these, 转人工 answered degraded) | {extra_tickets} / "
        f"{no_ticket} ({explained}) |",
        f"| wall time | {wall:.1f} s |",
    ])
    print(body)
    if not args.no_write:
        name = "wechat_load" + ("" if args.users == 100 else f"_{args.users}_users") + (
            "_postgres" if args.database_url else "") + ("_redis" if args.redis_url else "")
        write_section(
            name, f"WeChat channel: {args.users} concurrent users, retries as WeChat makes them ({backends})",
            f"Own stack ({backends}) with one gateway; each user sends a full case-progress request, then "
            "the menu's 转人工 (a ticket); each message retried 1 s and 5.5 s after the original. Passive reply "
            "within 4 s, else `success` and the customer-service API (loopback stand-in of WeChat's servers, "
            "real wechatpy HTTP client). All users verify for the same demo case, so their identity checks "
            "serialise on that case's row lock. 2 cores shared with other work (1-minute load average at the start: "
            f"{load_avg:.1f}).\n\n" + body,
        )


if __name__ == "__main__":
    main()
