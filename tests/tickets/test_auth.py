"""Logging in: the token API (OAuth2 password form → bearer), the console's login form with its
CSRF token, CSRF on every cookie-authenticated change, lockout after repeated failures, logout."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from tests.tickets.conftest import PASSWORD
from tickets.service import NewTicket, TicketService


@pytest.fixture(scope="module")
def client(configured: str) -> TestClient:
    return TestClient(create_app())


def _user(role: str, department: str | None = None) -> str:
    from auth.service import AuthService
    from core.db import get_session_factory

    name = f"auth-{uuid.uuid4().hex[:8]}"
    AuthService(get_session_factory()).create_user(name, role, PASSWORD, f"登录测试{role}", department)
    return name


def test_the_token_api(client: TestClient) -> None:
    name = _user("supervisor")
    got = client.post("/api/auth/token", data={"username": name, "password": PASSWORD})
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["token_type"] == "bearer" and len(body["access_token"]) >= 40
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    me = client.get("/api/auth/me", headers=bearer).json()
    assert (me["username"], me["role"], me["role_label"]) == (name, "supervisor", "督办员")
    assert client.get("/api/tickets", headers=bearer).status_code == 200
    wrong = client.post("/api/auth/token", data={"username": name, "password": "not-the-password-1"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == "用户名或密码错误。"
    unknown = client.post("/api/auth/token", data={"username": "nobody-here", "password": PASSWORD})
    assert unknown.status_code == 401 and unknown.json()["detail"] == wrong.json()["detail"]  # no account probing
    assert client.post("/api/auth/logout", headers=bearer).status_code == 204
    assert client.get("/api/auth/me", headers=bearer).status_code == 401  # revoked
    assert client.get("/api/tickets", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_the_api_is_in_the_openapi_with_the_password_flow(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/tickets", "/api/tickets/{number}", "/api/tickets/{number}/feedback", "/api/auth/token"):
        assert path in spec["paths"], path
    listing = spec["paths"]["/api/tickets"]["get"]
    assert {"status", "category", "q"} <= {p["name"] for p in listing["parameters"]}


def test_lockout_after_repeated_failures(client: TestClient) -> None:
    name = _user("operator")
    other = _user("operator")
    for _ in range(5):  # COURTBOT_AUTH_MAX_FAILURES
        assert client.post("/api/auth/token", data={"username": name, "password": "guess-guess-1"}).status_code == 401
    locked = client.post("/api/auth/token", data={"username": name, "password": PASSWORD})  # even the right one
    assert locked.status_code == 429 and "登录失败次数过多" in locked.json()["detail"]
    page = client.get("/console/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = client.post("/console/login", data={"username": name.upper(), "password": PASSWORD, "csrf_token": csrf},
                       follow_redirects=False)
    assert form.status_code == 429 and "登录失败次数过多" in form.text  # the username's case does not matter
    # Someone else at the same desk is not locked out by it.
    assert client.post("/api/auth/token", data={"username": other, "password": PASSWORD}).status_code == 200


def _console_login(client: TestClient, name: str) -> str:
    """Log in through the form; returns the CSRF token the workspace page carries."""
    page = client.get("/console/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = client.post("/console/login", data={"username": name, "password": PASSWORD, "csrf_token": csrf,
                                                "next": "/console"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/console", done.text
    workspace = client.get("/console")
    assert workspace.status_code == 200
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', workspace.text).group(1)


def test_csrf_on_the_login_form_and_on_every_change(configured: str) -> None:
    from core.db import get_session_factory

    name = _user("operator")
    browser = TestClient(create_app())
    browser.get("/console/login")
    forged = browser.post("/console/login", data={"username": name, "password": PASSWORD, "csrf_token": "x" * 32},
                          follow_redirects=False)
    assert forged.status_code == 403 and "页面已过期" in forged.text and "courtbot_session" not in forged.cookies
    csrf = _console_login(browser, name)
    ticket = TicketService(get_session_factory()).open_ticket(NewTicket("咨询", "web", "csrf-1", "问开庭时间"))
    url = f"/api/tickets/{ticket.number}/note"
    note = {"version": ticket.version, "text": "已回电"}
    # Another site's page can make the browser send the cookie, but not the token.
    refused = browser.post(url, json=note)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert browser.post(url, json=note, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert TicketService(get_session_factory()).get(ticket.number).event_count == 1  # nothing happened
    ok = browser.post(url, json=note, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200 and ok.json()["events"][-1]["note"] == "已回电"
    # The logout form needs it too; with it, the session is over.
    assert browser.post("/console/logout", data={"csrf_token": "wrong"}, follow_redirects=False).status_code == 403
    out = browser.post("/console/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/console/login"
    assert browser.get("/console", follow_redirects=False).status_code == 303


def test_open_redirects_are_refused_and_editors_land_on_their_page(client: TestClient) -> None:
    name = _user("knowledge_editor")
    for target, landing in (("https://evil.example/", "/console/knowledge"), ("//evil.example", "/console/knowledge"),
                            ("/console/dashboard", "/console/dashboard")):
        page = client.get("/console/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        done = client.post("/console/login", data={"username": name, "password": PASSWORD, "csrf_token": csrf,
                                                    "next": target}, follow_redirects=False)
        assert done.headers["location"] == landing


def test_a_stranger_cannot_lock_an_operator_out(configured: str) -> None:
    """Failures count per caller: guesses from elsewhere lock out those addresses, not the operator's desk;
    past the account ceiling every address that has failed on it is refused, a clean one still gets in."""
    from auth.service import AuthError, AuthService
    from core.db import get_session_factory

    service = AuthService(get_session_factory())
    name = _user("operator")
    for i in range(3):  # three guessing addresses: five wrong passwords each, then locked there
        for _ in range(5):
            with pytest.raises(AuthError) as refused:
                service.authenticate(name, "guess-guess-1", f"198.51.100.{i}")
            assert not refused.value.locked
        with pytest.raises(AuthError) as refused:
            service.authenticate(name, PASSWORD, f"198.51.100.{i}")
        assert refused.value.locked  # that address is locked for this account, even with the right password
    assert service.authenticate(name, PASSWORD, "192.0.2.10").username == name  # the operator's desk
    for _ in range(2):  # 18 failures so far; two more from a fresh address reach the account ceiling (20)
        with pytest.raises(AuthError) as refused:
            service.authenticate(name, "guess-guess-1", "198.51.100.99")
        assert not refused.value.locked
    with pytest.raises(AuthError) as refused:  # past the ceiling an address that has failed is refused at once
        service.authenticate(name, PASSWORD, "198.51.100.99")
    assert refused.value.locked
    assert service.authenticate(name, PASSWORD, "192.0.2.11").username == name  # a clean address still gets in
