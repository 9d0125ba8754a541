"""A turn must not get slower as one conversation grows: the 200th answers within 20 % of the 1st."""

from __future__ import annotations

import httpx

from benchmarks.turn_latency import block_medians, run_conversation, via_gateway


def test_turn_200_is_as_fast_as_turn_1(gateway: str) -> None:
    with httpx.Client(timeout=30) as client:
        latencies = run_conversation(via_gateway(client, gateway, "e2e-long-conversation"), 200, "e2e")
    medians = block_medians(latencies)  # turns 1–20, 21–40, …, 181–200
    # Before the fix turns 181–200 took 4.3 times turns 1–20; sessions now restart every
    # COURTBOT_SESSION_MAX_TURNS (20) quiet turns, so every block of 20 is one whole session.
    assert medians[-1] <= 1.2 * medians[0], f"block medians (ms): {[round(m) for m in medians]}"
