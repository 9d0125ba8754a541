"""./courtbot COMMAND — run `./courtbot --help` for the list."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from core.config import get_settings


def cmd_setup(_args: argparse.Namespace) -> None:
    from cli.paths import venv

    print(f"==> rasa env: {venv('rasa')}")
    print(f"==> app env:  {sys.prefix}")


def cmd_train(args: argparse.Namespace) -> None:
    from cli.training import ensure_model

    print(ensure_model(force=args.force))


def cmd_migrate(_args: argparse.Namespace) -> None:
    from cli.database import migrate

    migrate()
    print("==> database at head")


def cmd_seed(_args: argparse.Namespace) -> None:
    from cli.database import seed

    count = seed()
    print(f"==> seeded {count} demo cases" if count else "==> demo court already seeded")


def cmd_run(_args: argparse.Namespace) -> None:
    from cli.database import migrate, seed
    from cli.stack import Stack
    from cli.training import ensure_model

    started = time.monotonic()
    settings = get_settings()
    model = ensure_model()
    print("==> migrating database …", flush=True)
    migrate()
    seeded = seed()
    print(f"==> seeded {seeded} demo cases" if seeded else "==> demo court already seeded", flush=True)
    from cli.kb import seed_demo_knowledge

    seed_demo_knowledge()
    stack = Stack(settings, model)

    def _stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    stack.start()
    try:
        waited = stack.wait_ready()
        print(
            f"\n==> courtbot ready in {time.monotonic() - started:.0f} s (services up in {waited:.0f} s)\n"
            f"    web chat:  http://127.0.0.1:{settings.gateway_port}/\n"
            f"    chat API:  POST http://127.0.0.1:{settings.gateway_port}/api/chat\n"
            f"    health:    http://127.0.0.1:{settings.gateway_port}/health\n"
            "    Ctrl-C stops everything.\n",
            flush=True,
        )
        while all(s.process and s.process.poll() is None for s in stack.services):
            time.sleep(1)
        dead = [s.name for s in stack.services if s.process and s.process.poll() is not None]
        print(f"==> {', '.join(dead)} stopped unexpectedly; shutting down", flush=True)
        sys.exit(1)
    except KeyboardInterrupt:
        print("\n==> stopping …", flush=True)
    except (RuntimeError, TimeoutError) as exc:
        print(f"==> start failed: {exc}", flush=True)
        sys.exit(1)
    finally:
        stack.stop()
        print("==> stopped", flush=True)


def cmd_eval_nlu(args: argparse.Namespace) -> None:
    from cli.nlu_eval import PIPELINES, run

    run(args.pipeline or list(PIPELINES), args.cv_folds)


def cmd_case_number(args: argparse.Namespace) -> None:
    from nlu.case_number import CaseNumberError, parse_case_number

    try:
        print(parse_case_number(" ".join(args.text)).canonical)
    except CaseNumberError as exc:
        sys.exit(f"无效案号：{exc.reason}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="courtbot", description="courtbot command line")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="create both virtualenvs").set_defaults(func=cmd_setup)
    train = sub.add_parser("train", help="train the Rasa model if bot/ or nlu/ changed")
    train.add_argument("--force", action="store_true", help="train even if a cached model exists")
    train.set_defaults(func=cmd_train)
    sub.add_parser("migrate", help="upgrade the database to the latest schema").set_defaults(func=cmd_migrate)
    sub.add_parser("seed", help="seed the demo court if the database has no cases").set_defaults(func=cmd_seed)
    sub.add_parser("run", help="set up and run the whole stack in the foreground").set_defaults(func=cmd_run)
    evaluate = sub.add_parser("eval-nlu", help="evaluate the NLU pipelines, write benchmarks/RESULTS.md")
    evaluate.add_argument("--pipeline", action="append", help="sparse and/or sparse+dense (default: both)")
    evaluate.add_argument("--cv-folds", type=int, default=3, help="cross-validation folds (0 to skip)")
    evaluate.set_defaults(func=cmd_eval_nlu)
    case = sub.add_parser("case-number", help="print the canonical form of a case number")
    case.add_argument("text", nargs="+")
    case.set_defaults(func=cmd_case_number)
    # Domain commands live in their own modules (each imports its domain lazily, so --help stays fast).
    from cli import audit, calendar, kb, purge, users, verification, wechat

    for module in (purge, verification, users, audit, calendar, kb, wechat):
        module.register(sub)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
