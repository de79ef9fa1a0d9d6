"""Tables for suggestions of the next claim and for decisions recorded on sent forms.

A sent form (``Submission``) is never updated, so what the department
decided is a row of its own, ``FormDecision``: the newest one on a
submission is its outcome. A ``Suggestion`` names its link by id (the
reason's words live with the link, in both languages) and what it suggests
(a service id or an outside scheme's id) so an open one is never made twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.entitlements.records import DismissReason, Outcome, SuggestionStatus
from casework.kernel.models import Base, UTCDateTime, enum_column, utcnow


class Suggestion(Base):
    """A follow-on claim suggested on a case."""

    __tablename__ = "entitlement_suggestions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    link_id: Mapped[str] = mapped_column(String(64))
    from_service: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(64))  # service id or outside scheme id
    trigger: Mapped[str] = mapped_column(String(16))
    status: Mapped[SuggestionStatus] = mapped_column(
        enum_column(SuggestionStatus), default=SuggestionStatus.OPEN, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    dismiss_reason: Mapped[DismissReason | None] = mapped_column(
        enum_column(DismissReason), nullable=True
    )
    dismiss_note: Mapped[str] = mapped_column(Text, default="")
    acted_by_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"), nullable=True)
    acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("form_drafts.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class FormDecision(Base):
    """What the department decided on a sent form, and when."""

    __tablename__ = "form_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome))
    decided_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
