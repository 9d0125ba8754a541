"""Verification attempts (the log the limits are counted from) and one guard row per limited scope."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class VerificationAttempt(Base):
    """One identity check, masked. Limits count the rows with `counted` (real failed checks) in a window."""

    __tablename__ = "verification_attempts"
    __table_args__ = (
        Index("ix_verification_attempts_caller_at", "caller", "at"),
        Index("ix_verification_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(64), index=True)
    sender: Mapped[str] = mapped_column(String(160))
    channel: Mapped[str] = mapped_column(String(32))
    # The conversation's channel identity (`channel:sender`): the unit per-caller limits count.
    caller: Mapped[str] = mapped_column(String(200), default="")
    # Web client address (after trusted proxies); None on channels where the sender id is trustworthy.
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_name: Mapped[str] = mapped_column(String(64))  # masked: 张*
    # Hash of case + the party the claim names, so a success clears only failures against that party.
    claim: Mapped[str] = mapped_column(String(32), default="")
    success: Mapped[bool] = mapped_column(Boolean)
    # False for attempts refused by a limit before any check: they say nothing about the tail.
    counted: Mapped[bool] = mapped_column(Boolean, default=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class VerificationScope(Base):
    """A case, a caller or an address. The row is locked (UPDATE) first in every check, which
    serialises concurrent checks of the same scope on PostgreSQL and SQLite alike."""

    __tablename__ = "verification_scopes"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)  # case / caller / address
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    touched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Staff reset: failures before this moment no longer count for this scope.
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Case only: when failures from all callers passed the ceiling; a person verifies until reset.
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    alert_ticket: Mapped[str | None] = mapped_column(String(32), nullable=True)


class RememberedVerification(Base):
    """A WeChat user who verified for a case, remembered until `expires_at` or "解除绑定"."""

    __tablename__ = "remembered_verifications"

    caller: Mapped[str] = mapped_column(String(200), primary_key=True)  # channel:sender
    case_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    party_name: Mapped[str] = mapped_column(String(128))
    verified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
