"""Lockout state per case and an append-only log of every verification attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class CaseAccessLock(Base):
    """Consecutive failed checks for a case; `locked_until` set once they reach the limit."""

    __tablename__ = "case_access_locks"

    case_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class VerificationAttempt(Base):
    """Audit row per attempt. Holds the masked inputs only."""

    __tablename__ = "verification_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(64), index=True)
    sender: Mapped[str] = mapped_column(String(160))
    channel: Mapped[str] = mapped_column(String(32))
    claimed_name: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
