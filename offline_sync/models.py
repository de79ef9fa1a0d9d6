"""The outbox table: one row for each request waiting to reach a platform.

An ``OutboxItem`` is written in the same transaction as the work it delivers
(a submission, a message), so a piece of work is either captured together
with its delivery or not at all. The row keeps the exact request body and the
idempotency key or reference that makes a resend safe. ``STATE_TRANSITIONS``
says how an item may move; ``offline_sync.outbox`` enforces it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.kernel.models import Base, UTCDateTime, enum_column, utcnow
from offline_sync.records import Connector, OutboxState

S = OutboxState
STATE_TRANSITIONS: dict[OutboxState, frozenset[OutboxState]] = {
    S.QUEUED: frozenset({S.SENDING, S.CANCELLED}),
    # A lease that ran out is taken over: sending -> sending. An item in doubt
    # whose mandate ended is looked for and, if the platform has none, cancelled.
    S.SENDING: frozenset(
        {S.SENDING, S.QUEUED, S.SENT, S.DELIVERED, S.NEEDS_ATTENTION, S.FAILED, S.CANCELLED}
    ),
    # Status polls: a sent item stays sent until the platform says more.
    S.SENT: frozenset({S.SENT, S.DELIVERED, S.FAILED}),
    S.NEEDS_ATTENTION: frozenset({S.QUEUED, S.CANCELLED}),
    S.FAILED: frozenset({S.QUEUED, S.CANCELLED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}
FINAL_STATES = frozenset({S.DELIVERED, S.CANCELLED})


class OutboxItem(Base):
    """One request for a platform, with everything needed to send it exactly once."""

    __tablename__ = "outbox_items"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    connector: Mapped[Connector] = mapped_column(enum_column(Connector))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True, index=True)
    # The exact JSON body sent, byte for byte, on every attempt.
    body: Mapped[str] = mapped_column(Text)
    # Idempotency-Key (submission API, Pay) or Notify ``reference``.
    idempotency_key: Mapped[str] = mapped_column(String(255))
    state: Mapped[OutboxState] = mapped_column(enum_column(OutboxState))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # True from the moment a request may have left until an outcome is stored:
    # the next attempt must look for the platform's copy before sending again.
    in_doubt: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error_type: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    # What the platform calls it (Notify notification id, submission id) and its status.
    remote_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    remote_status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    mandate_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mandate_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_outbox_items_due", "state", "next_attempt_at"),
        Index("ix_outbox_items_connector_key", "connector", "idempotency_key", unique=True),
        Index("ix_outbox_items_connector_created", "connector", "created_at"),
    )


class AddressCacheEntry(Base):
    """A postcode's looked-up addresses and area, so a repeat needs no network."""

    __tablename__ = "address_cache"

    # "<service>:<normalised postcode>", e.g. "postcode:CF10 1AA".
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The lookup result as JSON (``offline_sync.address.lookup`` reads and writes it).
    body: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
