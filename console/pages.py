"""Console pages (session cookie) and the report/calendar endpoints they call. The pages render a
shell; the data comes from /api/tickets and the endpoints below, all behind role checks."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from auth.deps import require_role
from auth.service import Principal
from console.templating import TEMPLATES
from conversations.routes import LIVE_ROLES
from core.db import get_session_factory
from core.timeutil import court_today
from tickets.audit import export_chunks, verify_chain
from tickets.calendar import NoticeError, parse_notice, store_year
from tickets.categories import CATEGORIES, STATUS_LABELS
from tickets.models import WorkCalendarYear
from tickets.reports import Period, performance, summary, to_csv
from tickets.routes import ACTION_ROLES, VIEW_ROLES, ticket_service
from tickets.service import QUEUES

router = APIRouter()
REPORT_ROLES = ("supervisor", "admin", "operator")
PERFORMANCE_HEADER = {"name": "名称", "handled": "办理量", "on_time_rate": "按期反馈率",
                      "avg_satisfaction": "平均满意度", "reopen_rate": "重办率"}


@router.get("/console", response_class=HTMLResponse, include_in_schema=False)
def workspace(request: Request, user: Annotated[Principal, Depends(require_role(*VIEW_ROLES))]) -> Response:
    allowed = {a.value: list(roles) for a, roles in ACTION_ROLES.items()}
    return TEMPLATES.TemplateResponse(request, "workspace.html", {
        "user": user, "queues": QUEUES, "statuses": STATUS_LABELS, "categories": CATEGORIES,
        "action_roles": allowed, "calendar_warning": calendar_warning(), "live": user.role in LIVE_ROLES,
    })


@router.get("/console/dashboard", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request, user: Annotated[Principal, Depends(require_role(*REPORT_ROLES))]) -> Response:
    today = court_today()
    return TEMPLATES.TemplateResponse(request, "dashboard.html", {
        "user": user, "start": (today - timedelta(days=29)).isoformat(), "end": today.isoformat(),
        "calendar_warning": calendar_warning(),
    })


@router.get("/console/calendar", response_class=HTMLResponse, include_in_schema=False)
def calendar_page(request: Request, user: Annotated[Principal, Depends(require_role("admin"))]) -> Response:
    return TEMPLATES.TemplateResponse(request, "calendar.html", {
        "user": user, "years": _years(), "next_year": court_today().year + 1, "calendar_warning": calendar_warning(),
    })


def _years() -> list[WorkCalendarYear]:
    with get_session_factory()() as session:
        return list(session.query(WorkCalendarYear).order_by(WorkCalendarYear.year.desc()))


def calendar_warning(today: date | None = None) -> str | None:
    """The dashboard's warning when next year's holidays are not entered (deadlines then use the
    weekends-only fallback for that year)."""
    today = today or court_today()
    known = {y.year for y in _years()}
    missing = [y for y in (today.year, today.year + 1) if y not in known]
    if not missing:
        return None
    return (f"工作日历缺少 {'、'.join(map(str, missing))} 年的节假日安排：期限暂按“仅周末休息”计算。"
            "请系统管理员根据国务院办公厅通知录入。")


def _period(start: date | None, end: date | None) -> Period:
    end = end or court_today()
    start = start or end - timedelta(days=29)
    if start > end or (end - start).days > 366:
        raise HTTPException(422, "统计区间无效：开始日期须早于结束日期，且不超过一年")
    return Period(start, end)


@router.get("/api/reports/summary", tags=["reports"])
async def report_summary(_user: Annotated[Principal, Depends(require_role(*REPORT_ROLES))],
                         start: Annotated[date | None, Query(alias="from")] = None,
                         end: Annotated[date | None, Query(alias="to")] = None) -> dict[str, Any]:
    period = _period(start, end)

    def run() -> dict[str, Any]:
        with get_session_factory()() as session:
            return summary(session, period)

    return await asyncio.to_thread(run)


@router.get("/api/reports/performance", tags=["reports"])
async def report_performance(_user: Annotated[Principal, Depends(require_role("supervisor", "admin"))],
                             by: Annotated[str, Query(pattern="^(operator|department)$")] = "operator",
                             start: Annotated[date | None, Query(alias="from")] = None,
                             end: Annotated[date | None, Query(alias="to")] = None,
                             format: Annotated[str, Query(pattern="^(json|csv)$")] = "json") -> Any:
    period = _period(start, end)

    def run() -> list[dict[str, Any]]:
        with get_session_factory()() as session:
            return performance(session, period, by)

    rows = await asyncio.to_thread(run)
    if format == "csv":
        return Response(to_csv(rows, PERFORMANCE_HEADER), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="kaohe-{by}-{period.start}-{period.end}.csv"'})
    return {"by": by, "period": {"from": period.start.isoformat(), "to": period.end.isoformat()}, "rows": rows}


@router.get("/api/reports/tickets.csv", tags=["reports"])
async def report_tickets_csv(_user: Annotated[Principal, Depends(require_role(*REPORT_ROLES))],
                             start: Annotated[date | None, Query(alias="from")] = None,
                             end: Annotated[date | None, Query(alias="to")] = None) -> Response:
    period = _period(start, end)

    def run() -> str:
        with get_session_factory()() as session:
            s = summary(session, period)
        rows = [{"kind": kind, **item} for kind in ("by_category", "by_channel", "by_day") for item in s[kind]]
        return to_csv(rows, {"kind": "维度", "label": "项目", "count": "工单数"})

    body = await asyncio.to_thread(run)
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="tickets-{period.start}-{period.end}.csv"'})


AUDIT_ROLES = ("supervisor", "admin")


@router.get("/api/audit/verify", tags=["audit"], summary="Check the hash chain of the whole audit trail")
async def audit_verify(_user: Annotated[Principal, Depends(require_role(*AUDIT_ROLES))]) -> dict[str, Any]:
    def run() -> dict[str, Any]:
        with get_session_factory()() as session:
            tickets, events, problems = verify_chain(session)
        return {"intact": not problems, "tickets": tickets, "events": events,
                "problems": [{"ticket": p.ticket, "seq": p.seq, "problem": p.problem} for p in problems[:200]]}

    return await asyncio.to_thread(run)


@router.get("/api/audit/export", tags=["audit"], summary="The audit trail (all tickets or one) as CSV or JSONL")
def audit_export(_user: Annotated[Principal, Depends(require_role(*AUDIT_ROLES))],
                 format: Annotated[str, Query(pattern="^(csv|jsonl)$")] = "csv",
                 ticket: Annotated[str | None, Query(max_length=32)] = None) -> StreamingResponse:
    def chunks() -> Any:  # streamed from a session of its own: memory stays flat on a large trail
        with get_session_factory()() as session:
            yield from export_chunks(session, format, ticket.strip() if ticket else None)

    name = f"audit-{ticket or 'all'}-{court_today()}.{format}"
    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson; charset=utf-8"
    return StreamingResponse(chunks(), media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/api/calendar/{year}", tags=["calendar"])
async def enter_year(request: Request, year: int, user: Annotated[Principal, Depends(require_role("admin"))],
                     notice: Annotated[str, Body(embed=True, max_length=20000)]) -> dict[str, Any]:
    if not 2000 <= year <= 2100:
        raise HTTPException(422, "年份应在 2000–2100 之间")
    try:
        days = parse_notice(year, notice)
    except NoticeError as exc:
        raise HTTPException(422, str(exc)) from None

    def run() -> None:
        with get_session_factory().begin() as session:
            store_year(session, year, days, "国务院办公厅通知（管理员录入）", user.username)

    await asyncio.to_thread(run)
    ticket_service(request).calendar.invalidate()
    return {"year": year, "holidays": sum(1 for _, w, _ in days if not w), "workdays": sum(1 for _, w, _ in days if w)}
