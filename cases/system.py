"""The CaseSystem interface: everything the bot may ask a court's case management system.

A court plugs in its own system by implementing this Protocol and naming the class in
COURTBOT_CASE_SYSTEM (module:Class). The embedded implementation reads our own tables.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, runtime_checkable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from cases.models import Case


@dataclass(frozen=True)
class Party:
    role: str
    name: str  # a person's name, or an organisation's registered name
    phone: str | None  # for an organisation: the phone on file (its representative's or contact's)
    id_number: str | None
    representative: str | None = None  # 法定代表人 / 负责人 of an organisation
    contact: str | None = None  # the organisation's registered contact person


@dataclass(frozen=True)
class TimelineEntry:
    step: str
    occurs_at: datetime
    location: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Staff:
    judge: str
    clerk: str
    department: str
    office_phone: str


@dataclass(frozen=True)
class CaseRecord:
    case_number: str
    type_code: str
    cause: str
    status: str
    filed_on: date
    related_case_number: str | None = None


@runtime_checkable
class CaseSystem(Protocol):
    """Read-only questions the bot asks. Every method returns None/[] for an unknown case number."""

    def find_case(self, case_number: str) -> CaseRecord | None: ...

    def parties(self, case_number: str) -> list[Party]: ...

    def timeline(self, case_number: str) -> list[TimelineEntry]: ...

    def staff(self, case_number: str) -> Staff | None: ...


class EmbeddedCaseSystem:
    """CaseSystem over the embedded `cases` tables (demo court, tests, courts without an API)."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def _load(self, session: Session, case_number: str) -> Case | None:
        stmt = (
            select(Case)
            .where(Case.case_number == case_number)
            .options(selectinload(Case.parties), selectinload(Case.events))
        )
        return session.scalars(stmt).first()

    def find_case(self, case_number: str) -> CaseRecord | None:
        with self._sessions() as session:
            case = self._load(session, case_number)
            if case is None:
                return None
            return CaseRecord(
                case_number=case.case_number,
                type_code=case.type_code,
                cause=case.cause,
                status=case.status,
                filed_on=case.filed_on,
                related_case_number=case.related_case_number,
            )

    def parties(self, case_number: str) -> list[Party]:
        with self._sessions() as session:
            case = self._load(session, case_number)
            if case is None:
                return []
            return [
                Party(p.role, p.name, p.phone, p.id_number, p.representative, p.contact) for p in case.parties
            ]

    def timeline(self, case_number: str) -> list[TimelineEntry]:
        with self._sessions() as session:
            case = self._load(session, case_number)
            if case is None:
                return []
            return [TimelineEntry(e.step, e.occurs_at, e.location, e.note) for e in case.events]

    def staff(self, case_number: str) -> Staff | None:
        with self._sessions() as session:
            case = self._load(session, case_number)
            if case is None:
                return None
            return Staff(case.judge, case.clerk, case.department, case.office_phone)


def load_case_system(spec: str | None, session_factory: sessionmaker[Session]) -> CaseSystem:
    """The embedded system by default; `package.module:ClassName` for a court's own adapter."""
    if not spec:
        return EmbeddedCaseSystem(session_factory)
    module_name, _, class_name = spec.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    system = cls()
    if not isinstance(system, CaseSystem):
        raise TypeError(f"{spec} does not implement CaseSystem")
    return system
