"""The payment page GOV.UK Pay gave for a ``pay`` outbox item, kept beside it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.kernel.models import Base, UTCDateTime, utcnow


class PaymentLink(Base):
    """The newest payment page Pay gave for an item (its ``_links.next_url``)."""

    __tablename__ = "payment_links"

    item_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("outbox_items.id"), primary_key=True
    )
    # Pay allows 2,000 characters in a URL; the link is what the person opens.
    url: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
