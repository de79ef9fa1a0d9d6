"""The delegation tables: mandates, consent records and the audit chain.

A ``Mandate`` is a person's permission for a worker (or a team) to act for
them within a scope, on a stated basis, between two dates. ``STATUS_TRANSITIONS``
says how its status may move; ``delegation.mandates`` enforces it. Mandates
carry a ``version`` (optimistic locking): a decision remembers the version it
was taken under, and a write re-checks it in its own transaction.

``AuditEntry`` rows are append-only and hash-chained (``delegation.audit``).
They hold ids, not copies of the person's data, and have no foreign keys, so
the record of what was done outlives a wiped person or a deleted worker.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.kernel.models import Base, UTCDateTime, enum_column, utcnow
from delegation.records import Basis, ConsentMethod, MandateStatus, WorkInProgress

M = MandateStatus
# Revoked, expired and rejected are final: a revoked mandate never becomes
# active again (a new grant, with new consent, is a new mandate).
STATUS_TRANSITIONS: dict[MandateStatus, frozenset[MandateStatus]] = {
    M.PROPOSED: frozenset({M.ACTIVE, M.REJECTED}),
    M.ACTIVE: frozenset({M.SUSPENDED, M.EXPIRED, M.REVOKED}),
    M.SUSPENDED: frozenset({M.ACTIVE, M.REVOKED, M.EXPIRED}),
    M.EXPIRED: frozenset(),
    M.REVOKED: frozenset(),
    M.REJECTED: frozenset(),
}


class Mandate(Base):
    """A person's permission for a worker or a team to act for them."""

    __tablename__ = "mandates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    grantee_worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("workers.id"), nullable=True, index=True
    )
    grantee_team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id"), nullable=True, index=True
    )
    basis: Mapped[Basis] = mapped_column(enum_column(Basis))
    evidence_reference: Mapped[str] = mapped_column(String(200), default="")
    evidence_checked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("workers.id"), nullable=True
    )
    evidence_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    evidence_next_check: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    status: Mapped[MandateStatus] = mapped_column(enum_column(MandateStatus))
    status_reason: Mapped[str] = mapped_column(String(40), default="")
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    review_at: Mapped[datetime] = mapped_column(UTCDateTime)
    scope: Mapped[str] = mapped_column(Text)  # JSON, see delegation.scope
    sub_delegation_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("mandates.id"), nullable=True, index=True
    )
    work_in_progress: Mapped[WorkInProgress] = mapped_column(
        enum_column(WorkInProgress), default=WorkInProgress.FREEZE
    )
    emergency_reason: Mapped[str] = mapped_column(Text, default="")
    second_approver_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"), nullable=True)
    flagged_for_review: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The last decision allowed under it; unused for six months, it lapses.
    # Written without bumping ``version`` (see delegation.policy).
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
    __table_args__ = (
        CheckConstraint(
            "(grantee_worker_id IS NULL) <> (grantee_team_id IS NULL)", name="one_grantee"
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )


class ConsentRecord(Base):
    """How the person agreed, and to exactly what task list."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mandate_id: Mapped[int] = mapped_column(ForeignKey("mandates.id"), index=True)
    method: Mapped[ConsentMethod] = mapped_column(enum_column(ConsentMethod))
    # SHA-256 of the exact plain-language task list the person was shown.
    task_list_fingerprint: Mapped[str] = mapped_column(String(64))
    interpreter_used: Mapped[bool] = mapped_column(Boolean, default=False)
    seen_alone: Mapped[bool] = mapped_column(Boolean)
    safeguarding_answers: Mapped[str] = mapped_column(Text)  # JSON {question: bool}
    witness: Mapped[str] = mapped_column(String(120), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """One decision or lifecycle change; never updated, never deleted."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))  # decision, manage, read or lifecycle
    worker_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    person_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mandate_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mandate_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(80), default="")  # service or case asked for
    scope_detail: Mapped[str] = mapped_column(Text, default="")  # JSON of the detail matched
    categories_disclosed: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    outcome: Mapped[str] = mapped_column(String(8))  # "allow" or "refuse"
    reason_code: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_entries_person", "person_id", "seq"),
        Index("ix_audit_entries_mandate", "mandate_id", "seq"),
    )


class AuditCheckpoint(Base):
    """A signed checkpoint of the audit chain (``delegation.anchor``), kept on the
    shared store; never updated, never deleted, appended only by the office
    server's role (migration 0010)."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    body: Mapped[str] = mapped_column(Text)  # the checkpoint's JSON, signature included
