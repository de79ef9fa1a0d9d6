"""Tables for escalations, the levels they were sent to, local facilitators and referrals.

``EscalationLevel`` is one send to one rung of the ladder. Its unique
constraint on (escalation, level) is what makes re-escalation happen once per
breach: a second process (or the same one after a restart) that tries to add
the same level fails at the insert and rolls back with its outbox item.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from casework.escalation.records import EscalationStatus, ReasonCategory, ReferralStatus
from casework.kernel.models import Base, UTCDateTime, enum_column, utcnow


class Escalation(Base):
    """A stuck case put to a named facilitator, with its SLA clock."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    service_id: Mapped[str] = mapped_column(String(64))
    area: Mapped[str] = mapped_column(String(20))
    reason: Mapped[ReasonCategory] = mapped_column(enum_column(ReasonCategory))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[EscalationStatus] = mapped_column(enum_column(EscalationStatus))
    current_level: Mapped[int] = mapped_column(Integer, default=1)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    outcome: Mapped[str] = mapped_column(Text, default="")
    mandate_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mandate_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class EscalationLevel(Base):
    """One send of an escalation to one rung of the ladder."""

    __tablename__ = "escalation_levels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    facilitator: Mapped[str] = mapped_column(Text)  # JSON snapshot of who it went to
    channel: Mapped[str] = mapped_column(String(8))
    nation: Mapped[str] = mapped_column(String(20))
    sla_working_days: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_on: Mapped[date] = mapped_column(Date)
    breach_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reminder_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    outbox_item_id: Mapped[str] = mapped_column(String(36))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)  # the exact text sent
    letter_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    __table_args__ = (UniqueConstraint("escalation_id", "level", name="uq_escalation_level"),)


class LocalFacilitator(Base):
    """A facilitator an administrator added to the shipped directory."""

    __tablename__ = "local_facilitators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(64), index=True)
    area: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(20))
    days: Mapped[str] = mapped_column(String(60))  # JSON list
    opens: Mapped[str] = mapped_column(String(5))
    closes: Mapped[str] = mapped_column(String(5))
    languages: Mapped[str] = mapped_column(String(40))  # JSON list
    channel: Mapped[str] = mapped_column(String(8))
    postal_address: Mapped[str] = mapped_column(Text)  # JSON list
    sla_working_days: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Referral(Base):
    """A case offered to another team, with the summary the person agreed to share."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    from_team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    to_team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    summary: Mapped[str] = mapped_column(Text)
    consent_note: Mapped[str] = mapped_column(Text)
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    mandate_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
