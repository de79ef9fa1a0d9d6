"""Tables for why help was needed, the time spent and the case's outcome.

Plain and indexed for the service page and the open-data export (issue 19):
one ``demand_records`` row per pick (the moment, what it belongs to, who,
when, an optional note), one ``demand_reasons`` row per reason picked, one
``case_time`` row per stretch of time added, and one ``case_outcomes`` row
per case. Every row hangs off the case, so wiping a person wipes them too.

For counting: a reason's people are ``demand_reasons`` joined to
``demand_records`` (by ``service_id`` and ``recorded_at``, indexed) and their
case (``counting.reason_picks``: a person may pick at several moments, so
count distinct ``person_id``); the time spent
is the sum of ``case_time.minutes``; an outcome is ``case_outcomes`` where
the worker set one, else ``demand.derived_outcome`` (the newest escalation or
submission of the case). Notes are free text: never publish them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.kernel.models import Base, UTCDateTime, utcnow


class DemandRecord(Base):
    """One pick of reasons, at one moment of a case."""

    __tablename__ = "demand_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    service_id: Mapped[str] = mapped_column(String(64))
    moment: Mapped[str] = mapped_column(String(16))  # reasons.Moment
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("form_drafts.id"), nullable=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), nullable=True)
    assisted_session_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_demand_records_service_at", "service_id", "recorded_at"),)


class DemandReason(Base):
    """One reason of a pick (a key of ``reasons.Reason``)."""

    __tablename__ = "demand_reasons"

    record_id: Mapped[int] = mapped_column(ForeignKey("demand_records.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class CaseTime(Base):
    """Minutes spent helping on a case: a session's length, or typed in."""

    __tablename__ = "case_time"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    assisted_session_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseOutcomeRow(Base):
    """The outcome a worker set on a case, with its date."""

    __tablename__ = "case_outcomes"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16), index=True)  # reasons.CaseOutcome
    outcome_on: Mapped[date] = mapped_column(Date)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
