"""Dashboard figures and 考核 (performance review) for a period, from the ticket table."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.timeutil import as_utc, court_tz
from tickets.categories import category_label, channel_label
from tickets.models import Ticket


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        tz = court_tz()
        return (datetime.combine(self.start, time.min, tzinfo=tz),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz))


_COLUMNS = (Ticket.created_at, Ticket.category, Ticket.channel, Ticket.status, Ticket.fed_back_at,
            Ticket.feedback_due_at, Ticket.satisfaction, Ticket.handled_by, Ticket.department, Ticket.reopen_count)


def _rows(session: Session, period: Period) -> list[Any]:
    start, end = period.bounds()
    return list(session.execute(select(*_COLUMNS).where(Ticket.created_at >= start, Ticket.created_at < end)))


def _on_time(row: Any) -> bool | None:
    if row.fed_back_at is None or row.feedback_due_at is None:
        return None
    return as_utc(row.fed_back_at) <= as_utc(row.feedback_due_at)


def summary(session: Session, period: Period) -> dict[str, Any]:
    rows = _rows(session, period)
    tz = court_tz()
    by_day = Counter(as_utc(r.created_at).astimezone(tz).date().isoformat() for r in rows)
    timed = [t for t in (_on_time(r) for r in rows) if t is not None]
    rated = [r.satisfaction for r in rows if r.satisfaction]
    days = [(period.start + timedelta(days=i)).isoformat() for i in range((period.end - period.start).days + 1)]
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "total": len(rows),
        "by_category": [{"key": k, "label": category_label(k), "count": v}
                        for k, v in Counter(r.category for r in rows).most_common()],
        "by_channel": [{"key": k, "label": channel_label(k), "count": v} for k, v in Counter(r.channel for r in rows).most_common()],
        "by_day": [{"key": d, "label": d[5:], "count": by_day.get(d, 0)} for d in days],
        "sla": {"fed_back": len(timed), "on_time": sum(timed),
                "rate": round(sum(timed) / len(timed), 3) if timed else None},
        "satisfaction": {"rated": len(rated), "average": round(sum(rated) / len(rated), 2) if rated else None,
                         "distribution": {str(k): rated.count(k) for k in range(1, 6)}},
    }


def performance(session: Session, period: Period, by: str) -> list[dict[str, Any]]:
    """考核: per operator (who fed back) or per department: handled, on-time rate, satisfaction, reopens."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for row in _rows(session, period):
        key = row.handled_by if by == "operator" else row.department
        if key and row.fed_back_at is not None:
            groups[key].append(row)
    out = []
    for key, rows in sorted(groups.items()):
        timed = [t for t in (_on_time(r) for r in rows) if t is not None]
        rated = [r.satisfaction for r in rows if r.satisfaction]
        out.append({
            "name": key, "handled": len(rows),
            "on_time_rate": round(sum(timed) / len(timed), 3) if timed else None,
            "avg_satisfaction": round(sum(rated) / len(rated), 2) if rated else None,
            "reopen_rate": round(sum(1 for r in rows if r.reopen_count) / len(rows), 3),
        })
    return out


def to_csv(rows: list[dict[str, Any]], header: dict[str, str]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese headers correctly only with a BOM
    writer = csv.writer(buffer)
    writer.writerow(header.values())
    for row in rows:
        writer.writerow(["" if row.get(k) is None else row.get(k) for k in header])
    return buffer.getvalue()
