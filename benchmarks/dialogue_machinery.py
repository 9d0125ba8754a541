"""What the dialogue machinery of issue 7 costs per turn; writes section `dialogue_machinery` of RESULTS.md.

    PYTHONPATH=. $(scripts/envs.sh app)/bin/python benchmarks/dialogue_machinery.py --rounds 40

Starts the real stack on its own ports (offset 540) with a fresh seeded database and times, through
POST /api/chat, one turn of each kind of reply the bot now gives:
- a response template picked by a rule (greeting → utter_greet): the baseline;
- a rule → custom action that reads and sets the `topic` slot (court information, a fee question);
- a follow-up answered against the topic in hand (two turns; the second is timed);
- a complaint: rule → custom action → form → ticket written to the database;
and Rasa's own `/model/parse` for the NLU share. Each sample is a fresh conversation, so history
length does not enter (H5a's turn-latency benchmark measures growth).
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

from benchmarks.local_stack import local_stack  # noqa: E402
from benchmarks.results import write_section  # noqa: E402
from core.rasa_token import rasa_token  # noqa: E402

PORT_OFFSET = 540 + int(os.environ.get("COURTBOT_E2E_PORT_OFFSET", "0"))
# kind → (warm-up turns, timed turn, a word the timed reply must contain)
KINDS: dict[str, tuple[list[str], str, str]] = {
    "template reply (rule → utter_greet)": ([], "你好", "诉讼服务"),
    "custom action, court information (rule → action_answer_question)": ([], "法院地址在哪", "建设东路"),
    "custom action, fee rule of the matter's kind": ([], "老板欠我两万工资 告他诉讼费多少", "10元"),
    "follow-up against the topic slot": (["诉前调解怎么申请"], "那得多长时间", "30日"),
    "complaint → form → ticket in the database": ([], "我要投诉立案窗口的工作人员 上午排了三个小时没人管", "12368-"),
    "case query: rule → routing action → form (two action calls)": ([], "我想查一下我的案子进度", "案号"),
    "information → routed to the case form and verified in one turn": (
        [], "（2024）豫0804民初1566号 张伟 尾号5678", "第三法庭"),
}


def say(client: httpx.Client, url: str, sender: str, text: str) -> tuple[str, float]:
    started = time.perf_counter()
    body = client.post(f"{url}/api/chat", json={"sender": sender, "message": text}).json()
    elapsed = (time.perf_counter() - started) * 1000
    if body.get("degraded"):
        raise SystemExit(f"degraded reply to {text!r}: {body}")
    return " ".join(r["text"] for r in body["replies"]), elapsed


def measure(url: str, rasa_url: str, token: str, rounds: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
    samples["NLU only (/model/parse)"] = []
    with httpx.Client(timeout=30) as client:
        for i in range(rounds):
            for kind, (warm_up, turn, marker) in KINDS.items():
                sender = f"bench-{uuid.uuid4().hex[:8]}"
                for text in warm_up:
                    say(client, url, sender, text)
                reply, elapsed = say(client, url, sender, turn)
                if marker not in reply:
                    raise SystemExit(f"{kind}: {turn!r} got {reply!r}")
                samples[kind].append(elapsed)
            started = time.perf_counter()
            parsed = client.post(f"{rasa_url}/model/parse", params={"token": token}, json={"text": "法院地址在哪"})
            parsed.raise_for_status()  # a refused request (no token) would time nothing
            samples["NLU only (/model/parse)"].append((time.perf_counter() - started) * 1000)
            print(f"\rround {i + 1}/{rounds}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return samples


def table(samples: dict[str, list[float]]) -> str:
    base = statistics.median(samples["template reply (rule → utter_greet)"])
    rows = ["| turn | median ms | p90 ms | vs template reply |", "|---|---:|---:|---:|"]
    for kind, values in samples.items():
        ordered = sorted(values)
        p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
        median = statistics.median(values)
        rows.append(f"| {kind} | {median:.0f} | {p90:.0f} | {median - base:+.0f} ms |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    with local_stack(PORT_OFFSET) as running:
        samples = measure(running.gateway_url, running.settings.rasa_url, rasa_token(running.settings), args.rounds)
    body = (
        f"{args.rounds} fresh conversations per kind through `POST /api/chat` (gateway → Rasa → action server), "
        "embedded SQLite, one client at a time.\n\n" + table(samples) + "\n\n"
        "Choice: rules plus slots the actions read (`topic`, `last_ticket`, `pending_request`, `ticket_verified`), "
        "no TEDPolicy — every path of the issue is a rule, so a learnt policy would add its per-turn featurisation "
        "over the whole history for nothing the rules miss. Where the NLU's intent and the message's words disagree "
        "(a case number with an identity read as information, a complaint read as a progress query) an action "
        "re-routes with `FollowupAction` instead of more rules or stories; each action costs one HTTP round trip to "
        "the action server over a template reply (the rows above)."
    )
    write_section("dialogue_machinery", "Dialogue machinery: cost per turn by kind of reply", body)
    print(body)


if __name__ == "__main__":
    main()
