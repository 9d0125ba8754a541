"""The court's working-day calendar, kept in the database.

Seeded from chinese-calendar (which knows 2004–2026 and raises on later years); a new year is
entered from the State Council's notice (`./courtbot calendar enter`, or the admin page). For a year
nobody entered, the FALLBACK is weekends only (Monday–Friday are working days): deadlines are then
possibly a few days early around holidays, never missing, and the dashboard warns.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from core.timeutil import court_tz, utcnow
from tickets.models import WorkCalendarDay, WorkCalendarYear

log = logging.getLogger("courtbot.calendar")

# Deadlines fall at the end of the working day (the litigation service centre closes at 17:30).
END_OF_DAY = dtime(17, 30)
CACHE_SECONDS = 60.0


@dataclass
class WorkCalendar:
    known_years: set[int] = field(default_factory=set)
    overrides: dict[date, bool] = field(default_factory=dict)  # day → is working day
    names: dict[date, str] = field(default_factory=dict)
    _warned: set[int] = field(default_factory=set, repr=False)

    def knows(self, year: int) -> bool:
        return year in self.known_years

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year not in self.known_years and day.year not in self._warned:
            self._warned.add(day.year)
            log.warning("working-day calendar has no %s: using weekends only until it is entered", day.year)
        return day.weekday() < 5

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """End (17:30 court time, as UTC) of the `days`-th working day after `start`'s day;
        0 = the end of the first working day from `start` on."""
        tz = court_tz()
        day = start.astimezone(tz).date()
        if days <= 0:
            while not self.is_workday(day):
                day += timedelta(days=1)
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return datetime.combine(day, END_OF_DAY, tzinfo=tz).astimezone(timezone.utc)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for i in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(days=i)))


def load_calendar(session: Session) -> WorkCalendar:
    years = set(session.scalars(select(WorkCalendarYear.year)))
    cal = WorkCalendar(known_years=years)
    for row in session.scalars(select(WorkCalendarDay)):
        cal.overrides[row.day] = row.is_workday
        cal.names[row.day] = row.name
    return cal


class CalendarSource:
    """A process-wide calendar reloaded at most once a minute, so replicas see a newly entered year."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._cached: WorkCalendar | None = None
        self._loaded = 0.0

    def get(self) -> WorkCalendar:
        with self._lock:
            if self._cached is None or time.monotonic() - self._loaded > CACHE_SECONDS:
                with self._sessions() as session:
                    self._cached = load_calendar(session)
                self._loaded = time.monotonic()
            return self._cached

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None


def chinese_calendar_days(year: int) -> list[tuple[date, bool, str]]:
    """The days of `year` that break the weekday rule, from chinese-calendar (raises past 2026)."""
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    chinese = {h.value: h.chinese for h in Holiday}
    out: list[tuple[date, bool, str]] = []
    day = date(year, 1, 1)
    while day.year == year:
        workday = chinese_calendar.is_workday(day)
        if workday != (day.weekday() < 5):
            _, name = chinese_calendar.get_holiday_detail(day)
            label = chinese.get(name or "", name or "")
            out.append((day, workday, f"{label}调休上班" if workday else label))
        day += timedelta(days=1)
    return out


def seed_years(session: Session, years: Iterable[int], actor: str = "seed") -> list[int]:
    """Seed the given years from chinese-calendar where the database does not have them yet."""
    done = []
    for year in years:
        if session.get(WorkCalendarYear, year) is None:
            store_year(session, year, chinese_calendar_days(year), "chinese-calendar 1.11.0", actor)
            done.append(year)
    return done


def store_year(session: Session, year: int, days: list[tuple[date, bool, str]], source: str, actor: str) -> None:
    session.execute(delete(WorkCalendarDay).where(
        WorkCalendarDay.day >= date(year, 1, 1), WorkCalendarDay.day <= date(year, 12, 31)))
    session.add_all(WorkCalendarDay(day=d, is_workday=w, name=n[:32]) for d, w, n in days)
    existing = session.get(WorkCalendarYear, year)
    if existing:
        existing.source, existing.entered_by, existing.entered_at = source, actor, utcnow()
    else:
        session.add(WorkCalendarYear(year=year, source=source, entered_by=actor, entered_at=utcnow()))


class NoticeError(ValueError):
    """The notice text cannot be read; the message (Chinese) says which line and why."""


_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_RANGE = re.compile(rf"({_DATE})(?:\s*(?:~|～|至|\.\.)\s*({_DATE}))?")


def parse_notice(year: int, text: str) -> list[tuple[date, bool, str]]:
    """Read the State Council notice as lines:

        放假 春节 2027-02-06~2027-02-12
        上班 春节调休 2027-02-14 2027-02-20

    (`holiday` / `workday` also work). Every day of a 放假 range is a day off; 上班 days are the
    make-up working days. Days not listed follow the weekday rule.
    """
    days: dict[date, tuple[bool, str]] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(None, 2)
        kind = parts[0].lower()
        if kind not in ("放假", "holiday", "上班", "workday") or len(parts) < 3:
            raise NoticeError(f"第 {lineno} 行格式不对：应为“放假 名称 日期~日期”或“上班 名称 日期 …”")
        workday = kind in ("上班", "workday")
        name, rest = parts[1], parts[2]
        ranges = list(_RANGE.finditer(rest))
        if not ranges or _RANGE.sub("", rest).strip(" ,，、;；"):
            raise NoticeError(f"第 {lineno} 行的日期看不懂：{rest}（日期写作 2027-02-06，区间用 ~）")
        for m in ranges:
            try:
                first = date.fromisoformat(_pad(m.group(1)))
                last = date.fromisoformat(_pad(m.group(2))) if m.group(2) else first
            except ValueError as exc:
                raise NoticeError(f"第 {lineno} 行有不存在的日期：{m.group(0)}") from exc
            if first.year != year or last.year != year or last < first:
                raise NoticeError(f"第 {lineno} 行的日期 {m.group(0)} 不在 {year} 年内或区间颠倒")
            if (last - first).days > 14:
                raise NoticeError(f"第 {lineno} 行的假期超过 15 天，请核对")
            day = first
            while day <= last:
                if workday and day.weekday() < 5:
                    raise NoticeError(f"第 {lineno} 行：{day} 本来就是工作日，调休上班日应是周末")
                if day in days and days[day][0] != workday:
                    raise NoticeError(f"第 {lineno} 行：{day} 同时被写成放假和上班")
                days[day] = (workday, name)
                day += timedelta(days=1)
    if not any(not w for w, _ in days.values()):
        raise NoticeError("没有读到任何放假日期")
    return sorted((d, w, n) for d, (w, n) in days.items())


def _pad(value: str) -> str:
    y, m, d = value.split("-")
    return f"{y}-{int(m):02d}-{int(d):02d}"
