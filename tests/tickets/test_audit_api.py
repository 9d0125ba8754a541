"""The audit trail from the console: a supervisor verifies the hash chain and exports it (CSV or JSONL,
all tickets or one); an edit made behind the application's back shows up in the verification."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from core.db import get_session_factory
from tickets.service import ActionInput, Actor, NewTicket, TicketService
from tickets.states import Action


def edit_behind_the_app(sessions: sessionmaker[Session], note: str, new: str) -> None:
    with sessions.begin() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        if postgres:
            session.execute(text("ALTER TABLE ticket_events DISABLE TRIGGER ticket_events_append_only"))
        session.execute(text("UPDATE ticket_events SET note = :new WHERE note = :note"), {"new": new, "note": note})
        if postgres:
            session.execute(text("ALTER TABLE ticket_events ENABLE TRIGGER ticket_events_append_only"))


def test_a_supervisor_verifies_and_exports_the_audit_trail(role_client: dict[str, TestClient]) -> None:
    sessions = get_session_factory()
    service = TicketService(sessions)
    t = service.open_ticket(NewTicket("投诉", "web", "audit-api-1", "窗口人员态度差，电话13912345678"))
    t = service.perform(t.number, Action.ACCEPT, Actor("audit-op", "operator"), t.version)
    service.perform(t.number, Action.NOTE, Actor("audit-op", "operator"), t.version, ActionInput(text="已致电核实"))
    supervisor = role_client["supervisor"]

    verified = supervisor.get("/api/audit/verify")
    assert verified.status_code == 200 and verified.json()["intact"] is True
    assert verified.json()["events"] >= 3

    exported = supervisor.get("/api/audit/export", params={"format": "csv", "ticket": t.number})
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["action"] for r in rows] == ["open", "accept", "note"] and {r["ticket"] for r in rows} == {t.number}
    assert rows[1]["prev_hash"] == rows[0]["hash"] and rows[2]["note"] == "已致电核实"
    assert "13912345678" not in exported.text  # masked in stored text, so in the export too

    lines = supervisor.get("/api/audit/export", params={"format": "jsonl", "ticket": t.number}).text.splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2, 3]

    # Someone with database rights edits a recorded step behind the application (on PostgreSQL they must
    # first switch off the append-only trigger): the chain no longer matches.
    edit_behind_the_app(sessions, "已致电核实", "未致电")
    broken = supervisor.get("/api/audit/verify").json()
    assert broken["intact"] is False
    assert any(p["ticket"] == t.number and p["seq"] == 3 for p in broken["problems"])
    edit_behind_the_app(sessions, "未致电", "已致电核实")  # put it back: other tests verify the whole trail
    assert supervisor.get("/api/audit/verify").json()["intact"] is True


def test_an_operator_may_not_export_the_audit_trail(role_client: dict[str, TestClient]) -> None:
    assert role_client["operator"].get("/api/audit/export").status_code == 403
