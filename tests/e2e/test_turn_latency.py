"""A turn must not get slower as one conversation grows: the 200th answers within 20 % of the 1st."""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable

import httpx

from benchmarks.turn_latency import TURNS, run_conversation, via_gateway


def _timed(send: Callable[[str], None], message: str) -> float:
    started = time.perf_counter()
    send(message)
    return (time.perf_counter() - started) * 1000


def test_turn_200_is_as_fast_as_turn_1(gateway: str) -> None:
    run = uuid.uuid4().hex[:8]
    with httpx.Client(timeout=30) as client:
        long = via_gateway(client, gateway, f"e2e-long-{run}")
        run_conversation(long, 180, "e2e")
        fresh = via_gateway(client, gateway, f"e2e-fresh-{run}")
        late: list[float] = []
        early: list[float] = []
        # Turns 181–200 of the long conversation interleaved with turns 1–20 of a fresh one, same
        # messages: both see the same machine (the stack's scheduler, other load), so only the
        # conversation's length differs. Before the fix turns 181–200 took 4.3 times turns 1–20.
        for i in range(20):
            message = TURNS[(180 + i) % len(TURNS)]
            late.append(_timed(long, message))
            early.append(_timed(fresh, message))
    late_ms, early_ms = statistics.median(late), statistics.median(early)
    assert late_ms <= 1.2 * early_ms, f"turns 181–200: {late_ms:.0f} ms, a fresh conversation: {early_ms:.0f} ms"
