"""The engine's and connectors' messages speak Welsh when the worker does."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from casework.kernel.i18n import set_language
from offline_sync import outbox
from offline_sync.address.lookup import AddressLookup
from offline_sync.engine import SyncEngine
from offline_sync.models import OutboxItem
from offline_sync.records import Connector
from tests.fakes.notify import FakeNotify
from tests.fakes.server import Fault
from tests.fakes.submission import FakeSubmissionAPI
from tests.unit.offline_sync import samples


@pytest.fixture
def welsh() -> Iterator[None]:
    set_language("cy")
    try:
        yield
    finally:
        set_language("en")


def test_a_wrong_clock_and_a_lost_reply_are_explained_in_welsh(
    welsh: None,
    sessions: sessionmaker[Session],
    make_engine: Callable[..., SyncEngine],
    notify: FakeNotify,
    submission_api: FakeSubmissionAPI,
    case_id: int,
) -> None:
    with sessions.begin() as session:
        outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email())
        sub = outbox.enqueue(session, Connector.SUBMISSION_API, samples.submission(), case_id)
    notify.advance(120)
    submission_api.inject(Fault.DROP)
    engine = make_engine()
    engine.step()
    assert engine.stopped[Connector.NOTIFY_EMAIL].startswith(
        "Gwrthododd GOV.UK Notify y cais oherwydd bod cloc y cyfrifiadur hwn yn anghywir"
    )
    with sessions() as session:
        item = session.get(OutboxItem, sub)
        assert item is not None
        assert item.last_error_message == "Doedd dim modd cysylltu â'r gwasanaeth cyflwyno."
    engine.drain(max_wait=10)
    from casework.kernel.timeline import entries

    with sessions() as session:
        summaries = [e.summary for e in entries(session, case_id)]
    assert "Ffurflen i'r adran: wedi'i ddanfon." in summaries


def test_address_lookup_speaks_welsh(welsh: None, lookup: AddressLookup) -> None:
    assert lookup.look_up("dim").message == "Rhowch god post go iawn, fel CF10 1AA."
    assert lookup.look_up("ZZ1 1ZZ").message.startswith("Does dim cod post ZZ1 1ZZ.")
