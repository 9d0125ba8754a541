"""Latency of the case-progress conversation through POST /api/chat against a running stack.

    ./courtbot run &   # or any running gateway
    PYTHONPATH=. $(scripts/envs.sh app)/bin/python benchmarks/chat_latency.py --rounds 30

Each round is a fresh sender doing: greeting → ask for progress → case number → name → phone tail.
Reports p50/p95/max per request and per whole conversation.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

import httpx

TURNS = ["你好", "我想查一下案件进度", "（2024）豫0804民初1566号", "张伟", "5678"]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    per_request: list[float] = []
    per_conversation: list[float] = []
    with httpx.Client(timeout=30) as client:
        for i in range(args.rounds):
            sender = f"bench-{uuid.uuid4().hex[:8]}"
            started = time.perf_counter()
            for turn in TURNS:
                t0 = time.perf_counter()
                reply = client.post(f"{args.url}/api/chat", json={"sender": sender, "message": turn}).json()
                per_request.append((time.perf_counter() - t0) * 1000)
                if reply.get("degraded"):
                    raise SystemExit(f"degraded reply in round {i}: {reply}")
            last = " ".join(r["text"] for r in reply["replies"])
            if "第三法庭" not in last:
                raise SystemExit(f"conversation {i} did not end in the report: {last}")
            per_conversation.append((time.perf_counter() - started) * 1000)
            print(f"\rround {i + 1}/{args.rounds}", end="", flush=True)
    print()
    print(f"requests: n={len(per_request)} p50={percentile(per_request, 50):.1f} ms "
          f"p95={percentile(per_request, 95):.1f} ms max={max(per_request):.1f} ms "
          f"mean={statistics.mean(per_request):.1f} ms")
    print(f"conversations: n={len(per_conversation)} p50={percentile(per_conversation, 50):.1f} ms "
          f"p95={percentile(per_conversation, 95):.1f} ms")


if __name__ == "__main__":
    main()
