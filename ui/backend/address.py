"""The part of the backend the form UI uses to look up an address by postcode.

Call it off the UI thread (an operation on ``ui.operations``): it may wait on the
network for a few seconds. Offline it returns at once-ish with
``LookupStatus.QUEUED`` and the address stays as typed.
"""

from __future__ import annotations

from typing import Protocol

from offline_sync.address.records import AddressLookupResult


class AddressBackend(Protocol):
    def look_up_address(self, postcode: str, case_id: int | None = None) -> AddressLookupResult:
        """Addresses at ``postcode``: from the cache, looked up, or queued for later."""
        ...
