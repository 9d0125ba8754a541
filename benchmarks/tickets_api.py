"""Ticket API latency with 50 concurrent operators, and the supervision sweep over 100,000 open
tickets, both on PostgreSQL in scratch databases (created and dropped here). Writes `tickets-api`.

The gateway runs as its own process (uvicorn, one worker, the scheduler off) on a scratch database
holding 2,000 tickets opened through TicketService; each operator, with its own bearer token, loops:
list a queue, open one of the tickets listed, add a note with the version it saw (a 409 — someone
else was quicker — is a correct answer and timed too). The sweep part bulk-inserts 100,000 open
tickets with SQL and times `sweep_escalations` with none due (the sweep every replica runs each
minute) and with 5 % due (each firing writes the notification, the escalation row and the audit event).

    nice -n 10 python benchmarks/tickets_api.py [--server postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.results import write_section  # noqa: E402
from cli.database import scratch_database  # noqa: E402

OPERATORS = int(os.environ.get("BENCH_OPERATORS", "50"))
ROUNDS = 12
SEED_TICKETS = 2_000
OPEN_TICKETS = 100_000
DUE_SHARE = 20  # every 20th ticket is due: 5 %


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def seed_api_database(url: str) -> list[str]:
    """2,000 tickets across categories and channels; 50 operator tokens."""
    from sqlalchemy.orm import sessionmaker

    from auth.service import AuthService
    from core.db import make_engine
    from tickets.service import NewTicket, TicketService

    engine = make_engine(url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    service = TicketService(sessions)
    rng = random.Random(8)
    kinds = ["转人工", "投诉举报", "涉诉信访", "联系法官", "意见建议", "咨询"]
    for i in range(SEED_TICKETS):
        service.open_ticket(NewTicket(rng.choice(kinds), rng.choice(["web", "wechat", "phone"]), f"bench-{i}",
                                      f"第{i}位来电人询问案件办理情况", transcript=[
                                          {"role": "caller", "text": "我想问一下案子进展"},
                                          {"role": "bot", "text": "已为您转人工"}]))
    auth = AuthService(sessions)
    tokens = []
    for i in range(OPERATORS):
        user = auth.create_user(f"bench-op{i}", "operator", "Bench-pass-2026", f"话务员{i}")
        tokens.append(auth.issue(user, "bearer")[0])
    engine.dispose()
    return tokens


def start_gateway(url: str, port: int, data_dir: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "COURTBOT_SCHEDULER_INTERVAL": "0", "COURTBOT_DATA_DIR": data_dir,
           "PYTHONPATH": str(REPO)}
    with open(Path(data_dir) / "gateway.log", "wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning",
             # a keep-alive shorter than a loaded request makes clients reuse sockets the server closed
             "--timeout-keep-alive", "60"], cwd=REPO, env=env, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/console/login", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the gateway did not start")


async def operators(base: str, tokens: list[str]) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"list": [], "detail": [], "action": []}
    outcomes: dict[int, int] = {}
    limits = httpx.Limits(max_connections=OPERATORS, max_keepalive_connections=OPERATORS)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def one(token: str, seed: int) -> None:
            rng = random.Random(seed)
            headers = {"Authorization": f"Bearer {token}"}
            for _ in range(ROUNDS):
                queue = rng.choice(["unassigned", "awaiting_feedback", "overdue", ""])
                t0 = time.perf_counter()
                listed = await client.get("/api/tickets", params={"queue": queue, "limit": 50}, headers=headers)
                timings["list"].append(time.perf_counter() - t0)
                listed.raise_for_status()
                tickets = listed.json()["tickets"] or (await client.get("/api/tickets", headers=headers)).json()["tickets"]
                number = rng.choice(tickets[:10])["number"]  # the top of a queue: operators collide there
                t0 = time.perf_counter()
                detail = await client.get(f"/api/tickets/{number}", headers=headers)
                timings["detail"].append(time.perf_counter() - t0)
                detail.raise_for_status()
                t0 = time.perf_counter()
                acted = await client.post(f"/api/tickets/{number}/note", headers=headers,
                                          json={"version": detail.json()["version"], "text": "已电话联系来电人"})
                timings["action"].append(time.perf_counter() - t0)
                outcomes[acted.status_code] = outcomes.get(acted.status_code, 0) + 1
                if acted.status_code not in (200, 409):
                    raise SystemExit(f"note answered {acted.status_code}: {acted.text[:200]}")

        started = time.perf_counter()
        timings["_load"] = [os.getloadavg()[0]]
        await asyncio.gather(*(one(t, i) for i, t in enumerate(tokens)))
        timings["_wall"] = [time.perf_counter() - started]
        timings["_load"].append(os.getloadavg()[0])
    timings["_outcomes"] = [float(outcomes.get(200, 0)), float(outcomes.get(409, 0))]
    return timings


def bulk_open_tickets(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"""
            INSERT INTO tickets (number, category, status, priority, channel, sender, summary, caller_verified,
                                 collected, transcript, created_at, assign_due_at, feedback_due_at,
                                 next_escalation_at, escalation_stage, escalation_level, event_count, version)
            SELECT '12368-20261101-' || lpad(g::text, 6, '0'), 'consultation', 'received', 'normal', 'web',
                   'sweep-' || g, '基准测试工单 ' || g, false, '{{}}'::json, '[]'::json,
                   now() - interval '3 days', now() + interval '1 day', now() + interval '3 days',
                   CASE WHEN g % {DUE_SHARE} = 0 THEN now() - interval '1 hour' ELSE now() + interval '1 day' END,
                   'assign#0', 0, 0, 1
            FROM generate_series(1, {OPEN_TICKETS}) AS g"""))
        conn.execute(text("ANALYZE tickets"))
    engine.dispose()


def sweep_times(url: str) -> dict[str, float]:
    from sqlalchemy import func, select
    from sqlalchemy.orm import sessionmaker

    from core.db import make_engine
    from core.timeutil import utcnow
    from tickets.models import Ticket, TicketEscalation
    from tickets.scheduler import sweep_escalations
    from tickets.service import TicketService

    engine = make_engine(url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    service = TicketService(sessions)
    service.calendar.get()
    with sessions() as session:
        open_count = session.scalar(select(func.count()).select_from(Ticket).where(Ticket.status == "received"))
    now = utcnow()
    t0 = time.perf_counter()
    fired = sweep_escalations(service, now)
    due_seconds = time.perf_counter() - t0
    idle = []
    for _ in range(5):
        t0 = time.perf_counter()
        assert sweep_escalations(service, now + timedelta(minutes=1)) == 0
        idle.append(time.perf_counter() - t0)
    with sessions() as session:
        rows = session.scalar(select(func.count()).select_from(TicketEscalation))
    engine.dispose()
    assert rows == fired == OPEN_TICKETS // DUE_SHARE, (rows, fired)
    return {"open": float(open_count or 0), "fired": float(fired), "due_s": due_seconds,
            "idle_ms": statistics.median(idle) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
                        help="a PostgreSQL server where scratch databases may be created")
    args = parser.parse_args()
    if not args.server.startswith(("postgresql", "postgres:")):
        raise SystemExit("this benchmark needs PostgreSQL (--server postgresql://…)")
    from tests.conftest import free_port

    with scratch_database(args.server, "courtbot_bench") as url, tempfile.TemporaryDirectory() as data_dir:
        print("==> seeding tickets and operators", flush=True)
        tokens = seed_api_database(url)
        port = free_port()
        gateway = start_gateway(url, port, data_dir)
        try:
            print(f"==> {OPERATORS} operators × {ROUNDS} rounds", flush=True)
            timings = asyncio.run(operators(f"http://127.0.0.1:{port}", tokens))
        except Exception:
            print((Path(data_dir) / "gateway.log").read_text()[-3000:])
            raise
        finally:
            gateway.terminate()
            gateway.wait(20)
    with scratch_database(args.server, "courtbot_bench") as url:
        print(f"==> {OPEN_TICKETS} open tickets, sweeping", flush=True)
        bulk_open_tickets(url)
        sweep = sweep_times(url)

    rows = []
    for kind, label in (("list", "list a queue (`GET /api/tickets?queue=…`)"),
                        ("detail", "one ticket with transcript and events (`GET /api/tickets/{number}`)"),
                        ("action", "add a note (`POST /api/tickets/{number}/note`, 200 or 409)")):
        values = [v * 1000 for v in timings[kind]]
        rows.append(f"| {label} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 95):.0f} | "
                    f"{percentile(values, 99):.0f} |")
    total = sum(len(timings[k]) for k in ("list", "detail", "action"))
    ok, stale = (int(x) for x in timings["_outcomes"])
    body = (
        f"{OPERATORS} concurrent operators (one bearer token each, `httpx` async client) against one gateway process "
        f"(uvicorn, 1 worker, PostgreSQL 127.0.0.1, scratch database with {SEED_TICKETS:,} tickets), "
        f"{ROUNDS} rounds of list → detail → action each; the client shares the machine's cores with the gateway "
        "and PostgreSQL, and other work: load average "
        f"{timings['_load'][0]:.1f} at the start, {timings['_load'][1]:.1f} at the end.\n\n"
        "| request | n | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n\n"
        f"{total} requests in {timings['_wall'][0]:.1f} s ({total / timings['_wall'][0]:.0f} req/s); notes: "
        f"{ok} written, {stale} refused with 409 because another operator had just changed the ticket.\n\n"
        f"Supervision sweep (`tickets.scheduler.sweep_escalations`, PostgreSQL, {int(sweep['open']):,} open tickets "
        f"bulk-inserted): with none due **{sweep['idle_ms']:.1f} ms** (median of 5; the sweep each replica runs "
        f"every `COURTBOT_SCHEDULER_INTERVAL`); with {int(sweep['fired']):,} due (5 %) **{sweep['due_s']:.1f} s** "
        f"({sweep['fired'] / sweep['due_s']:.0f} escalations/s, each exactly once: the escalation rows equal the "
        "firings)."
    )
    write_section("tickets-api", "Ticket API under 50 operators, supervision sweep over 100,000 open tickets", body)
    print(body)


if __name__ == "__main__":
    main()
