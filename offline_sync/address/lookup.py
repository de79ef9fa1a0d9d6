"""Looking up an address by postcode, with a local cache and an offline fallback.

``AddressLookup.look_up`` answers from the ``address_cache`` table when it
can (a repeated lookup needs no network). Otherwise it asks postcodes.io
whether the postcode exists (and its area) and OS Places for the addresses
at it, and caches the answer. When the network is not there (a timeout, a
dropped connection, a busy or broken service) it does not wait and does not
fail: it queues an ``address_lookup`` item in the outbox, so the sync engine
looks the postcode up later and fills the cache, and it says the address is
kept as typed. Nothing here blocks a form: call it off the UI thread, and
it returns within one request's timeout.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from casework.kernel.i18n import _
from casework.kernel.models import utcnow
from offline_sync import outbox
from offline_sync.address.known import cache_key as cache_key  # re-exported
from offline_sync.address.platforms import OSPlaces, PostcodesIO
from offline_sync.address.records import (
    AddressLookupResult,
    AddressMatch,
    LookupStatus,
    PostcodeArea,
    normalise_postcode,
)
from offline_sync.connectors.base import DeliveryFailed, FailureKind
from offline_sync.models import AddressCacheEntry, OutboxItem
from offline_sync.records import Connector, OutboxState

log = logging.getLogger("alongside.sync.address")

# Addresses change slowly; a month-old answer is still a good suggestion.
MAX_AGE = timedelta(days=30)
CACHED_STATUSES = frozenset(
    {LookupStatus.FOUND, LookupStatus.NO_ADDRESSES, LookupStatus.UNKNOWN_POSTCODE}
)


def _to_json(result: AddressLookupResult) -> str:
    data = asdict(result)
    data.pop("from_cache", None)
    data.pop("queued_item", None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _from_json(text: str) -> AddressLookupResult:
    data: dict[str, Any] = json.loads(text)
    area = data.get("area")
    return AddressLookupResult(
        postcode=str(data["postcode"]),
        status=LookupStatus(data["status"]),
        matches=tuple(_address(m) for m in data.get("matches", [])),
        area=PostcodeArea(**area) if isinstance(area, dict) else None,
        message=str(data.get("message", "")),
        from_cache=True,
    )


def _address(data: dict[str, Any]) -> AddressMatch:
    return AddressMatch(
        uprn=str(data["uprn"]),
        single_line=str(data["single_line"]),
        lines=tuple(str(line) for line in data["lines"]),
        town=str(data["town"]),
        postcode=str(data["postcode"]),
    )


class AddressLookup:
    """Postcode -> addresses, cached in the profile, queued when offline."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        postcodes: PostcodesIO | None,
        os_places: OSPlaces | None,
        clock: Callable[[], datetime] = utcnow,
        max_age: timedelta = MAX_AGE,
    ) -> None:
        self._sessions = sessions
        self._postcodes = postcodes
        self._os_places = os_places
        self._clock = clock
        self._max_age = max_age

    # -- what the facade calls ------------------------------------------------------

    def look_up(self, typed: str, *, case_id: int | None = None) -> AddressLookupResult:
        postcode = normalise_postcode(typed)
        if postcode is None:
            return AddressLookupResult(
                typed.strip(),
                LookupStatus.NOT_A_POSTCODE,
                message=_("Enter a real postcode, like CF10 1AA."),
            )
        cached = self.cached(postcode)
        if cached is not None:
            return cached
        try:
            return self.fetch_and_store(postcode)
        except DeliveryFailed as failure:
            if failure.kind in (FailureKind.RETRY, FailureKind.RETRY_AT):
                log.info("address lookup for a postcode queued: %s", failure.error_type)
                item_id = self.queue(postcode, case_id=case_id)
                return AddressLookupResult(
                    postcode,
                    LookupStatus.QUEUED,
                    message=_(
                        "The address could not be looked up now ({reason}). It is kept as "
                        "typed, and it will be looked up when the connection is back."
                    ).format(reason=failure.message),
                    queued_item=item_id,
                )
            return AddressLookupResult(postcode, LookupStatus.UNAVAILABLE, message=failure.message)

    def cached(self, postcode: str) -> AddressLookupResult | None:
        with self._sessions() as session:
            entry = session.get(AddressCacheEntry, cache_key(postcode))
            if entry is None or self._clock() - entry.fetched_at > self._max_age:
                return None
            return _from_json(entry.body)

    # -- the network, and the cache --------------------------------------------------

    def fetch(self, postcode: str) -> AddressLookupResult:
        """Ask the services (raises ``DeliveryFailed`` when they cannot answer)."""
        area: PostcodeArea | None = None
        if self._postcodes is not None:
            area = self._postcodes.area(postcode)
            if area is None:
                return AddressLookupResult(
                    postcode,
                    LookupStatus.UNKNOWN_POSTCODE,
                    message=_(
                        "There is no postcode {postcode}. Check it with the person, or enter "
                        "the address by hand."
                    ).format(postcode=postcode),
                )
        if self._os_places is None:
            return AddressLookupResult(
                postcode,
                LookupStatus.NO_ADDRESSES,
                area=area,
                message=_("Addresses cannot be listed (no OS Places key is saved): enter it "
                          "by hand."),
            )  # fmt: skip
        try:
            matches = self._os_places.postcode(postcode)
        except DeliveryFailed as failure:
            if failure.kind == FailureKind.SET_ASIDE:
                return AddressLookupResult(
                    postcode, LookupStatus.UNKNOWN_POSTCODE, area=area, message=failure.message
                )
            raise
        if not matches:
            return AddressLookupResult(
                postcode,
                LookupStatus.NO_ADDRESSES,
                area=area,
                message=_("No addresses are listed at {postcode}: enter the address by hand.")
                .format(postcode=postcode),
            )  # fmt: skip
        return AddressLookupResult(postcode, LookupStatus.FOUND, tuple(matches), area)

    def fetch_and_store(self, postcode: str) -> AddressLookupResult:
        normal = normalise_postcode(postcode)
        if normal is None:
            return AddressLookupResult(postcode, LookupStatus.NOT_A_POSTCODE)
        result = self.fetch(normal)
        if result.status in CACHED_STATUSES:
            self.store(result)
        return result

    def store(self, result: AddressLookupResult) -> None:
        with self._sessions.begin() as session:
            key = cache_key(result.postcode)
            entry = session.get(AddressCacheEntry, key)
            body = _to_json(replace(result, from_cache=False))
            if entry is None:
                session.add(AddressCacheEntry(key=key, body=body, fetched_at=self._clock()))
            else:
                entry.body, entry.fetched_at = body, self._clock()

    def queue(self, postcode: str, *, case_id: int | None = None) -> str:
        """An outbox item to look the postcode up later (one per postcode while waiting)."""
        body = {"postcode": postcode}
        text = outbox.body_text(body)
        with self._sessions.begin() as session:
            waiting = session.scalar(
                select(OutboxItem.id).where(
                    OutboxItem.connector == Connector.ADDRESS_LOOKUP,
                    OutboxItem.body == text,
                    OutboxItem.state.in_([OutboxState.QUEUED, OutboxState.SENDING]),
                )
            )
            if waiting is not None:
                return waiting
            return outbox.enqueue(session, Connector.ADDRESS_LOOKUP, body, case_id)
