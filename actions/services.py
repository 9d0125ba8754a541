"""Domain services the actions use, built once per action-server process from settings."""

from __future__ import annotations

from functools import lru_cache

from cases.system import CaseSystem, load_case_system
from core.config import get_settings
from core.db import get_session_factory
from identity.service import IdentityService, Limits
from tickets.service import TicketService


@lru_cache
def case_system() -> CaseSystem:
    return load_case_system(get_settings().case_system, get_session_factory())


@lru_cache
def identity_service() -> IdentityService:
    settings = get_settings()
    return IdentityService(
        get_session_factory(), case_system(), Limits.from_settings(settings), tickets=ticket_service()
    )


@lru_cache
def ticket_service() -> TicketService:
    return TicketService(get_session_factory())
