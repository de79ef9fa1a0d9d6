"""The table of text-update consents: one row per case whose person was asked.

The row keeps whether texts are on, the mobile number the person agreed to
(texts go to that number only), and the policy decision the choice was
recorded under: the worker, and the mandate and its version when the
decision rested on one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from casework.kernel.models import Base, UTCDateTime, utcnow


class TextUpdateConsent(Base):
    """Whether the person on a case agreed to text updates, and to which number."""

    __tablename__ = "text_update_consents"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str] = mapped_column(String(16), default="")
    mandate_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mandate_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
