"""Keep and read the payment page of each ``pay`` item (in the caller's transaction)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.kernel.models import utcnow
from offline_sync.payments.models import PaymentLink

MAX_URL_LENGTH = 2000


def usable(url: object) -> bool:
    """Whether ``url`` is a web address a browser may open (Pay's next_url)."""
    return (
        isinstance(url, str)
        and 0 < len(url) <= MAX_URL_LENGTH
        and url.startswith(("https://", "http://"))
        and not any(c.isspace() for c in url)
    )


def keep(session: Session, item_id: str, url: str, now: datetime | None = None) -> None:
    """Keep ``url`` as the item's payment page (replacing an older one)."""
    if not usable(url):
        return
    now = now or utcnow()
    found = session.get(PaymentLink, item_id)
    if found is None:
        session.add(PaymentLink(item_id=item_id, url=url, updated_at=now))
    elif found.url != url:
        found.url = url
        found.updated_at = now


def links_of(session: Session, item_ids: Collection[str]) -> dict[str, str]:
    """The payment page kept for each of ``item_ids`` that has one."""
    if not item_ids:
        return {}
    rows = session.execute(
        select(PaymentLink.item_id, PaymentLink.url).where(PaymentLink.item_id.in_(list(item_ids)))
    ).all()
    return {item_id: url for item_id, url in rows}
