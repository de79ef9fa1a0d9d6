"""The facade's address lookup: settings and a keyring key point it at the fakes,
it answers from the cache the second time, and it needs a signed-in worker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.backend import LocalBackend
from app.sync_wiring import store_credential
from casework.kernel.errors import AlongsideError
from offline_sync.address.records import LookupStatus
from tests.fakes.os_places import FakeOSPlaces
from tests.fakes.postcodes_io import FakePostcodesIO


@pytest.fixture
def places() -> Iterator[tuple[FakeOSPlaces, FakePostcodesIO]]:
    with FakeOSPlaces() as os_places, FakePostcodesIO(book=os_places.book) as postcodes:
        yield os_places, postcodes


@pytest.mark.keyring
def test_look_up_address_through_the_facade(
    backend: LocalBackend, places: tuple[FakeOSPlaces, FakePostcodesIO]
) -> None:
    os_places, postcodes = places
    settings = backend._profile.settings
    settings.set("os_places.base_url", os_places.url)
    settings.set("postcodes_io.base_url", postcodes.url)
    store_credential(settings.profile_id, "address_lookup", os_places.api_key)

    result = backend.look_up_address("sa1 1aa")
    assert result.status == LookupStatus.FOUND and result.matches
    assert all(m.postcode == "SA1 1AA" and m.town == "SWANSEA" for m in result.matches)
    seen = os_places.requests_received
    assert backend.look_up_address("SA1 1AA").from_cache
    assert os_places.requests_received == seen

    backend.sign_out()
    with pytest.raises(AlongsideError):
        backend.look_up_address("SA1 1AA")
