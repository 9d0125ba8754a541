"""The court's working-day calendar: a real holiday year (2026, seeded from chinese-calendar by the
migration), a year it does not know (2027: weekends-only fallback, never an error), the dashboard
warning, and entering a year from the State Council notice with the CLI and the admin API."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from core.config import REPO_ROOT
from core.timeutil import as_utc, court_today
from tickets.calendar import CalendarSource, NoticeError, parse_notice, seed_years
from tickets.service import NewTicket, TicketService
from tickets.sla import Deadlines

CST = ZoneInfo("Asia/Shanghai")


def end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 17, 30, tzinfo=CST)


def test_2026_holidays_and_make_up_days_from_the_state_council_notice(sqlite_sessions: sessionmaker[Session]) -> None:
    cal = CalendarSource(sqlite_sessions).get()
    assert cal.knows(2026)
    # 国办发明电〔2025〕7号: 春节 2月15日至23日放假, 2月14日（周六）、2月28日（周六）上班;
    # 国庆节 10月1日至7日放假, 9月20日（周日）、10月10日（周六）上班.
    for day in ("2026-02-16", "2026-02-20", "2026-02-23", "2026-10-01", "2026-10-05", "2026-10-07"):
        assert not cal.is_workday(date.fromisoformat(day)), day
    for day in ("2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10", "2026-02-24", "2026-10-08"):
        assert cal.is_workday(date.fromisoformat(day)), day
    friday = datetime(2026, 2, 13, 10, tzinfo=CST)
    assert cal.add_working_days(friday, 1) == end_of(date(2026, 2, 14))  # the make-up Saturday
    assert cal.add_working_days(friday, 2) == end_of(date(2026, 2, 24))  # after the whole festival
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3  # 8, 9 and 10 October


def test_a_ticket_before_the_spring_festival_gets_its_deadlines_after_it(sqlite_sessions: sessionmaker[Session]) -> None:
    service = TicketService(sqlite_sessions, deadlines=Deadlines(assign=1, feedback_default=3))
    t = service.open_ticket(NewTicket("咨询", "web", "cal-1", "节前来电"), now=datetime(2026, 2, 13, 10, tzinfo=CST))
    assert as_utc(t.assign_due_at) == end_of(date(2026, 2, 14))
    assert as_utc(t.feedback_due_at) == end_of(date(2026, 2, 25))


def test_a_year_chinese_calendar_does_not_know_falls_back_to_weekends(
        sqlite_sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture) -> None:
    with sqlite_sessions() as session, pytest.raises(NotImplementedError):
        seed_years(session, [2027])  # chinese-calendar 1.11 stops at 2026
    cal = CalendarSource(sqlite_sessions).get()
    assert not cal.knows(2027)
    with caplog.at_level(logging.WARNING, logger="courtbot.calendar"):
        friday = datetime(2027, 2, 5, 10, tzinfo=CST)
        assert cal.add_working_days(friday, 1) == end_of(date(2027, 2, 8))  # Monday: weekends only
        assert cal.add_working_days(friday, 5) == end_of(date(2027, 2, 12))
    assert sum("2027" in r.getMessage() for r in caplog.records) == 1  # warned once, not per day
    service = TicketService(sqlite_sessions, deadlines=Deadlines(assign=1, feedback_default=3))
    t = service.open_ticket(NewTicket("咨询", "web", "cal-2", "明年的来电"), now=friday)
    assert as_utc(t.feedback_due_at) == end_of(date(2027, 2, 10))


def test_notice_mistakes_are_refused_in_chinese() -> None:
    cases = {
        "放假 春节 2027-02-06~2027-02-12\n上班 调休 2027-02-15": "本来就是工作日",  # a Monday
        "放假 春节 2027-02-06~2027-03-30": "超过 15 天",
        "放假 春节 2028-02-06": "不在 2027 年内",
        "休息 春节 2027-02-06": "格式不对",
        "放假 春节 2月6日": "日期看不懂",
        "上班 调休 2027-02-14": "没有读到任何放假日期",
        "放假 春节 2027-02-30": "不存在的日期",
    }
    for text, problem in cases.items():
        with pytest.raises(NoticeError, match=problem):
            parse_notice(2027, text)


def _notice_for(year: int) -> tuple[str, date, date]:
    """A notice for `year`: New Year 1–3 January off, the first Sunday of February a make-up day."""
    sunday = date(year, 2, 1) + timedelta(days=(6 - date(year, 2, 1).weekday()) % 7)
    return (f"# 国务院办公厅关于{year}年部分节假日安排的通知\n放假 元旦 {year}-01-01~{year}-01-03\n"
            f"上班 元旦调休 {sunday.isoformat()}\n", date(year, 1, 2), sunday)


def test_next_year_missing_warns_until_an_admin_enters_it_with_the_cli(
        configured: str, tmp_path: Path, role_client: dict[str, TestClient]) -> None:
    from console.pages import calendar_warning

    next_year = court_today().year + 1
    dashboard = role_client["supervisor"].get("/console/dashboard")
    assert dashboard.status_code == 200
    if next_year > 2026:  # beyond chinese-calendar: nobody has entered it yet
        assert f"缺少 {next_year} 年" in dashboard.text and "仅周末休息" in dashboard.text
    text, holiday, make_up = _notice_for(next_year)
    notice = tmp_path / "notice.txt"
    notice.write_text(text, encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": configured, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-m", "cli", "calendar", "enter", str(next_year), str(notice),
                           "--by", "管理员老李"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "3 天放假" in done.stdout and "1 天调休上班" in done.stdout
    status = subprocess.run([sys.executable, "-m", "cli", "calendar", "status"], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert f"{next_year}\t国务院办公厅通知（命令行录入）\t管理员老李" in status.stdout
    assert "未录入" not in status.stdout
    assert calendar_warning() is None
    assert "缺少" not in role_client["supervisor"].get("/console/dashboard").text

    from core.db import get_session_factory

    cal = CalendarSource(get_session_factory()).get()
    assert not cal.is_workday(holiday) and cal.is_workday(make_up)
    bad = subprocess.run([sys.executable, "-m", "cli", "calendar", "enter", str(next_year), str(tmp_path / "nope.txt")],
                         cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "未录入" in bad.stderr and "Traceback" not in bad.stderr


def test_the_admin_page_enters_a_year_and_refuses_a_bad_notice(role_client: dict[str, TestClient]) -> None:
    admin = role_client["admin"]
    page = admin.get("/console/calendar")
    assert page.status_code == 200 and "按国务院办公厅通知录入一年" in page.text
    bad = admin.post("/api/calendar/2031", json={"notice": "放假 春节 2031-13-01"})
    assert bad.status_code == 422 and "日期" in bad.json()["detail"]
    ok = admin.post("/api/calendar/2031", json={"notice": "放假 春节 2031-01-22~2031-01-28\n上班 调休 2031-01-19"})
    assert ok.status_code == 200 and ok.json() == {"year": 2031, "holidays": 7, "workdays": 1}
    assert "2031" in admin.get("/console/calendar").text
    assert role_client["operator"].post("/api/calendar/2032", json={"notice": "放假 元旦 2032-01-01"}).status_code == 403
