"""`./courtbot calendar status|enter|seed`: the court's working-day calendar."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cal = sub.add_parser("calendar", help="working-day calendar: status, enter a year, seed")
    actions = cal.add_subparsers(dest="calendar_command", required=True)
    actions.add_parser("status", help="which years are known").set_defaults(func=cmd_status)
    enter = actions.add_parser("enter", help="enter a year from the State Council notice")
    enter.add_argument("year", type=int)
    enter.add_argument("notice", help="file with lines '放假 春节 2027-02-06~2027-02-12' / '上班 调休 2027-02-14'")
    enter.add_argument("--by", default="cli", help="who entered it (for the record)")
    enter.set_defaults(func=cmd_enter)
    seed = actions.add_parser("seed", help="seed years from chinese-calendar (up to 2026)")
    seed.add_argument("years", type=int, nargs="+")
    seed.set_defaults(func=cmd_seed)


def cmd_status(_args: argparse.Namespace) -> None:
    from core.db import get_session_factory
    from core.timeutil import court_today
    from tickets.models import WorkCalendarYear

    with get_session_factory()() as session:
        years = {y.year: y for y in session.query(WorkCalendarYear)}
    for year in sorted(years):
        print(f"{year}\t{years[year].source}\t{years[year].entered_by}")
    upcoming = court_today().year + 1
    if upcoming not in years:
        print(f"!! {upcoming} 年未录入：期限将按“仅周末休息”计算。请用 ./courtbot calendar enter {upcoming} 通知文件 录入。")


def cmd_enter(args: argparse.Namespace) -> None:
    from core.db import get_session_factory
    from tickets.calendar import NoticeError, parse_notice, store_year

    try:
        days = parse_notice(args.year, Path(args.notice).read_text(encoding="utf-8"))
    except (OSError, NoticeError) as exc:
        sys.exit(f"未录入：{exc}")
    with get_session_factory().begin() as session:
        store_year(session, args.year, days, "国务院办公厅通知（命令行录入）", args.by)
    print(f"==> {args.year}: {sum(1 for _, w, _ in days if not w)} 天放假, {sum(1 for _, w, _ in days if w)} 天调休上班")


def cmd_seed(args: argparse.Namespace) -> None:
    from core.db import get_session_factory
    from tickets.calendar import seed_years

    try:
        with get_session_factory().begin() as session:
            done = seed_years(session, args.years)
    except NotImplementedError as exc:  # chinese-calendar does not know the year
        sys.exit(f"chinese-calendar 没有该年数据（{exc}）：请用 calendar enter 按通知录入")
    print(f"==> seeded {done or 'nothing (already known)'}")
