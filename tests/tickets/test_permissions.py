"""Every ticket and console endpoint, for every role: allowed roles get past the guard, the others
get 403. The table below is written independently of the routes; a route under these prefixes that
is not in it fails, so a new route must declare who may use it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import app
from auth.roles import ALL_ROLES
from tests.gateway.test_route_guards import api_routes
from tickets.service import NewTicket, TicketService

OP, HANDLER, SUP, KB, ADMIN = "operator", "department_handler", "supervisor", "knowledge_editor", "admin"
VIEW = {OP, HANDLER, SUP, ADMIN}
REPORTS = {OP, SUP, ADMIN}
EVERYONE = set(ALL_ROLES)

EXPECTED: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/tickets"): VIEW,
    ("GET", "/api/tickets/notifications"): VIEW,
    ("GET", "/api/tickets/queues"): VIEW,
    ("GET", "/api/tickets/staff"): {OP, SUP},
    ("GET", "/api/tickets/{number}"): VIEW,
    ("POST", "/api/tickets/{number}/accept"): {OP, HANDLER, SUP},
    ("POST", "/api/tickets/{number}/assign"): {OP, SUP},
    ("POST", "/api/tickets/{number}/return"): {HANDLER, SUP},
    ("POST", "/api/tickets/{number}/note"): {OP, HANDLER, SUP},
    ("POST", "/api/tickets/{number}/feedback"): {OP, HANDLER, SUP},
    ("POST", "/api/tickets/{number}/revisit"): {OP, SUP},
    ("POST", "/api/tickets/{number}/revisit-failed"): {OP, SUP},
    ("POST", "/api/tickets/{number}/close"): {OP, SUP},
    ("POST", "/api/tickets/{number}/reopen"): {OP, SUP},
    ("POST", "/api/tickets/{number}/escalate"): {OP, SUP},
    ("POST", "/api/tickets/{number}/merge"): {OP, SUP},
    ("GET", "/api/reports/summary"): REPORTS,
    ("GET", "/api/reports/performance"): {SUP, ADMIN},
    ("GET", "/api/reports/tickets.csv"): REPORTS,
    ("POST", "/api/calendar/{year}"): {ADMIN},
    ("GET", "/api/audit/verify"): {SUP, ADMIN},
    ("GET", "/api/audit/export"): {SUP, ADMIN},
    ("GET", "/api/auth/me"): EVERYONE,
    ("POST", "/api/auth/logout"): EVERYONE,
    ("GET", "/console"): VIEW,
    ("GET", "/console/dashboard"): REPORTS,
    ("GET", "/console/calendar"): {ADMIN},
    ("POST", "/console/logout"): EVERYONE,
}
# Ours: tickets, reports, calendar, accounts and the console pages (the knowledge editor's pages
# and the channels' live hand-off API have their own tests).
PREFIXES = ("/api/tickets", "/api/reports", "/api/calendar", "/api/audit", "/api/auth", "/console")
NOT_OURS = re.compile(r"^/console/(knowledge|login)|^/api/auth/token$")
# Logging out revokes the token the shared clients use: checked with tokens of their own below.
REVOKING = {("POST", "/api/auth/logout"), ("POST", "/console/logout")}


def our_routes() -> set[tuple[str, str]]:
    return {(m, r.path) for r in api_routes(app.routes) for m in r.methods - {"HEAD", "OPTIONS"}
            if r.path.startswith(PREFIXES) and not NOT_OURS.match(r.path)}


def test_every_route_declares_its_roles() -> None:
    assert our_routes() == set(EXPECTED), "declare the roles of new routes in EXPECTED"


@pytest.fixture(scope="module")
def ticket_number(configured: str) -> str:
    from core.db import get_session_factory

    return TicketService(get_session_factory()).open_ticket(NewTicket("咨询", "web", "perm-1", "权限测试")).number


def _call(client: TestClient, method: str, path: str, number: str) -> Any:
    url = path.replace("{number}", number).replace("{year}", "2033")
    body: dict[str, Any] | None = None
    if "/api/tickets/" in path and method == "POST":
        body = {"version": 0}  # stale: a role that passes the guard gets 409, and nothing changes
    elif path.startswith("/api/calendar"):
        body = {"notice": "放假 元旦 2033-13-01"}  # unreadable: 422 for the admin
    return client.request(method, url, json=body, follow_redirects=False)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("method", "path"), sorted(set(EXPECTED) - REVOKING))
def test_each_role_may_do_only_what_it_is_allowed(method: str, path: str, role: str, ticket_number: str,
                                                  role_client: dict[str, TestClient]) -> None:
    response = _call(role_client[role], method, path, ticket_number)
    if role in EXPECTED[(method, path)]:
        assert response.status_code not in (401, 403), (role, method, path, response.text[:200])
        assert response.status_code < 500
    else:
        assert response.status_code == 403, (role, method, path, response.status_code)
        assert "无权" in response.json()["detail"]


def test_a_department_sees_only_its_own_tickets(role_client: dict[str, TestClient], ticket_number: str) -> None:
    from core.db import get_session_factory
    from tests.tickets.conftest import DEPARTMENT

    service = TicketService(get_session_factory())
    ours = service.open_ticket(NewTicket("投诉举报", "web", "perm-2", "立案窗口排队太久"))
    op = role_client[OP]
    assigned = op.post(f"/api/tickets/{ours.number}/assign", json={"version": ours.version, "department": DEPARTMENT})
    assert assigned.status_code == 200, assigned.text
    handler = role_client[HANDLER]
    listed = {t["number"] for t in handler.get("/api/tickets", params={"limit": 200}).json()["tickets"]}
    assert ours.number in listed and ticket_number not in listed
    assert handler.get(f"/api/tickets/{ticket_number}").status_code == 404
    detail = handler.get(f"/api/tickets/{ours.number}").json()
    assert detail["department"] == DEPARTMENT
    # and acting on another department's ticket is refused without revealing it
    assert handler.post(f"/api/tickets/{ticket_number}/accept", json={"version": 2}).status_code == 404
