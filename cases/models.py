"""Tables of the embedded case system (a stand-in for a court's case management system)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    type_code: Mapped[str] = mapped_column(String(16))
    cause: Mapped[str] = mapped_column(String(64))  # 案由, e.g. 民间借贷纠纷
    status: Mapped[str] = mapped_column(String(32))  # 已立案 / 已排期 / 审理中 / 已结案 / 执行中 ...
    procedure: Mapped[str] = mapped_column(String(16), default="普通程序")
    filed_on: Mapped[date] = mapped_column(Date)
    department: Mapped[str] = mapped_column(String(32))
    judge: Mapped[str] = mapped_column(String(32))
    clerk: Mapped[str] = mapped_column(String(32))
    office_phone: Mapped[str] = mapped_column(String(32))
    related_case_number: Mapped[str | None] = mapped_column(String(64), nullable=True)

    parties: Mapped[list[CaseParty]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseParty.id"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.occurs_at"
    )


class CaseParty(Base):
    __tablename__ = "case_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # 原告 / 被告 / 申请人 / 被执行人 / 被告人 ...
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    id_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # An organisation's 法定代表人/负责人 and registered contact: either may verify with the phone on file.
    representative: Mapped[str | None] = mapped_column(String(64), nullable=True)
    contact: Mapped[str | None] = mapped_column(String(64), nullable=True)

    case: Mapped[Case] = relationship(back_populates="parties")


class CaseEvent(Base):
    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(16))  # 立案 / 分案 / 送达 / 排期 / 开庭 / 宣判 / 归档 ...
    occurs_at: Mapped[datetime] = mapped_column(DateTime)  # court-local wall time
    location: Mapped[str | None] = mapped_column(String(64), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    case: Mapped[Case] = relationship(back_populates="events")

