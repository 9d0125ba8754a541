"""`./courtbot purge [--before YYYY-MM-DD] [--dry-run]`: delete old message logs and Rasa trackers.

Without --before, everything older than COURTBOT_RETENTION_DAYS (default 180) goes. Tickets and their
audit trail stay: they are the court's record of what it did for a caller.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from conversations.retention import cutoff_for, purge
from core.config import get_settings
from core.db import get_session_factory
from core.redis_client import get_redis
from core.timeutil import court_today


def _before(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式不正确：{value}（应为 YYYY-MM-DD，例如 2026-06-01）") from None
    if day > court_today():
        raise argparse.ArgumentTypeError(f"日期不能晚于今天：{value}")
    return day


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("purge", help="delete message logs and Rasa trackers older than the retention period")
    parser.add_argument("--before", type=_before, help="delete what is older than this court-local date (YYYY-MM-DD)")
    parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> None:
    settings = get_settings()
    cutoff = cutoff_for(args.before, settings.retention_days)
    try:
        result = purge(settings, get_session_factory(), cutoff, get_redis(), dry_run=args.dry_run)
    except Exception as exc:  # a database or Redis that is down: say so, nothing half-reported
        sys.exit(f"courtbot purge: 清理失败（{type(exc).__name__}）。请检查数据库和 Redis 后重试，重复执行是安全的")
    verb = "would delete" if args.dry_run else "deleted"
    print(f"==> purge before {result.cutoff:%Y-%m-%d %H:%M} UTC"
          + ("" if args.before else f" (retention {settings.retention_days} days)"))
    print(f"    {verb} {result.messages} chat messages")
    print(f"    {verb} {result.tracker_events} Rasa tracker events (embedded SQLite store)")
    if settings.redis_url:
        print(f"    {verb} {result.redis_trackers} Rasa trackers in Redis "
              f"(the rest expire {settings.retention_days} days after their last message)")
    print("    tickets and their audit trail are kept")
