"""Tables for a case's complaint: each step taken with its dates, and the
person's consent to an evidence pack.

A step is unique per case: recording the same step twice is refused at the
insert as well as by the check before it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.kernel.models import Base, UTCDateTime, utcnow


class ComplaintStep(Base):
    """One step of a case's complaint route: started, answered, closed."""

    __tablename__ = "complaint_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    step: Mapped[str] = mapped_column(String(64))  # a step id of resources/complaints
    nation: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[date] = mapped_column(Date)
    final_response_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (UniqueConstraint("case_id", "step", name="uq_complaint_step"),)


class ComplaintConsent(Base):
    """The person said yes, on ``given_on``, to an evidence pack about their case."""

    __tablename__ = "complaint_consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
