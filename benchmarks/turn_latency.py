"""Does a turn get slower as one conversation grows? 200 turns of ONE conversation, timed per turn.

    PYTHONPATH=. $(scripts/envs.sh app)/bin/python benchmarks/turn_latency.py            # own stack
    PYTHONPATH=. $(scripts/envs.sh app)/bin/python benchmarks/turn_latency.py --no-write \
        --url http://127.0.0.1:8000 --rasa-url http://127.0.0.1:5005                    # running stack

Two paths, each with its own conversation id: through the gateway (`POST /api/chat`, which adds
channel metadata) and straight to Rasa's REST webhook without metadata. The caller cycles through
questions that open no ticket and start no form, as a caller keeping one WeChat id over weeks would.
Prints and writes (section `turn_latency` of RESULTS.md) the median of every block of 20 turns.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.results import write_section  # noqa: E402

# Questions answered in one turn: no form, no ticket, so the history grows by the same events a turn.
TURNS = ("你好", "立案要带什么材料", "诉讼费怎么交", "调解是怎么回事", "谢谢", "要回五万块诉讼费多少钱", "好的")
BLOCK = 20
PORT_OFFSET = 410  # H5a's e2e offset + 10: never the e2e suite's ports


def block_medians(latencies_ms: list[float], block: int = BLOCK) -> list[float]:
    return [statistics.median(latencies_ms[i:i + block]) for i in range(0, len(latencies_ms), block)]


def growth(latencies_ms: list[float], block: int = BLOCK) -> float:
    """Median of the last block over the median of the first (1.0 = flat)."""
    medians = block_medians(latencies_ms, block)
    return medians[-1] / medians[0]


def run_conversation(send: Callable[[str], None], turns: int, label: str) -> list[float]:
    latencies: list[float] = []
    for i in range(turns):
        started = time.perf_counter()
        send(TURNS[i % len(TURNS)])
        latencies.append((time.perf_counter() - started) * 1000)
        if (i + 1) % 10 == 0:
            print(f"\r{label}: turn {i + 1}/{turns}, last {latencies[-1]:.0f} ms", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return latencies


def via_gateway(client: httpx.Client, url: str, sender: str) -> Callable[[str], None]:
    def send(message: str) -> None:
        response = client.post(f"{url}/api/chat", json={"sender": sender, "message": message})
        response.raise_for_status()
        if response.json().get("degraded"):
            raise SystemExit(f"the gateway answered for Rasa (degraded) at '{message}'")
    return send


def direct_to_rasa(client: httpx.Client, url: str, token: str | None, sender: str) -> Callable[[str], None]:
    params = {"token": token} if token else {}

    def send(message: str) -> None:
        response = client.post(f"{url}/webhooks/rest/webhook", params=params,
                               json={"sender": sender, "message": message})
        response.raise_for_status()
        if not response.json():
            raise SystemExit(f"Rasa returned no reply at '{message}'")
    return send


def measure(gateway: str, rasa: str, token: str | None, turns: int) -> dict[str, list[float]]:
    run = uuid.uuid4().hex[:8]
    with httpx.Client(timeout=30) as client:
        return {
            "gateway (`POST /api/chat`, channel metadata)":
                run_conversation(via_gateway(client, gateway, f"turns-{run}"), turns, "gateway"),
            "Rasa REST webhook, no metadata":
                run_conversation(direct_to_rasa(client, rasa, token, f"rest:turns-{run}"), turns, "rasa"),
        }


def table(results: dict[str, list[float]]) -> str:
    turns = len(next(iter(results.values())))
    header = "| turns | " + " | ".join(results) + " |"
    lines = [header, "|---|" + "---:|" * len(results)]
    medians = {name: block_medians(values) for name, values in results.items()}
    for b in range(0, turns, BLOCK):
        row = [f"{medians[name][b // BLOCK]:.0f} ms" for name in results]
        lines.append(f"| {b + 1}–{min(b + BLOCK, turns)} | " + " | ".join(row) + " |")
    lines.append("| last / first block | " + " | ".join(f"{growth(v):.2f}×" for v in results.values()) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running gateway; default: start the stack on own ports")
    parser.add_argument("--rasa-url", help="its Rasa server (with --url)")
    parser.add_argument("--rasa-token", help="Rasa's API token (with --url; default: the data dir's)")
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--database-url", help="PostgreSQL server for the own stack (default SQLite)")
    parser.add_argument("--redis-url", help="Redis for the own stack's tracker store")
    parser.add_argument("--note", default="", help="a line written above the table (what was measured)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    parser.add_argument("--section", default="turn_latency", help="RESULTS.md section to write (e.g. a baseline's)")
    args = parser.parse_args()
    load = os.getloadavg()[0]

    if args.url:
        from core.rasa_token import rasa_token

        if not args.rasa_url:
            parser.error("--url needs --rasa-url")
        results = measure(args.url, args.rasa_url, args.rasa_token or rasa_token(), args.turns)
    else:
        from benchmarks.local_stack import local_stack
        from core.rasa_token import rasa_token

        with local_stack(PORT_OFFSET, args.database_url, args.redis_url) as running:
            results = measure(running.gateway_url, running.settings.rasa_url, rasa_token(running.settings),
                              args.turns)
    body = table(results)
    print(body)
    if not args.no_write:
        note = (args.note + "\n\n") if args.note else ""
        write_section(
            args.section, f"Turn latency over one {args.turns}-turn conversation"
            + ("" if args.section == "turn_latency" else f" ({args.section})"),
            note + "Median per block of 20 turns. One caller, one conversation id, questions that open no "
            f"ticket. Load average when it started: {load:.1f} on {os.cpu_count()} cores (absolute figures move "
            "with it; the last/first ratio is the measure).\n\n" + body,
        )


if __name__ == "__main__":
    main()
