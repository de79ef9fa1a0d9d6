"""Tables for paper copies: each printed copy of a form, and each time one came back.

``PaperCopy`` is one printed copy with its own reference (``reference``
module): which service, version and language, blank or pre-filled (from which
draft or submission), for which person and case (a blank copy may be linked
when it is given out), who printed it and when, and when it is due back.
``PaperReturn`` is one scan received for a copy, attached to the case as a
document; its ``scan_sha256`` is what recognises the same scan received twice.
``PaperOffice`` holds this profile's office code (one row, made by the
migration), printed in every reference so a copy from another office is known.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from casework.kernel.models import Base, UTCDateTime, utcnow


class PaperOffice(Base):
    """This profile's office code (one row)."""

    __tablename__ = "paper_office"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)


class PaperCopy(Base):
    """One printed copy of a form."""

    __tablename__ = "paper_copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(80), unique=True)
    office: Mapped[str] = mapped_column(String(8))
    serial: Mapped[str] = mapped_column(String(16))
    service_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    large_print: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(16))  # blank, draft or submission
    pages: Mapped[int] = mapped_column(Integer)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("form_drafts.id"), nullable=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), nullable=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), nullable=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"), nullable=True)
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    given_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    due_back_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        UniqueConstraint("office", "serial", name="uq_paper_copies_office_serial"),
        Index("ix_paper_copies_case", "case_id"),
        Index("ix_paper_copies_due", "returned_at", "due_back_on"),
    )


class PaperReturn(Base):
    """One scan received for a copy, and the document it became on the case."""

    __tablename__ = "paper_returns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    copy_id: Mapped[int] = mapped_column(ForeignKey("paper_copies.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    scan_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    pages_found: Mapped[str] = mapped_column(Text)  # "1,2,3": page numbers, ascending
    pages_missing: Mapped[str] = mapped_column(Text)  # the same, "" when none
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sla_due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    typed_submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id"), nullable=True
    )
