"""Two operators acting on the same ticket at the same moment: exactly one wins, the other is told
(409, in Chinese) and nothing of theirs is written. On PostgreSQL, through the service and through
the HTTP API."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from api.main import create_app
from tickets.audit import verify_chain
from tickets.service import ActionInput, Actor, NewTicket, StaleTicket, TicketService
from tickets.states import Action

ZHANG, LI = Actor("op-zhang", "operator"), Actor("op-li", "operator")


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; each result is its value or its exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:  # the loser's StaleTicket, or a bug
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_exactly_one_of_two_simultaneous_actions_wins(pg_sessions: sessionmaker[Session]) -> None:
    service = TicketService(pg_sessions)
    rounds = 12
    for i in range(rounds):
        t = service.open_ticket(NewTicket("咨询", "phone", f"lock-{i}", "询问诉讼费"))
        t = service.perform(t.number, Action.ACCEPT, ZHANG, t.version)
        seen = t.version  # both operators have the same page open
        results = at_once(
            partial(service.perform, t.number, Action.FEEDBACK, ZHANG, seen, ActionInput(text="诉讼费按标的额计算")),
            partial(service.perform, t.number, Action.ASSIGN, LI, seen, ActionInput(department="民一庭")),
        )
        winners = [r for r in results if not isinstance(r, Exception)]
        losers = [r for r in results if isinstance(r, Exception)]
        assert len(winners) == 1 and len(losers) == 1, results
        assert isinstance(losers[0], StaleTicket) and "刚刚已被其他人更新" in losers[0].message
        final = service.get(t.number)
        assert final is not None
        assert final.version == seen + 1 and final.event_count == 3  # open, accept, the winner's action
        assert final.status == winners[0].status
    with pg_sessions() as session:
        _, _, problems = verify_chain(session)
    assert problems == []


@pytest.fixture()
def pg_api(pg_sessions: sessionmaker[Session]) -> Any:
    """The gateway app with its ticket service on the PostgreSQL database (accounts stay on the
    shared test database)."""
    app = create_app()
    app.state.tickets = TicketService(pg_sessions)
    return app


def test_the_api_answers_the_loser_with_409(pg_api: Any, pg_sessions: sessionmaker[Session],
                                            role_client: dict[str, TestClient]) -> None:
    headers = role_client["operator"].headers
    service = TicketService(pg_sessions)
    outcomes: list[int] = []
    for i in range(8):
        t = service.open_ticket(NewTicket("投诉举报", "web", f"lock-api-{i}", "窗口排队时间长"))
        # Not as a context manager: the lifespan would put the default ticket service back.
        client = TestClient(pg_api, headers=headers)
        url = f"/api/tickets/{t.number}/"
        a, b = at_once(partial(client.post, url + "accept", json={"version": t.version}),
                       partial(client.post, url + "assign", json={"version": t.version, "department": "民一庭"}))
        codes = sorted([a.status_code, b.status_code])
        assert codes == [200, 409], (a.text, b.text)
        loser = a if a.status_code == 409 else b
        assert "刚刚已被其他人更新" in loser.json()["detail"] and "请刷新" in loser.json()["detail"]
        outcomes.extend(codes)
        assert service.get(t.number).event_count == 2
    assert outcomes.count(409) == 8
