"""What the address lookup's cache already knows about a postcode, read
without the network and without loading the HTTP clients (start-up is timed):
the cache's key, and the country postcodes.io gave."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from offline_sync.address.records import normalise_postcode
from offline_sync.models import AddressCacheEntry


def cache_key(postcode: str) -> str:
    return f"postcode:{postcode}"


def known_country(session: Session, postcode: str | None) -> str | None:
    """The country the lookup once returned for ``postcode`` ("Wales"), at any age
    (a postcode does not move between nations), or None when it was never looked up."""
    normalised = normalise_postcode(postcode or "")
    if normalised is None:
        return None
    entry = session.get(AddressCacheEntry, cache_key(normalised))
    if entry is None:
        return None
    try:
        area = json.loads(entry.body).get("area")
    except (ValueError, AttributeError):
        return None
    country = area.get("country") if isinstance(area, dict) else None
    return country if isinstance(country, str) else None
