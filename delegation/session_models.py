"""The table of assisted sessions (``casework.casefile.assisted`` runs them).

Apart from ``casework.casefile.assisted`` so that the policy decision can ask who
is in a session without importing the casework services a session uses.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.kernel.models import Base, UTCDateTime
from delegation.records import Outcome


class AssistedSession(Base):
    """One assisted session. Ids only (no foreign key to the person), so the
    record that a session happened outlives a wipe."""

    __tablename__ = "assisted_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    person_id: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[int] = mapped_column(Integer)
    mandate_id: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    outcome: Mapped[str] = mapped_column(String(16), default=Outcome.OPEN.value)
