"""Warm start, Rasa model load and training time; writes section `startup` of RESULTS.md.

    PYTHONPATH=. $(scripts/envs.sh app)/bin/python benchmarks/startup.py --runs 3 [--train]

* warm start: `./courtbot run` (virtualenvs built, model cached) with a fresh data directory and SQLite
  database on its own ports (gateway 18260, Rasa 15265, actions 15315), from launch to its
  "courtbot ready" line — migrating, seeding and starting all three services included;
* Rasa model load: Rasa alone, from process start until `/status` names the loaded model;
* training (`--train`, slow): `./courtbot train --force` with an empty Rasa training cache.

The cold set-up of a fresh clone (virtualenvs too) is benchmarks/cold_start.sh.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.nlu.overlap import training_examples  # noqa: E402
from benchmarks.results import write_section  # noqa: E402
from cli.stack import Stack, rasa_service  # noqa: E402
from cli.training import ensure_model  # noqa: E402
from core.config import REPO_ROOT, Settings  # noqa: E402
from core.rasa_token import rasa_token  # noqa: E402

PORT_OFFSET = 260  # H2's e2e offset + 60: never the e2e suite's ports
READY_LINE = "courtbot ready"


def warm_start(timeout: float = 300.0) -> float:
    """Seconds from launching `./courtbot run` to its ready line; the stack is stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix="courtbot-startup-") as data_dir:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(
            COURTBOT_DATA_DIR=data_dir,
            COURTBOT_GATEWAY_PORT=str(18000 + PORT_OFFSET),
            COURTBOT_RASA_PORT=str(15005 + PORT_OFFSET),
            COURTBOT_ACTIONS_PORT=str(15055 + PORT_OFFSET),
        )
        env.pop("COURTBOT_RASA_TOKEN", None)  # generated in the fresh data directory, as on a new install
        started = time.monotonic()
        process = subprocess.Popen([str(REPO_ROOT / "courtbot"), "run"], cwd=REPO_ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert process.stdout is not None
        try:
            for line in process.stdout:
                if READY_LINE in line:
                    return time.monotonic() - started
                if time.monotonic() - started > timeout:
                    break
            raise RuntimeError(f"`./courtbot run` did not become ready (exit {process.poll()})")
        finally:
            process.send_signal(signal.SIGTERM)  # the CLI stops its three services on SIGTERM
            try:
                process.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()


def rasa_load() -> float:
    """Seconds from starting Rasa alone to it serving the cached model."""
    settings = Settings(COURTBOT_RASA_PORT=str(15005 + PORT_OFFSET))
    stack = Stack(settings, only=[rasa_service(ensure_model(), settings.rasa_port, rasa_token(settings))],
                  log=open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the stack
    stack.start()
    try:
        return stack.wait_ready()
    finally:
        stack.stop()


def train() -> float:
    with tempfile.TemporaryDirectory(prefix="courtbot-rasa-cache-") as cache:
        started = time.monotonic()
        subprocess.run([str(REPO_ROOT / "courtbot"), "train", "--force"], cwd=REPO_ROOT, check=True,
                       env={**os.environ, "RASA_CACHE_DIRECTORY": cache}, stdout=subprocess.DEVNULL)
        return time.monotonic() - started


def summary(values: list[float]) -> str:
    runs = ", ".join(f"{v:.0f}" for v in values)
    return f"median {statistics.median(values):.0f} s ({len(values)} runs: {runs})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--train", action="store_true", help="also time a full retrain (several minutes)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()
    ensure_model()  # measured runs must not include a training
    load = os.getloadavg()[0]  # the machine is shared: say how busy it was
    rows = []
    loads = []
    for i in range(args.runs):
        print(f"==> Rasa model load, run {i + 1}/{args.runs} …", file=sys.stderr, flush=True)
        loads.append(rasa_load())
    rows.append(f"| Rasa model load (process start to model served) | {summary(loads)} |")
    starts = []
    for i in range(args.runs):
        print(f"==> warm start, run {i + 1}/{args.runs} …", file=sys.stderr, flush=True)
        starts.append(warm_start())
    rows.append(f"| warm start: `./courtbot run` to \"{READY_LINE}\" (fresh data dir, model cached) | "
                f"{summary(starts)} |")
    if args.train:
        examples = sum(1 for _ in training_examples())
        print(f"==> training ({examples} examples, empty Rasa cache) …", file=sys.stderr, flush=True)
        rows.append(f"| `./courtbot train --force`, empty Rasa training cache ({examples} NLU examples) | "
                    f"{summary([train()])} |")
    body = "\n".join(["| what | result |", "|---|---|", *rows])
    print(body)
    if not args.no_write:
        write_section("startup", "Start-up and training",
                      "Virtualenvs built; 2 cores shared with whatever else runs (1-minute load average at "
                      f"the start: {load:.1f}).\n\n" + body)


if __name__ == "__main__":
    main()
