"""The outbox's side of address lookup: a postcode typed while offline is
queued, and looked up here when the network returns (through ``lookup``)."""

from __future__ import annotations

from offline_sync.address.lookup import AddressLookup
from offline_sync.connectors.base import Delivery
from offline_sync.outbox import ClaimedItem
from offline_sync.records import Connector


class AddressLookupConnector:
    """The outbox's side of address lookup: a postcode queued while offline."""

    connector = Connector.ADDRESS_LOOKUP

    def __init__(self, lookup: AddressLookup) -> None:
        self._lookup = lookup

    def send(self, item: ClaimedItem) -> Delivery:
        postcode = str(item.payload().get("postcode", ""))
        result = self._lookup.fetch_and_store(postcode)
        return Delivery(
            None, f"{result.status.value}:{len(result.matches)}", final=True, message=result.message
        )

    def find_existing(self, item: ClaimedItem) -> Delivery | None:
        return None  # a lookup changes nothing: repeating it is safe

    def look_up(self, item: ClaimedItem) -> Delivery | None:
        return None  # nothing was changed at the platform: there is nothing to adopt

    def poll(self, item: ClaimedItem) -> Delivery:
        return Delivery(item.remote_id, item.remote_status, final=True)
