"""Finding the addresses at a postcode (through the address connector)."""

from __future__ import annotations

from offline_sync.address.records import AddressLookupResult
from ui.operations.op import Op, query


def look_up_address(postcode: str, case_id: int | None = None) -> Op[AddressLookupResult]:
    return query(lambda b: b.look_up_address(postcode, case_id))
