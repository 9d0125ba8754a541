"""The ticket state machine: the pure transition table, and a hypothesis stateful test that drives
the real TicketService (SQLite) with random action sequences against a tiny model of the lifecycle."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy.orm import Session, sessionmaker

from auth.service import AuthService
from core.db import make_engine
from tickets.audit import verify_chain
from tickets.calendar import CalendarSource, WorkCalendar
from tickets.service import (
    ActionInput,
    Actor,
    InvalidAction,
    NewTicket,
    StaleTicket,
    TicketService,
    TransitionRefused,
)
from tickets.sla import Deadlines
from tickets.states import Action, IllegalTransition, Status, available_actions, transition

# The lifecycle as the issue states it, written out independently of tickets/states.py.
EXPECTED = {
    ("received", "accept"): "in_progress", ("assigned", "accept"): "in_progress",
    ("received", "assign"): "assigned", ("assigned", "assign"): "assigned", ("in_progress", "assign"): "assigned",
    ("assigned", "return"): "received", ("in_progress", "return"): "received",
    ("in_progress", "feedback"): "fed_back",
    ("fed_back", "revisit"): "revisited",
    ("revisited", "close"): "closed",
    ("fed_back", "reopen"): "in_progress", ("revisited", "reopen"): "in_progress", ("closed", "reopen"): "in_progress",
    ("received", "merge"): "merged", ("assigned", "merge"): "merged", ("in_progress", "merge"): "merged",
}
_OPEN = ("received", "assigned", "in_progress", "fed_back", "revisited")
# Actions that keep the status, and where they are allowed.
IN_PLACE = {"note": (*_OPEN, "closed"), "escalate": _OPEN, "revisit_failed": ("fed_back",)}
STATUS_CHANGING = {"accept", "assign", "return", "feedback", "revisit", "close", "reopen", "merge"}
PERSON_ACTIONS = [a for a in Action if a not in (Action.OPEN, Action.ABSORB, Action.REMIND, Action.ADD_DETAILS,
                                                  Action.REVISIT_ASKED)]


@pytest.mark.parametrize("status", [s.value for s in Status])
@pytest.mark.parametrize("action", sorted(STATUS_CHANGING))
def test_transition_table_matches_the_lifecycle(status: str, action: str) -> None:
    expected = EXPECTED.get((status, action))
    if expected is None:
        with pytest.raises(IllegalTransition):
            transition(status, Action(action))
    else:
        assert transition(status, Action(action)) == expected


def test_terminal_states_offer_almost_nothing() -> None:
    assert available_actions("merged") == []
    assert [a.value for a in available_actions("closed")] == ["note", "reopen"]


class _FixedCalendar(CalendarSource):
    def __init__(self) -> None:
        self._cal = WorkCalendar(known_years={2026})

    def get(self) -> WorkCalendar:
        return self._cal


@pytest.fixture(scope="module")
def factory() -> Iterator[sessionmaker[Session]]:
    from cli.database import migrate

    # tmpfs when there is one: hundreds of small commits, and fsync is not what is under test.
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        url = f"sqlite:///{Path(tmp) / 'states.db'}"
        migrate(url)
        engine = make_engine(url)
        yield sessionmaker(bind=engine, expire_on_commit=False)
        engine.dispose()


def test_random_action_sequences_follow_the_lifecycle(factory: sessionmaker[Session]) -> None:
    service = TicketService(factory, _FixedCalendar(), Deadlines())
    reached: set[tuple[str, str]] = set()
    start = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)

    class Lifecycle(RuleBasedStateMachine):
        @initialize()
        def open_two(self) -> None:
            self.clock = start
            self.seen = reached
            self.tickets = {}
            for i in range(2):
                t = service.open_ticket(NewTicket("投诉举报", "web", f"h{i}", f"测试工单{i}"), now=self.clock)
                self.tickets[t.number] = {"status": "received", "version": t.version, "events": 1}

        def _tick(self) -> datetime:
            self.clock += timedelta(minutes=7)
            return self.clock

        @rule(which=st.integers(0, 1), data=st.data(), satisfaction=st.integers(0, 6),
              text=st.sampled_from(["", "已电话联系当事人，电话13838915678", "已答复"]),
              stale_roll=st.integers(0, 4), anything=st.integers(0, 3))
        def act(self, which: int, data: st.DataObject, satisfaction: int, text: str, stale_roll: int,
                anything: int) -> None:
            numbers = sorted(self.tickets)
            number, other = numbers[which], numbers[1 - which]
            model = self.tickets[number]
            stale = stale_roll == 0  # a fifth of the actions come from someone with an old page
            # A quarter of the time any action at all, otherwise one the model says is legal now, so
            # long lifecycles (through feedback, revisit, close, reopen) are reached too.
            # (merging ends a ticket, so it is left to the "any action" draws)
            legal_now = [a for a in PERSON_ACTIONS if a is not Action.MERGE and (
                (model["status"], a.value) in EXPECTED or model["status"] in IN_PLACE.get(a.value, ()))]
            action = data.draw(st.sampled_from(PERSON_ACTIONS if anything == 0 or not legal_now else legal_now))
            self.seen.add((model["status"], action.value))
            given = ActionInput(text=text, department="立案庭", satisfaction=satisfaction, into=other)
            version = model["version"] - 1 if stale else model["version"]
            legal = (model["status"], action.value) in EXPECTED or model["status"] in IN_PLACE.get(action.value, ())
            try:
                t = service.perform(number, action, Actor("op1", "operator", "立案庭"), version, given, self._tick())
            except StaleTicket:
                assert stale
                return
            except (TransitionRefused, InvalidAction):
                assert stale is False
                current = service.get(number)
                assert current is not None
                # Refused: nothing changed, nothing recorded.
                assert (current.status, current.version, current.event_count) == (
                    model["status"], model["version"], model["events"])
                if not legal:
                    return
                # Legal but refused: only for missing input, or merging into a finished ticket.
                assert not text or action in (Action.REVISIT, Action.MERGE)
                return
            assert not stale and legal
            expected = EXPECTED.get((model["status"], action.value), model["status"])
            assert t.status == expected
            assert t.version == model["version"] + 1 and t.event_count == model["events"] + 1
            assert "13838915678" not in (t.events[-1].note or "")
            model.update(status=t.status, version=t.version, events=t.event_count)
            if action is Action.MERGE:  # the other ticket records that it absorbed this one
                absorbed = service.get(other)
                assert absorbed is not None and absorbed.events[-1].action == "absorb"
                self.tickets[other].update(version=absorbed.version, events=absorbed.event_count)

        @invariant()
        def audit_chain_intact(self) -> None:
            if not getattr(self, "tickets", None):
                return
            with factory() as session:
                _, _, problems = verify_chain(session)
            assert problems == []

    run_state_machine_as_test(
        Lifecycle,
        settings=settings(max_examples=15, stateful_step_count=25, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow]),
    )
    # The run really went through the whole lifecycle, legal and illegal steps alike.
    # (the full path to closing and reopening is walked step by step in the test below)
    assert {("in_progress", "feedback"), ("fed_back", "revisit")} <= reached
    assert any((s, a) not in EXPECTED and s not in IN_PLACE.get(a, ()) for s, a in reached)  # illegal tries


def test_full_lifecycle_with_reopen_and_merge(factory: sessionmaker[Session]) -> None:
    service = TicketService(factory, _FixedCalendar(), Deadlines())
    now = datetime(2026, 3, 3, 1, 0, tzinfo=timezone.utc)
    op = Actor("op2", "operator", None)
    AuthService(factory).create_user("handler1", "department_handler", "Handler-pass-1", department="民一庭")
    AuthService(factory).create_user("handler2", "department_handler", "Handler-pass-2", department="立案庭")
    wrong = service.open_ticket(NewTicket("联系法官", "web", "x", "错派"), now=now)
    for assignee, problem in (("handler2", "不属于民一庭"), ("nobody", "没有可以承办工单的账号")):
        with pytest.raises(InvalidAction, match=problem):  # another department's person, or a typo
            service.perform(wrong.number, Action.ASSIGN, op, wrong.version,
                            ActionInput(department="民一庭", assignee=assignee), now)
    t = service.open_ticket(NewTicket("联系法官", "web", "life", "请法官回电"), now=now)
    dup = service.open_ticket(NewTicket("联系法官", "web", "life", "请法官回电（重复）"), now=now)
    steps = [
        (Action.ASSIGN, ActionInput(department="民一庭", assignee="handler1"), "assigned"),
        (Action.ACCEPT, ActionInput(), "in_progress"),
        (Action.FEEDBACK, ActionInput(text="法官已回电说明开庭安排"), "fed_back"),
        (Action.REVISIT, ActionInput(satisfaction=2, text="不满意"), "revisited"),
        (Action.CLOSE, ActionInput(), "closed"),
        (Action.REOPEN, ActionInput(text="当事人仍不满意"), "in_progress"),
        (Action.FEEDBACK, ActionInput(text="庭长再次答复"), "fed_back"),
        (Action.REVISIT, ActionInput(satisfaction=5), "revisited"),
        (Action.CLOSE, ActionInput(), "closed"),
    ]
    for action, data, status in steps:
        now += timedelta(hours=1)
        t = service.perform(t.number, action, op, t.version, data, now)
        assert t.status == status
    assert (t.reopen_count, t.satisfaction, t.assignee, t.department) == (1, 5, "op2", "民一庭")
    assert [e.action for e in t.events] == ["open"] + [a.value for a, _, _ in steps]
    with pytest.raises(TransitionRefused):  # a closed ticket cannot absorb a duplicate
        service.perform(dup.number, Action.MERGE, op, dup.version, ActionInput(into=t.number), now)
    t = service.perform(t.number, Action.REOPEN, op, t.version, ActionInput(text="合并重复"), now)
    merged = service.perform(dup.number, Action.MERGE, op, dup.version, ActionInput(into=t.number), now)
    assert merged.status == "merged" and merged.merged_into == t.number
    assert service.get(t.number).events[-1].action == "absorb"
