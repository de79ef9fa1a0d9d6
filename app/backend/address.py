"""The facade's address lookup, for the form UI (called off the UI thread).

``look_up_address`` answers from the profile's cache when it can, else asks
postcodes.io and OS Places with a short timeout; offline, it queues the
lookup in the outbox and says the address is kept as typed, so the form is
never held up. It needs a signed-in worker but reads no person's record.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from offline_sync.address.records import AddressLookupResult

if TYPE_CHECKING:
    from app.profile import OpenProfile
    from casework.kernel.records import Actor
    from offline_sync.address.lookup import AddressLookup

# A form waits at most this long for an answer before the lookup is queued.
LOOKUP_TIMEOUT = 5.0


class AddressActions:
    """Mixin for ``LocalBackend``: postcode to addresses."""

    if TYPE_CHECKING:
        _profile: OpenProfile

        def _need_actor(self) -> Actor: ...

    _address_lookup_cache: AddressLookup | None = None
    _address_lookup_lock = threading.Lock()

    def _address_lookup(self) -> AddressLookup:
        with self._address_lookup_lock:
            if self._address_lookup_cache is None:
                from app.sync_wiring import build_address_lookup

                self._address_lookup_cache = build_address_lookup(
                    self._profile, timeout=LOOKUP_TIMEOUT
                )
            return self._address_lookup_cache

    def look_up_address(self, postcode: str, case_id: int | None = None) -> AddressLookupResult:
        """Addresses at ``postcode`` (cached, looked up, or queued for later)."""
        self._need_actor()
        return self._address_lookup().look_up(postcode, case_id=case_id)
