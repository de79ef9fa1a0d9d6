"""Address lookup: OS Places and postcodes.io over loopback, a local cache, and the
outbox when offline (the address stays as typed and is looked up later)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from offline_sync.address.lookup import AddressLookup
from offline_sync.address.platforms import OSPlaces, PostcodesIO
from offline_sync.address.records import LookupStatus, normalise_postcode
from offline_sync.engine import SyncEngine
from offline_sync.models import AddressCacheEntry, OutboxItem
from offline_sync.records import Connector, OutboxState
from tests.fakes.addresses import Address, AddressBook
from tests.fakes.os_places import FakeOSPlaces
from tests.fakes.postcodes_io import FakePostcodesIO
from tests.fakes.server import Fault

MakeEngine = Callable[..., SyncEngine]
HOME = [
    Address("100023336956", "1", "HEOL Y FRENHINES", "CARDIFF", "CF10 1AA"),
    Address("100023336957", "2", "HEOL Y FRENHINES", "CARDIFF", "CF10 1AA", "CAFFI SIOP"),
]


def _traffic(os_places: FakeOSPlaces, postcodes_io: FakePostcodesIO) -> int:
    return os_places.requests_received + postcodes_io.requests_received


def test_postcodes_are_normalised_or_refused() -> None:
    assert normalise_postcode(" cf10 1aa ") == "CF10 1AA"
    assert normalise_postcode("SW1A1AA") == "SW1A 1AA"
    assert normalise_postcode("b11aa") == "B1 1AA"
    for bad in ("", "CF10", "12345", "CF10 1AAA", "Cardiff"):
        assert normalise_postcode(bad) is None


def test_a_lookup_lists_the_addresses_and_a_repeat_needs_no_network(
    lookup: AddressLookup,
    address_book: AddressBook,
    os_places: FakeOSPlaces,
    postcodes_io: FakePostcodesIO,
) -> None:
    address_book.add("CF10 1AA", HOME)
    os_places.uprn_as_int = True  # OS documents UPRN as a string or a number
    result = lookup.look_up("cf101aa")
    assert result.status == LookupStatus.FOUND and not result.from_cache
    assert [m.uprn for m in result.matches] == ["100023336956", "100023336957"]
    first, second = result.matches
    assert first.lines == ("1 HEOL Y FRENHINES",) and first.town == "CARDIFF"
    assert second.lines == ("CAFFI SIOP", "2 HEOL Y FRENHINES")
    assert second.single_line == "CAFFI SIOP, 2, HEOL Y FRENHINES, CARDIFF, CF10 1AA"
    assert result.area is not None and result.area.country == "Wales"
    assert result.area.district == "Cardiff"
    before = _traffic(os_places, postcodes_io)
    assert before == 2

    again = lookup.look_up("CF10 1AA")
    assert again.from_cache and again.matches == result.matches and again.area == result.area
    assert _traffic(os_places, postcodes_io) == before


def test_many_addresses_come_in_pages(lookup: AddressLookup, address_book: AddressBook) -> None:
    street = [Address(str(200000000000 + n), str(n), "LONG ROAD", "LEEDS", "LS1 1AA")
              for n in range(1, 151)]  # fmt: skip
    address_book.add("LS1 1AA", street)
    result = lookup.look_up("LS1 1AA")
    assert len(result.matches) == 150 and result.matches[-1].lines == ("150 LONG ROAD",)


def test_unknown_and_malformed_postcodes(
    lookup: AddressLookup, os_places: FakeOSPlaces, postcodes_io: FakePostcodesIO
) -> None:
    result = lookup.look_up("not a postcode")
    assert result.status == LookupStatus.NOT_A_POSTCODE
    assert result.message == "Enter a real postcode, like CF10 1AA."
    assert _traffic(os_places, postcodes_io) == 0  # refused before any request

    nowhere = lookup.look_up("ZZ1 1ZZ")
    assert nowhere.status == LookupStatus.UNKNOWN_POSTCODE
    assert "There is no postcode ZZ1 1ZZ" in nowhere.message
    assert lookup.look_up("ZZ1 1ZZ").from_cache


def test_offline_the_address_is_kept_and_looked_up_later_through_the_outbox(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    lookup: AddressLookup,
    address_book: AddressBook,
    postcodes_io: FakePostcodesIO,
    os_places: FakeOSPlaces,
) -> None:
    address_book.add("CF10 1AA", HOME)
    postcodes_io.inject(Fault.DROP, method="GET", times=2)
    offline = lookup.look_up("CF10 1AA")
    assert offline.status == LookupStatus.QUEUED and offline.queued_item
    assert "kept as typed" in offline.message and "could not be reached" in offline.message
    # Asking again while still offline queues nothing more.
    assert lookup.look_up("CF10 1AA").queued_item == offline.queued_item
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(AddressCacheEntry)) == 0
        item = session.get(OutboxItem, offline.queued_item)
        assert item is not None and item.connector == Connector.ADDRESS_LOOKUP
        assert item.state == OutboxState.QUEUED

    result = make_engine().drain(max_wait=10)  # the network is back
    assert result.finished
    with sessions() as session:
        item = session.get(OutboxItem, offline.queued_item)
        assert item is not None and item.state == OutboxState.DELIVERED
        assert item.remote_status == "found:2"
    before = _traffic(os_places, postcodes_io)
    later = lookup.look_up("CF10 1AA")
    assert later.status == LookupStatus.FOUND and later.from_cache
    assert _traffic(os_places, postcodes_io) == before


def test_a_bad_os_places_key_says_what_to_check(
    sessions: sessionmaker[Session], os_places: FakeOSPlaces, postcodes_io: FakePostcodesIO
) -> None:
    wrong = AddressLookup(
        sessions,
        postcodes=PostcodesIO(base_url=postcodes_io.url, timeout=1),
        os_places=OSPlaces("not-the-key", base_url=os_places.url, timeout=1),
    )
    result = wrong.look_up("CF10 1AA")
    assert result.status == LookupStatus.UNAVAILABLE
    assert "OS Places refused the API key" in result.message
    assert "address_lookup" in result.message
    assert wrong.cached("CF10 1AA") is None  # nothing wrong is remembered


def test_without_an_os_places_key_postcodes_io_still_checks_the_postcode(
    sessions: sessionmaker[Session], postcodes_io: FakePostcodesIO
) -> None:
    only_area = AddressLookup(
        sessions, postcodes=PostcodesIO(base_url=postcodes_io.url, timeout=1), os_places=None
    )
    result = only_area.look_up("NP20 1AA")
    assert result.status == LookupStatus.NO_ADDRESSES
    assert result.area is not None and result.area.district == "Newport"
    assert "enter it by hand" in result.message


# fault -> (error type, words in the message)
LOOKUP_MATRIX: dict[Fault, tuple[str, str]] = {
    Fault.HTTP_500: ("HTTP500", "had a problem (HTTP 500)"),
    Fault.HTTP_504: ("HTTP504", "not JSON (HTTP 504)"),
    Fault.HTML_503: ("HTTP503", "not JSON (HTTP 503)"),
    Fault.RATE_LIMIT: ("RateLimitError", "busy"),
    Fault.DROP: ("ConnectionError", "could not be reached"),
    Fault.SLOW: ("Timeout", "did not answer in time"),
    Fault.COMMIT_THEN_FAIL: ("ConnectionError", "could not be reached"),
    Fault.REDIRECT: ("Redirect", "redirect to another address (localhost)"),
}


@pytest.mark.parametrize("service", ["postcodes_io", "os_places"])
@pytest.mark.parametrize("fault", list(LOOKUP_MATRIX), ids=lambda f: f.value)
def test_lookup_fault_matrix(
    fault: Fault,
    service: str,
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    lookup: AddressLookup,
    address_book: AddressBook,
    postcodes_io: FakePostcodesIO,
    os_places: FakeOSPlaces,
) -> None:
    error_type, words = LOOKUP_MATRIX[fault]
    address_book.add("CF10 1AA", HOME)
    item_id = lookup.queue("CF10 1AA")
    fake = postcodes_io if service == "postcodes_io" else os_places
    fake.inject(fault, method="GET")
    engine = make_engine()
    assert engine.step() == 1
    with sessions() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None
        assert item.state == OutboxState.QUEUED, "a retryable fault puts it back in the queue"
        assert item.last_error_type == error_type
        assert words in (item.last_error_message or "")
        assert not item.in_doubt  # a lookup changes nothing: repeating it is always safe
        assert item.attempts == 1
    assert engine.drain(max_wait=10).finished
    with sessions() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None and item.state == OutboxState.DELIVERED
    assert lookup.cached("CF10 1AA") is not None
    if fault == Fault.REDIRECT:
        assert fake.decoy.requests == [], "a redirect is never followed"


def test_a_bad_os_places_key_stops_the_lookup_connector(
    sessions: sessionmaker[Session], os_places: FakeOSPlaces, postcodes_io: FakePostcodesIO
) -> None:
    from offline_sync.address.connector import AddressLookupConnector

    wrong = AddressLookup(
        sessions,
        postcodes=PostcodesIO(base_url=postcodes_io.url, timeout=1),
        os_places=OSPlaces("expired", base_url=os_places.url, timeout=1),
    )
    item_id = wrong.queue("CF10 1AA")
    engine = SyncEngine(
        sessions, {Connector.ADDRESS_LOOKUP: AddressLookupConnector(wrong)}, pace={}
    )
    assert engine.drain(max_wait=5).finished
    assert "OS Places refused the API key" in engine.stopped[Connector.ADDRESS_LOOKUP]
    with sessions() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None and item.state == OutboxState.QUEUED and item.attempts == 0
        assert item.last_error_type == "AuthError"
