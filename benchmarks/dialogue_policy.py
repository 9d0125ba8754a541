"""Rules + slots against rules + TEDPolicy, measured (issue 7); writes section `dialogue_policy` of RESULTS.md.

    PYTHONPATH=. nice -n 10 $(scripts/envs.sh app)/bin/python benchmarks/dialogue_policy.py --rounds 15

Both variants are built from one copy of bot/ and nlu/ taken at the start (the checkout may change meanwhile):
- "rules + slots": the copy as it is, i.e. today's model (its hash is the checkout's, so the cached model serves);
- "rules + TEDPolicy": the copy with a TEDPolicy in config.yml (Rasa 3.6 defaults, max_history 5, `--epochs`)
  and benchmarks/dialogue_policy_stories.yml as data/stories.yml; cached in MODEL_CACHE/dialogue_policy/.

For each: training of the dialogue policies (`rasa train core`, empty Rasa cache: the part that differs, the
NLU pipeline and its data are the same), model size, latency through POST /api/chat of the reply kinds of
benchmarks/dialogue_machinery.py, turns 1–10 against 91–100 of one long conversation (sessions cut after
COURTBOT_SESSION_MAX_TURNS caller turns as deployed, then never cut, for what featurising a long history
costs), and the development dialogue suite's task success (tests/dialogues/*.yml, not the held-out set).
Both stacks run at once and the timed turns alternate between them, so a shared machine's load falls on
both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.dialogue_machinery import KINDS  # noqa: E402
from benchmarks.dialogue_suite import Verdict, failure_kinds, load_suite, wilson_interval  # noqa: E402
from benchmarks.dialogues import run_suite  # noqa: E402
from benchmarks.local_stack import RunningStack, local_stack  # noqa: E402
from benchmarks.results import write_section  # noqa: E402
from benchmarks.turn_latency import TURNS  # noqa: E402
from cli.paths import BOT_DIR, MODEL_CACHE, NLU_DIR, venv  # noqa: E402
from cli.training import ensure_model, rasa_env  # noqa: E402
from conversations.retention import TRACKER_DB_NAME  # noqa: E402

STORIES = Path(__file__).resolve().parent / "dialogue_policy_stories.yml"
VARIANT_CACHE = MODEL_CACHE / "dialogue_policy"
RULES, TED = "rules + slots (today)", "rules + TEDPolicy"
# One stack per variant, past dialogue_machinery's 540, shifted like the e2e stack.
PORT_OFFSETS = {RULES: 560, TED: 580}
UNCUT_SESSIONS = {"COURTBOT_SESSION_MAX_TURNS": "100000"}
EDGE = 10  # turns 1–EDGE against the last EDGE turns of the long conversation


@dataclass
class Variant:
    name: str
    bot_dir: Path
    model: Path | None = None
    policy_training_s: float = 0.0
    policy_model_bytes: int = 0
    turns: dict[str, list[float]] = field(default_factory=dict)  # kind → ms
    wrong: dict[str, int] = field(default_factory=dict)  # kind → replies without the expected word, or degraded
    long_turns: dict[str, list[float]] = field(default_factory=dict)  # session setting → ms per turn
    verdicts: list[Verdict] = field(default_factory=list)
    deciding: Counter[str] = field(default_factory=Counter)  # policy → bot actions it chose


# ------------------------------------------------------------------ the variants
def ted_config(config_text: str, epochs: int) -> str:
    """config.yml with a TEDPolicy added to its policies (Rasa's defaults but max_history, epochs, a seed)."""
    config = yaml.safe_load(config_text)
    if any(p.get("name") == "TEDPolicy" for p in config["policies"]):
        raise ValueError("the configuration already has a TEDPolicy")
    config["policies"].append({"name": "TEDPolicy", "max_history": 5, "epochs": epochs, "random_seed": 42})
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def copy_project(target: Path) -> Path:
    """bot/ and nlu/ copied under `target`; returns the copy's bot folder."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(BOT_DIR, target / "bot", ignore=ignore)
    shutil.copytree(NLU_DIR, target / "nlu", ignore=ignore)
    return target / "bot"


def build_variants(tmp: Path, epochs: int) -> dict[str, Variant]:
    rules = copy_project(tmp / "rules")
    ted = tmp / "ted"
    shutil.copytree(rules.parent, ted)
    config = ted / "bot" / "config.yml"
    config.write_text(ted_config(config.read_text(encoding="utf-8"), epochs), encoding="utf-8")
    shutil.copy(STORIES, ted / "bot" / "data" / "stories.yml")
    return {RULES: Variant(RULES, rules), TED: Variant(TED, ted / "bot")}


def time_policy_training(variant: Variant) -> None:
    """`rasa train core` with an empty training cache: what the dialogue policies cost to train, and their size."""
    root = variant.bot_dir.parent
    with tempfile.TemporaryDirectory(prefix="courtbot-core-") as out:
        env = {**rasa_env(), "PYTHONPATH": str(root), "RASA_CACHE_DIRECTORY": str(Path(out) / "cache")}
        cmd = [str(venv("rasa") / "bin" / "rasa"), "train", "core",
               "--config", str(variant.bot_dir / "config.yml"), "--domain", str(variant.bot_dir / "domain.yml"),
               "--stories", str(variant.bot_dir / "data"), "--out", out, "--fixed-model-name", "core"]
        started = time.monotonic()
        # Rasa's progress goes to stderr with ours; stdout stays for the report.
        subprocess.run(cmd, cwd=root, env=env, check=True, stdout=sys.stderr)
        variant.policy_training_s = time.monotonic() - started
        variant.policy_model_bytes = (Path(out) / "core.tar.gz").stat().st_size


# ------------------------------------------------------------------ measuring through the stacks
@contextmanager
def stacks(variants: dict[str, Variant], environment: dict[str, str] | None = None) -> Iterator[dict[str, RunningStack]]:
    offset = int(os.environ.get("COURTBOT_E2E_PORT_OFFSET", "0"))
    with ExitStack() as stack:
        running = {}
        for name, variant in variants.items():
            print(f"==> [{name}] stack …", file=sys.stderr, flush=True)
            running[name] = stack.enter_context(
                local_stack(PORT_OFFSETS[name] + offset, model=variant.model, environment=environment))
        yield running


def say(client: httpx.Client, url: str, sender: str, text: str) -> tuple[str, float, bool]:
    """(reply text, ms, whether the gateway had to answer for Rasa)."""
    started = time.perf_counter()
    body = client.post(f"{url}/api/chat", json={"sender": sender, "message": text}).json()
    elapsed = (time.perf_counter() - started) * 1000
    return " ".join(r["text"] for r in body["replies"]), elapsed, bool(body.get("degraded"))


def alternate(names: list[str], index: int) -> list[str]:
    """The variants in turn order `index`: who goes first alternates, so neither always has the warmer caches."""
    return names if index % 2 == 0 else names[::-1]


def measure_kinds(variants: dict[str, Variant], running: dict[str, RunningStack], rounds: int) -> None:
    names = list(variants)
    with httpx.Client(timeout=30) as client:
        for i in range(rounds):
            for kind, (warm_up, turn, marker) in KINDS.items():
                for name in alternate(names, i):
                    url, sender = running[name].gateway_url, f"policy-{uuid.uuid4().hex[:8]}"
                    for text in warm_up:
                        say(client, url, sender, text)
                    reply, elapsed, degraded = say(client, url, sender, turn)
                    variants[name].turns.setdefault(kind, []).append(elapsed)
                    wrong = degraded or marker not in reply
                    variants[name].wrong[kind] = variants[name].wrong.get(kind, 0) + wrong
            print(f"\r    reply kinds: round {i + 1}/{rounds}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


def measure_long(variants: dict[str, Variant], running: dict[str, RunningStack], turns: int, label: str) -> None:
    """One conversation per variant, `turns` questions that open no form or ticket, turn by turn in alternation."""
    names = list(variants)
    senders = {name: f"policy-long-{uuid.uuid4().hex[:8]}" for name in names}
    with httpx.Client(timeout=30) as client:
        for i in range(turns):
            for name in alternate(names, i):
                _, elapsed, degraded = say(client, running[name].gateway_url, senders[name], TURNS[i % len(TURNS)])
                if degraded:
                    raise SystemExit(f"[{name}] the gateway answered for Rasa at turn {i + 1} ({label})")
                variants[name].long_turns.setdefault(label, []).append(elapsed)
            if (i + 1) % 10 == 0:
                print(f"\r    one conversation ({label}): turn {i + 1}/{turns}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


def deciding_policies(tracker_db: Path) -> Counter[str]:
    """Which policy chose each bot action in a stack's trackers (Rasa's "followup_action": forced by an action)."""
    with closing(sqlite3.connect(tracker_db)) as db:
        rows = db.execute("SELECT data FROM events WHERE type_name = 'action'").fetchall()
    return Counter(json.loads(data).get("policy") or "no policy" for (data,) in rows)


# ------------------------------------------------------------------ report
def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def model_mb(variant: Variant) -> float:
    assert variant.model is not None, "the full model is trained before anything is measured"
    return variant.model.stat().st_size / 2**20


def all_turns(variant: Variant) -> list[float]:
    return [ms for values in variant.turns.values() for ms in values]


def edges(values: list[float]) -> tuple[float, float]:
    """Median of the first and of the last EDGE turns."""
    return statistics.median(values[:EDGE]), statistics.median(values[-EDGE:])


def summary_table(variants: dict[str, Variant], cut: str, uncut: str, turns: int) -> str:
    rows = [
        "| variant | policy training (`rasa train core`, empty cache) | model (policies alone) | median turn, all "
        f"kinds (p90) | turns 1–{EDGE} → {turns - EDGE + 1}–{turns}, {cut} | same, {uncut} | dev suite task success |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for v in variants.values():
        ms = all_turns(v)
        first_cut, last_cut = edges(v.long_turns[cut])
        first_uncut, last_uncut = edges(v.long_turns[uncut])
        passed, total = sum(x.passed for x in v.verdicts), len(v.verdicts)
        low, high = wilson_interval(passed, total)
        rows.append(
            f"| {v.name} | {v.policy_training_s:.0f} s | {model_mb(v):.1f} MB "
            f"({v.policy_model_bytes / 2**20:.2f} MB) | {statistics.median(ms):.0f} ms ({p90(ms):.0f}) | "
            f"{first_cut:.0f} → {last_cut:.0f} ms ({last_cut / first_cut:.2f}×) | "
            f"{first_uncut:.0f} → {last_uncut:.0f} ms ({last_uncut / first_uncut:.2f}×) | "
            f"{passed}/{total} = {passed / total:.0%} ({low:.0%}–{high:.0%}) |"
        )
    return "\n".join(rows)


def kinds_table(rules: Variant, ted: Variant) -> str:
    rows = ["| turn | rules: median ms (p90) | TEDPolicy: median ms (p90) | TEDPolicy − rules | wrong or degraded "
            "replies (rules / TEDPolicy) |", "|---|---:|---:|---:|---:|"]
    for kind in KINDS:
        a, b = rules.turns[kind], ted.turns[kind]
        rows.append(f"| {kind} | {statistics.median(a):.0f} ({p90(a):.0f}) | {statistics.median(b):.0f} "
                    f"({p90(b):.0f}) | {statistics.median(b) - statistics.median(a):+.0f} ms | "
                    f"{rules.wrong[kind]} / {ted.wrong[kind]} |")
    return "\n".join(rows)


def suite_difference(rules: Variant, ted: Variant) -> str:
    by_id = {v.dialogue.id: v.passed for v in rules.verdicts}
    only_rules = sum(by_id[v.dialogue.id] and not v.passed for v in ted.verdicts)
    only_ted = sum(v.passed and not by_id[v.dialogue.id] for v in ted.verdicts)
    kinds = {name: ", ".join(f"{k} {n}" for k, n in failure_kinds(v.verdicts).items()) or "none"
             for name, v in ((RULES, rules), (TED, ted))}
    return (f"Dev suite: {only_rules} dialogues pass with rules only and fail with TEDPolicy, {only_ted} the other "
            f"way round. Failing dialogues by (dialogue kind: failure kind) — rules: {kinds[RULES]}; "
            f"TEDPolicy: {kinds[TED]}.")


def deciding_line(variants: dict[str, Variant]) -> str:
    parts = [f"{v.name}: " + ", ".join(f"{policy} {n}" for policy, n in v.deciding.most_common())
             for v in variants.values()]
    return ("Which policy chose the bot's actions, over every turn each stack answered above (tracker events; "
            "followup_action = forced by an action's FollowupAction, no policy = a session's start and its "
            "action_listen): " + "; ".join(parts) + ".")


def conclusion(rules: Variant, ted: Variant) -> str:
    extra = statistics.median(all_turns(ted)) - statistics.median(all_turns(rules))
    passed = {v.name: sum(x.passed for x in v.verdicts) for v in (rules, ted)}
    total = len(rules.verdicts)
    wrong = {v.name: sum(v.wrong.values()) for v in (rules, ted)}
    better = passed[TED] > passed[RULES] and wrong[TED] <= wrong[RULES]
    verdict = "TEDPolicy earns its cost" if better else "keep rules + slots, no TEDPolicy"
    return (f"**Conclusion: {verdict}** — with TEDPolicy the dev suite passes {passed[TED]}/{total} against "
            f"{passed[RULES]}/{total} with rules only ({wrong[TED]} against {wrong[RULES]} wrong timed replies) and "
            f"chooses {ted.deciding['TEDPolicy']} of {sum(ted.deciding.values())} actions itself, "
            f"for {extra:+.0f} ms per turn at the median, {ted.policy_training_s - rules.policy_training_s:+.0f} s "
            f"of policy training and {model_mb(ted) - model_mb(rules):+.1f} MB of model.")


# ------------------------------------------------------------------ main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15, help="fresh conversations per reply kind and variant")
    parser.add_argument("--turns", type=int, default=100, help="turns of the long conversation")
    parser.add_argument("--epochs", type=int, default=100, help="TEDPolicy training epochs")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    dialogues = load_suite()
    with tempfile.TemporaryDirectory(prefix="courtbot-policy-") as tmp:
        variants = build_variants(Path(tmp), args.epochs)
        for variant in variants.values():
            print(f"==> [{variant.name}] dialogue-policy training, empty Rasa cache …", file=sys.stderr, flush=True)
            time_policy_training(variant)
            print(f"==> [{variant.name}] policies trained in {variant.policy_training_s:.0f} s", file=sys.stderr)
            print(f"==> [{variant.name}] full model …", file=sys.stderr, flush=True)
            variant.model = ensure_model(bot_dir=variant.bot_dir, cache=None if variant.name == RULES else VARIANT_CACHE)

        uncut = "sessions never cut"
        with stacks(variants) as running:
            cut = f"sessions cut after {running[RULES].settings.session_max_turns} turns (deployed)"
            print(f"==> reply kinds, {args.rounds} rounds", file=sys.stderr, flush=True)
            measure_kinds(variants, running, args.rounds)
            measure_long(variants, running, args.turns, cut)
            for name, variant in variants.items():
                print(f"==> [{name}] development dialogue suite ({len(dialogues)} dialogues)", file=sys.stderr)
                variant.verdicts = run_suite(running[name].gateway_url, running[name].database_url, dialogues)
                variant.deciding = deciding_policies(running[name].settings.data_dir / TRACKER_DB_NAME)
        with stacks(variants, UNCUT_SESSIONS) as running:
            measure_long(variants, running, args.turns, uncut)

    rules, ted = variants[RULES], variants[TED]
    stories = len(yaml.safe_load(STORIES.read_text(encoding="utf-8"))["stories"])
    body = "\n\n".join([
        f"Issue 7: the dialogue machinery chosen by measurement. Both variants from one copy of `bot/` and `nlu/`; "
        f"\"{TED}\" adds a TEDPolicy (Rasa 3.6 defaults, max_history 5, {args.epochs} epochs, seed 42) and "
        f"{stories} stories (`benchmarks/dialogue_policy_stories.yml`: the flows the rules encode — greeting, "
        "questions and their follow-ups, the case-progress form with interruptions and cancellation, request forms, "
        "the offer of a person). Both stacks ran at once on their own ports with fresh seeded SQLite databases; "
        f"timed turns alternated between them, one client at a time. Reply kinds: {args.rounds} fresh conversations "
        f"per kind and variant (the kinds of `benchmarks/dialogue_machinery.py`). Long conversation: one caller, "
        f"{args.turns} turns of `benchmarks/turn_latency.py`'s questions, median of the first and last {EDGE}. "
        f"1-minute load average at the start: {load:.1f} on {os.cpu_count()} cores (shared).",
        summary_table(variants, cut, uncut, args.turns),
        kinds_table(rules, ted),
        suite_difference(rules, ted),
        deciding_line(variants),
        conclusion(rules, ted),
    ])
    print(body)
    if not args.no_write:
        write_section("dialogue_policy", "Dialogue policy: rules + slots against rules + TEDPolicy", body)


if __name__ == "__main__":
    main()
