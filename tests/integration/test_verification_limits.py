"""Identity-check limits (issue 6, items 1-2) on the configured database (SQLite, or PostgreSQL with
DATABASE_URL): per caller and case, per caller, per web address, and the per-case ceiling."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cases.models import Case, CaseParty
from cases.system import EmbeddedCaseSystem
from core.config import Settings
from core.db import make_engine
from identity.service import ALERT_CATEGORY, Caller, IdentityService, Limits, Refusal
from tickets.models import Ticket

CASE = "（2024）豫0804民初1566号"  # 张伟 (原告) 13838915678, 李娜 (被告) 13903912468
LEASE = "（2025）豫0804民初2001号"  # 陈静 13700001111, 刘洋 13911112222
EXECUTION = "（2025）豫0804执1001号"  # 王磊 13688889999, 赵刚 13577776666
WEB = "web"


def fresh_factory(url: str) -> sessionmaker[Session]:
    """A new engine, as a restarted process would have."""
    return sessionmaker(bind=make_engine(url), expire_on_commit=False)


def service(url: str, limits: Limits | None = None) -> IdentityService:
    factory = fresh_factory(url)
    return IdentityService(factory, EmbeddedCaseSystem(factory), limits)


def caller(name: str, address: str | None = None, channel: str = WEB) -> Caller:
    return Caller(id=f"{channel}:{name}", channel=channel, address=address)


def at(day: int, minute: int = 0) -> datetime:
    """Far-future moments, one day per test, so tickets and windows never mix between tests."""
    return datetime(2040, 1, 1, 2, 0, tzinfo=timezone.utc) + timedelta(days=day, minutes=minute)


def test_defaults_are_the_documented_limits() -> None:
    limits = Limits.from_settings(Settings())
    assert limits == Limits(
        max_failures=3, lock_minutes=60, caller_max_failures=10, caller_window_hours=24,
        case_ceiling=10, case_window_hours=24, address_max_failures=30, address_window_minutes=60,
    )  # fmt: skip
    custom = Limits.from_settings(Settings(COURTBOT_VERIFY_CASE_CEILING="4", COURTBOT_VERIFY_ADDRESS_MAX_FAILURES="7"))
    assert (custom.case_ceiling, custom.address_max_failures) == (4, 7)


def test_interleaved_guessing_gets_the_caller_locked(seeded: date, configured: str) -> None:
    """Item 1: 8 wrong tails for 李娜, with a correct check as 张伟 after every two, from one caller."""
    checks = service(configured)
    probe = caller("prober", "203.0.113.5")
    outcomes = []
    for i, guess in enumerate(["0000", "1111", "2222", "3333", "4444", "5555", "6666", "7777"]):
        now = at(1, 2 * i)
        outcomes.append(checks.verify_caller(CASE, "李娜", guess, probe, now=now))
        if i % 2 == 1:
            outcomes.append(checks.verify_caller(CASE, "张伟", "5678", probe, now=now + timedelta(seconds=30)))
    wrong_checked = [r for r in outcomes if r.checked and not r.verified]
    assert len(wrong_checked) == 3  # the third wrong tail locks; nothing after it is checked
    assert wrong_checked[-1].refused is Refusal.LOCKED
    assert outcomes[-1].refused is Refusal.LOCKED and not outcomes[-1].verified
    assert outcomes[-1].until == at(1, 4) + timedelta(hours=1)
    # Another caller is not affected, and the prober is still locked after a restart.
    assert service(configured).verify_caller(CASE, "李娜", "2468", caller("lina"), now=at(1, 20)).verified
    assert service(configured).refusal(CASE, probe, now=at(1, 30)) is not None


def test_a_success_clears_only_own_failures_against_that_party(seeded: date, configured: str) -> None:
    checks = service(configured)
    me = caller("typo")
    assert checks.verify_caller(CASE, "张伟", "5687", me, now=at(2)).attempts_left == 2
    assert checks.verify_caller(CASE, "张伟", "5876", me, now=at(2, 1)).attempts_left == 1
    assert checks.verify_caller(CASE, "张伟", "5678", me, now=at(2, 2)).verified
    assert checks.verify_caller(CASE, "张伟", "0000", me, now=at(2, 3)).attempts_left == 2


def test_three_failures_from_others_do_not_stop_the_real_party(seeded: date, configured: str) -> None:
    """Item 2: three unrelated conversations fail; 张伟 with the right tail still verifies."""
    checks = service(configured)
    for i, channel in enumerate(("web", "wechat", "hotline")):
        result = checks.verify_caller(CASE, "张伟", "0000", caller(f"stranger{i}", channel=channel), now=at(3, i))
        assert not result.verified and result.refused is None
    mob = caller("mob", "198.51.100.7")
    for i in range(3):
        last = checks.verify_caller(CASE, "张伟", f"000{i}", mob, now=at(3, 5 + i))
    assert last.refused is Refusal.LOCKED
    real = checks.verify_caller(CASE, "张伟", "5678", caller("zhangwei", channel="wechat"), now=at(3, 10))
    assert real.verified and real.party is not None and real.party.name == "张伟"


def test_lock_survives_restart_and_expires_after_an_hour(seeded: date, configured: str) -> None:
    me = caller("restart", channel="hotline")
    for _ in range(3):
        result = service(configured).verify_caller(LEASE, "陈静", "0000", me, now=at(4))
    assert result.refused is Refusal.LOCKED and result.until == at(4) + timedelta(hours=1)
    restarted = service(configured)
    assert restarted.refusal(LEASE, me, now=at(4, 59)).refused is Refusal.LOCKED
    refused = restarted.verify_caller(LEASE, "陈静", "1111", me, now=at(4, 59))
    assert not refused.verified and not refused.checked
    ok = restarted.verify_caller(LEASE, "陈静", "1111", me, now=at(4, 61))
    assert ok.verified and ok.party is not None and ok.party.role == "原告"
    assert restarted.refusal(LEASE, me, now=at(4, 62)) is None


def test_a_callers_failures_across_cases_are_limited(seeded: date, configured: str, sessions) -> None:
    with sessions() as session:
        others = list(session.scalars(select(Case.case_number).where(Case.type_code == "民初").limit(6)))
    checks = service(configured)
    me = caller("roamer", channel="wechat")
    results = [
        checks.verify_caller(case_number, "某某", "0000", me, now=at(5, 2 * i + j))
        for i, case_number in enumerate(others)
        for j in range(2)
    ]
    assert sum(r.checked for r in results) == 10  # never more than 2 on one case: the per-caller limit
    assert [r.refused for r in results[9:]] == [Refusal.CALLER] * 3
    result = results[-1]
    assert result.until == at(5, 0) + timedelta(hours=24)
    # The limit is this caller's: the real party on another conversation is not stopped.
    assert checks.verify_caller(CASE, "张伟", "5678", caller("zw", channel="wechat"), now=at(5, 30)).verified
    assert checks.refusal(CASE, me, now=at(5, 24 * 60 + 1)) is None


def test_a_web_address_has_its_own_looser_limit(seeded: date, configured: str) -> None:
    checks = service(configured, Limits(case_ceiling=100, address_max_failures=30))
    shared = "192.0.2.44"
    results = [
        checks.verify_caller(CASE, "李娜", "0000", caller(f"browser{i}", shared), now=at(6, i)) for i in range(31)
    ]
    assert all(r.refused is None for r in results[:29])
    assert results[29].refused is Refusal.ADDRESS and results[30].refused is Refusal.ADDRESS
    assert sum(r.checked for r in results) == 30
    # Another address, and the same address an hour later, may try again.
    assert checks.refusal(CASE, caller("x", "192.0.2.45"), now=at(6, 31)) is None
    assert checks.refusal(CASE, caller("x", shared), now=at(6, 91)) is None


def _alerts(sessions: sessionmaker[Session], case_number: str) -> list[Any]:
    with sessions() as session:
        stmt = select(Ticket.number, Ticket.summary, Ticket.collected).where(Ticket.case_number == case_number)
        return [t for t in session.execute(stmt) if t.summary.startswith(f"{ALERT_CATEGORY}：")]


def test_rotating_senders_hit_the_ceiling_and_one_alert_ticket_lists_them(
    seeded: date, configured: str, sessions: sessionmaker[Session]
) -> None:
    before = {t.number for t in _alerts(sessions, EXECUTION)}
    checks = service(configured)
    results = [
        checks.verify_caller(EXECUTION, "赵刚", f"{i:04d}", caller(f"rot{i}", f"203.0.113.{i}"), now=at(7, i))
        for i in range(12)
    ]
    assert all(r.refused is None and r.checked for r in results[:9])
    assert results[9].refused is Refusal.CASE_MANUAL and results[9].checked
    assert all(r.refused is Refusal.CASE_MANUAL and not r.checked for r in results[10:])
    # Self-service is off for everyone, the real party too, until staff reset the case.
    real = checks.verify_caller(EXECUTION, "王磊", "9999", caller("wanglei", channel="wechat"), now=at(7, 20))
    assert not real.verified and real.refused is Refusal.CASE_MANUAL

    alerts = [t for t in _alerts(sessions, EXECUTION) if t.number not in before]
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.collected["failures"] == 10 and alert.collected["callers"] == 10
    assert len(alert.collected["attempts"]) == 10 and "verification reset" in alert.summary
    assert "rot3" not in alert.summary and "203.0.113.3" not in alert.summary  # masked
    assert "赵*" in alert.summary and not re.search(r"1[3-9]\d{9}", alert.summary)

    reset = checks.reset_case(EXECUTION, now=at(7, 30))
    assert reset.was_escalated and reset.failures_cleared == 10 and reset.alert_ticket == alert.number
    assert checks.verify_caller(EXECUTION, "王磊", "9999", caller("wanglei", channel="wechat"), now=at(7, 31)).verified
    assert len([t for t in _alerts(sessions, EXECUTION) if t.number not in before]) == 1


def test_concurrent_guesses_from_one_caller_are_counted_exactly(seeded: date, configured: str) -> None:
    checks = service(configured)
    me = caller("burst", "198.51.100.99")
    now = at(8)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: checks.verify_caller(CASE, "李娜", f"{i:04d}", me, now=now), range(16)))
    assert sum(r.checked for r in results) == 3
    assert sum(r.refused is Refusal.LOCKED for r in results) == 14  # the third check locks, 13 refused


def test_concurrent_guesses_on_one_case_open_one_alert(
    seeded: date, configured: str, sessions: sessionmaker[Session]
) -> None:
    before = {t.number for t in _alerts(sessions, LEASE)}
    checks = service(configured)
    now = at(9)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda i: checks.verify_caller(LEASE, "刘洋", "0000", caller(f"c{i}"), now=now), range(16))
        )
    assert sum(r.checked for r in results) == 10
    assert len([t for t in _alerts(sessions, LEASE) if t.number not in before]) == 1
    checks.reset_case(LEASE, now=now + timedelta(minutes=1))


def test_an_organisation_verifies_by_its_name_or_its_representative(
    seeded: date, configured: str, sessions: sessionmaker[Session]
) -> None:
    with sessions() as session:
        party, case_number = session.execute(
            select(CaseParty, Case.case_number)
            .join(Case)
            .where(CaseParty.name.like("%有限公司"), CaseParty.representative.is_not(None))
            .limit(1)
        ).one()
    tail = party.phone[-4:]
    checks = service(configured)
    by_name = checks.verify_caller(case_number, party.name, tail, caller("org1"), now=at(10))
    assert by_name.verified and by_name.party is not None and by_name.party.name == party.name
    informal = party.name.replace("有限公司", "公司")
    assert checks.verify_caller(case_number, informal, tail, caller("org2"), now=at(10, 1)).verified
    rep = checks.verify_caller(case_number, party.representative, tail, caller("org3"), now=at(10, 2))
    assert rep.verified and rep.party is not None and rep.party.name == party.name
    wrong = "0000" if tail != "0000" else "1111"
    assert not checks.verify_caller(case_number, party.representative, wrong, caller("org4"), now=at(10, 3)).verified


def test_attempt_log_keeps_no_name_or_number_in_full(seeded: date, configured: str, sessions) -> None:
    from identity.models import VerificationAttempt

    service(configured).verify_caller(CASE, "李娜", "0000", caller("log"), now=at(11))
    with sessions() as session:
        row = session.scalars(select(VerificationAttempt).where(VerificationAttempt.caller == "web:log")).one()
    assert row.claimed_name == "李*" and "李娜" not in row.claim and "0000" not in row.claim


@pytest.mark.parametrize("limit", [1, 2])
def test_limits_follow_settings(seeded: date, configured: str, limit: int) -> None:
    checks = service(configured, Limits(max_failures=limit))
    me = caller(f"limit{limit}")
    results = [checks.verify_caller(CASE, "李娜", "0000", me, now=at(12 + limit, i)) for i in range(limit + 1)]
    assert [r.refused for r in results] == [None] * (limit - 1) + [Refusal.LOCKED, Refusal.LOCKED]


def test_guessing_a_tickets_caller_hits_the_ceiling_and_the_alert_names_the_ticket(
    seeded: date, configured: str, sessions: sessionmaker[Session]
) -> None:
    from tickets.service import NewTicket, TicketService

    ticket = TicketService(sessions).open_ticket(NewTicket("投诉", "web", "web:ticket-owner", "投诉窗口排队",
                                                           caller_contact="13912345678"))
    checks = service(configured)
    results = [checks.verify_ticket_caller(ticket.number, f"{i:04d}", "13912345678",
                                           caller(f"tk{i}", f"203.0.113.{i}"), now=at(8, i)) for i in range(11)]
    assert all(not r.verified for r in results) and results[10].refused is Refusal.CASE_MANUAL
    with sessions() as session:
        summaries = [s for s in session.scalars(select(Ticket.summary)) if s.startswith(f"{ALERT_CATEGORY}：")]
    assert any(s.startswith(f"{ALERT_CATEGORY}：工单{ticket.number}在") for s in summaries)
