"""Fixtures for the outbox and sync engine: write sessions on a real encrypted
profile, the platform fakes on loopback, and engines wired to them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from app.database import session_factory
from app.profile import OpenProfile
from casework.paper.letter import check_letter
from offline_sync.address.connector import AddressLookupConnector
from offline_sync.address.lookup import AddressLookup
from offline_sync.address.platforms import OSPlaces, PostcodesIO
from offline_sync.connectors.notify import NotifyConnector
from offline_sync.connectors.pay import PayConnector
from offline_sync.connectors.submission import SubmissionConnector
from offline_sync.engine import RetryPolicy, SyncEngine
from offline_sync.records import Connector
from tests.fakes.addresses import AddressBook
from tests.fakes.notify import FakeNotify, running_notify
from tests.fakes.os_places import FakeOSPlaces
from tests.fakes.pay import FakePay, running_pay
from tests.fakes.postcodes_io import FakePostcodesIO
from tests.fakes.submission import FakeSubmissionAPI, running_submission_api

# Short enough to keep the fault matrix quick, long enough for loopback.
CLIENT_TIMEOUT = 0.5


@pytest.fixture
def sessions(profile: OpenProfile) -> sessionmaker[Session]:
    """Write sessions (BEGIN IMMEDIATE) on a fresh encrypted profile."""
    return session_factory(profile.engine, write=True)


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with running_notify() as fake:
        fake.slow_seconds = CLIENT_TIMEOUT * 3
        yield fake


@pytest.fixture
def submission_api() -> Iterator[FakeSubmissionAPI]:
    with running_submission_api(slow_seconds=CLIENT_TIMEOUT * 3) as fake:
        yield fake


@pytest.fixture
def pay() -> Iterator[FakePay]:
    with running_pay(slow_seconds=CLIENT_TIMEOUT * 3) as fake:
        yield fake


@pytest.fixture
def address_book() -> AddressBook:
    return AddressBook()


@pytest.fixture
def os_places(address_book: AddressBook) -> Iterator[FakeOSPlaces]:
    with FakeOSPlaces(book=address_book, slow_seconds=CLIENT_TIMEOUT * 3) as fake:
        yield fake


@pytest.fixture
def postcodes_io(address_book: AddressBook) -> Iterator[FakePostcodesIO]:
    with FakePostcodesIO(book=address_book, slow_seconds=CLIENT_TIMEOUT * 3) as fake:
        yield fake


@pytest.fixture
def lookup(
    sessions: sessionmaker[Session], os_places: FakeOSPlaces, postcodes_io: FakePostcodesIO
) -> AddressLookup:
    """Address lookup against the OS Places and postcodes.io fakes."""
    return AddressLookup(
        sessions,
        postcodes=PostcodesIO(base_url=postcodes_io.url, timeout=CLIENT_TIMEOUT),
        os_places=OSPlaces(os_places.api_key, base_url=os_places.url, timeout=CLIENT_TIMEOUT),
    )


@pytest.fixture
def make_engine(
    sessions: sessionmaker[Session],
    notify: FakeNotify,
    submission_api: FakeSubmissionAPI,
    pay: FakePay,
    lookup: AddressLookup,
) -> Callable[..., SyncEngine]:
    """``make_engine()``: an engine with every connector pointed at the fakes."""

    def _make(**options: object) -> SyncEngine:
        connectors = {
            Connector.NOTIFY_EMAIL: NotifyConnector(
                Connector.NOTIFY_EMAIL, notify.api_key, base_url=notify.url, timeout=CLIENT_TIMEOUT
            ),
            Connector.NOTIFY_SMS: NotifyConnector(
                Connector.NOTIFY_SMS, notify.api_key, base_url=notify.url, timeout=CLIENT_TIMEOUT
            ),
            Connector.NOTIFY_LETTER: NotifyConnector(
                Connector.NOTIFY_LETTER,
                notify.api_key,
                base_url=notify.url,
                timeout=CLIENT_TIMEOUT,
                letter_check=check_letter,
            ),
            Connector.SUBMISSION_API: SubmissionConnector(
                submission_api.token, base_url=submission_api.url, timeout=CLIENT_TIMEOUT
            ),
            Connector.PAY: PayConnector(pay.api_key, base_url=pay.url, timeout=CLIENT_TIMEOUT),
            Connector.ADDRESS_LOOKUP: AddressLookupConnector(lookup),
        }
        defaults: dict[str, object] = {
            "policy": RetryPolicy(base_seconds=0.01, max_seconds=0.05, poll_min_seconds=0.0),
            "pace": {},
            "lease_seconds": 30.0,
        }
        defaults.update(options)
        return SyncEngine(sessions, connectors, **defaults)  # type: ignore[arg-type]

    return _make
