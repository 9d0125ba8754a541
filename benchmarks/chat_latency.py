"""Latency of the case-progress conversation through POST /api/chat; writes section `chat_latency` of RESULTS.md.

    PYTHONPATH=. $(scripts/envs.sh app)/bin/python benchmarks/chat_latency.py --rounds 30      # own stack
    PYTHONPATH=. $(scripts/envs.sh app)/bin/python benchmarks/chat_latency.py --url http://127.0.0.1:8000

Without --url the real stack is started on its own ports (gateway 18230, Rasa 15235, actions 15285) with a
fresh seeded database, so a running `make run` or the e2e suite is not disturbed.
Each round is a fresh sender doing: greeting → ask for progress → case number → name → phone tail, and
must end in the progress report (the courtroom of the next hearing). Reports p50/p95/max per request and
per whole conversation.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.results import write_section  # noqa: E402

TURNS = ["你好", "我想查一下案件进度", "（2024）豫0804民初1566号", "张伟", "5678"]
REPORT_MARKER = "第三法庭"  # the next hearing's courtroom of the demo case: only the report says it
PORT_OFFSET = 230  # H2's e2e offset + 30: never the e2e suite's ports


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(url: str, rounds: int) -> tuple[list[float], list[float]]:
    per_request: list[float] = []
    per_conversation: list[float] = []
    with httpx.Client(timeout=30) as client:
        for i in range(rounds):
            sender = f"bench-{uuid.uuid4().hex[:8]}"
            started = time.perf_counter()
            reply: dict = {}
            for turn in TURNS:
                t0 = time.perf_counter()
                reply = client.post(f"{url}/api/chat", json={"sender": sender, "message": turn}).json()
                per_request.append((time.perf_counter() - t0) * 1000)
                if reply.get("degraded"):
                    raise SystemExit(f"degraded reply in round {i + 1}: {reply}")
            last = " ".join(r["text"] for r in reply["replies"])
            if REPORT_MARKER not in last:
                raise SystemExit(f"conversation {i + 1} did not end in the progress report: {last}")
            per_conversation.append((time.perf_counter() - started) * 1000)
            print(f"\rround {i + 1}/{rounds}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return per_request, per_conversation


def table(per_request: list[float], per_conversation: list[float]) -> str:
    def row(name: str, values: list[float]) -> str:
        return (f"| {name} | {len(values)} | {percentile(values, 50):.0f} | {percentile(values, 95):.0f} | "
                f"{max(values):.0f} | {statistics.mean(values):.0f} |")

    return "\n".join([
        "| what | n | p50 ms | p95 ms | max ms | mean ms |",
        "|---|---|---|---|---|---|",
        row("one request", per_request),
        row(f"whole conversation ({len(TURNS)} turns)", per_conversation),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running gateway; default: start the stack on own ports")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database-url", help="PostgreSQL server for the own stack (default SQLite)")
    parser.add_argument("--redis-url", help="Redis for the own stack's tracker store")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()
    load = os.getloadavg()[0]  # the machine is shared: say how busy it was
    if args.url:
        where = f"against the running gateway {args.url}"
        per_request, per_conversation = measure(args.url, args.rounds)
    else:
        from benchmarks.local_stack import local_stack

        with local_stack(PORT_OFFSET, args.database_url, args.redis_url) as running:
            backends = f"{'PostgreSQL' if args.database_url else 'SQLite'}, {'Redis' if args.redis_url else 'no Redis'}"
            where = f"against its own stack ({backends}), started for the run"
            per_request, per_conversation = measure(running.gateway_url, args.rounds)
    body = table(per_request, per_conversation)
    print(body)
    if not args.no_write:
        write_section(
            "chat_latency", "`/api/chat` latency, case-progress conversation",
            f"{args.rounds} rounds {where}; each a fresh sender: {' → '.join(TURNS)}, ending in the "
            "progress report. Wall-clock per HTTP request from the client; 2 cores shared with whatever "
            f"else runs (1-minute load average at the start: {load:.1f}).\n\n" + body,
        )


if __name__ == "__main__":
    main()
