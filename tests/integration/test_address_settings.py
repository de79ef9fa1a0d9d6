"""Sync settings for address lookup: OS Places and postcodes.io, with "Test connection".

Against the OS Places and postcodes.io fakes over loopback, on a real
SQLCipher profile with the OS Places key in a real keyring.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.backend import LocalBackend
from app.sync_wiring import read_credential
from offline_sync.address.records import LookupStatus
from offline_sync.records import Connector
from tests.fakes.addresses import AddressBook
from tests.fakes.os_places import FakeOSPlaces
from tests.fakes.postcodes_io import FakePostcodesIO
from tests.fakes.server import Fault

pytestmark = pytest.mark.keyring


@pytest.fixture
def os_places() -> Iterator[FakeOSPlaces]:
    with FakeOSPlaces(book=AddressBook()) as fake:
        yield fake


@pytest.fixture
def postcodes_io() -> Iterator[FakePostcodesIO]:
    with FakePostcodesIO(book=AddressBook()) as fake:
        yield fake


def test_both_address_services_are_on_the_settings_page(backend: LocalBackend) -> None:
    settings = {s.platform: s for s in backend.connector_settings()}
    assert settings["os_places"].needs_key and settings["os_places"].base_url == "https://api.os.uk"
    assert not settings["postcodes_io"].needs_key and not settings["postcodes_io"].has_key


def test_test_connection_for_os_places(
    backend: LocalBackend, os_places: FakeOSPlaces, postcodes_io: FakePostcodesIO
) -> None:
    ok = backend.check_connection("os_places", os_places.url, os_places.api_key)
    assert ok.ok and "OS Places (address lookup): the key works" in ok.message
    refused = backend.check_connection("os_places", os_places.url, "not-the-key")
    assert not refused.ok and "refused the key" in refused.message
    no_key = backend.check_connection("os_places", os_places.url, None)
    assert not no_key.ok and "Enter the key first" in no_key.message
    wrong = backend.check_connection("os_places", postcodes_io.url, os_places.api_key)
    assert not wrong.ok and "Check the address" in wrong.message
    os_places.inject(Fault.HTTP_500, method="GET", path="/search")
    down = backend.check_connection("os_places", os_places.url, os_places.api_key)
    assert not down.ok and "problem of its own" in down.message
    nobody = backend.check_connection("os_places", "http://127.0.0.1:1", os_places.api_key)
    assert not nobody.ok and "nothing answered" in nobody.message


def test_test_connection_for_postcodes_io_needs_no_key(
    backend: LocalBackend, os_places: FakeOSPlaces, postcodes_io: FakePostcodesIO
) -> None:
    ok = backend.check_connection("postcodes_io", postcodes_io.url)
    assert ok.ok and "postcodes.io (postcode checks): it answers" in ok.message
    wrong = backend.check_connection("postcodes_io", os_places.url)
    assert not wrong.ok and "Check the address" in wrong.message
    postcodes_io.inject(Fault.HTML_503, method="GET", path="/postcodes")
    down = backend.check_connection("postcodes_io", postcodes_io.url)
    assert not down.ok and "problem of its own" in down.message


def test_saved_address_settings_are_what_the_form_lookup_uses(
    backend: LocalBackend, os_places: FakeOSPlaces, postcodes_io: FakePostcodesIO
) -> None:
    profile = backend._profile
    backend.save_connector_settings("postcodes_io", postcodes_io.url)
    # Before OS Places is set up: the postcode is checked, but there are no addresses.
    before = backend.look_up_address("CF10 1AA")
    assert before.status == LookupStatus.NO_ADDRESSES and postcodes_io.requests_received
    backend.save_connector_settings("os_places", os_places.url)
    backend.save_api_key("os_places", os_places.api_key)
    # The key goes to the keyring under the address_lookup connector's name only.
    assert read_credential(profile.settings.profile_id, Connector.ADDRESS_LOOKUP) == (
        os_places.api_key
    )
    assert os_places.api_key not in profile.paths.settings.read_text()
    assert {s.platform: s.has_key for s in backend.connector_settings()}["os_places"]
    assert backend.check_connection("os_places").ok  # the saved address and key
    found = backend.look_up_address("CF10 2AB")
    assert found.status == LookupStatus.FOUND and found.matches
