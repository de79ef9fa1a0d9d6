"""The outbox listing (``outbox_queries.outbox_rows``): who each item is for
(a name only where the policy lets the reader see that person), its case, its
service and, through ``offline_sync.names``, its route and state in words, in
English and Welsh; in one query however many items there are."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from app.profile import OpenProfile
from casework.forms import actions
from casework.forms.definitions import load_catalogue
from casework.kernel.i18n import set_language
from casework.kernel.models import utcnow
from casework.kernel.records import Actor
from offline_sync import outbox, outbox_queries
from offline_sync.names import person_words, route_name, state_name
from offline_sync.outbox import Outcome
from offline_sync.records import Connector, OutboxRow, OutboxState
from tests.unit.casework.forms.test_actions import CATALOGUE, _filled
from tests.unit.conftest import WriteSession
from tests.unit.offline_sync import samples

TITLES = {
    "en": actions.titles(load_catalogue(), "en"),
    "cy": actions.titles(load_catalogue(), "cy"),
}


@pytest.fixture
def welsh() -> Iterator[None]:
    set_language("cy")
    yield
    set_language("en")


def _words(row: OutboxRow) -> tuple[str, str, str, str, str]:
    who = person_words(row.person, hidden=row.hidden, for_a_case=row.case_id is not None)
    return who, row.case_reference, row.service, route_name(row.connector), state_name(row.state)


def _set_aside(sessions: sessionmaker[Session], item_id: str) -> None:
    (claimed,) = outbox.claim(sessions, "me", utcnow(), 60, connectors=[Connector.NOTIFY_EMAIL])
    assert claimed.id == item_id
    outbox.record_outcome(
        sessions,
        item_id,
        "me",
        Outcome(
            OutboxState.NEEDS_ATTENTION,
            error_type="ValidationError",
            error_message="email_address Not a valid email address: nia@example.com",
        ),
    )


def _reference(sessions: sessionmaker[Session], case_id: int) -> str:
    from casework.kernel.models import Case

    with sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.reference


def test_a_row_says_who_which_case_service_route_and_state_in_words(
    sessions: sessionmaker[Session], amira: Actor, case_id: int
) -> None:
    with sessions.begin() as session:
        outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email(1), case_id)
    with sessions() as session:
        (row,) = outbox_queries.outbox_rows(session, amira, titles=TITLES["en"])
    reference = _reference(sessions, case_id)
    assert _words(row) == (
        "Nia Pritchard",
        reference,
        "Apply for a Blue Badge",
        "Email",
        "Waiting to send",
    )
    assert row.service_id == "blue-badge" and not row.hidden
    assert row.can_retry and row.can_cancel


def test_the_words_are_welsh_for_a_welsh_reader(
    sessions: sessionmaker[Session], amira: Actor, sam: Actor, case_id: int, welsh: None
) -> None:
    with sessions.begin() as session:
        outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email(1), case_id)
        outbox.enqueue(session, Connector.ADDRESS_LOOKUP, {"postcode": "CF10 1AA"})
    with sessions() as session:
        for_case, no_case = outbox_queries.outbox_rows(session, amira, titles=TITLES["cy"])[::-1]
        hidden = next(
            r for r in outbox_queries.outbox_rows(session, sam, titles=TITLES["cy"]) if r.case_id
        )
    assert _words(for_case)[2:] == ("Gwneud cais am Fathodyn Glas", "E-bost", "Yn aros i’w anfon")
    assert _words(no_case)[0] == "Neb: nid ar gyfer achos"
    assert _words(hidden)[0] == "Rhywun yn llwyth achosion tîm arall"
    for row in (for_case, no_case, hidden):
        for text in _words(row):
            assert "_" not in text and text not in {s.value for s in OutboxState}


def test_someone_elses_item_is_listed_but_gives_nothing_away(
    sessions: sessionmaker[Session], amira: Actor, sam: Actor, case_id: int
) -> None:
    with sessions.begin() as session:
        item_id = outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email(1), case_id)
    _set_aside(sessions, item_id)
    with sessions() as session:
        (mine,) = outbox_queries.outbox_rows(session, amira, titles=TITLES["en"])
        (theirs,) = outbox_queries.outbox_rows(session, sam, titles=TITLES["en"])
    assert mine.person == "Nia Pritchard" and "nia@example.com" in mine.reason
    assert mine.can_retry and mine.can_cancel
    assert theirs.hidden and theirs.person == "" and theirs.case_reference == ""
    assert theirs.reason == "" and not theirs.can_retry and not theirs.can_cancel
    assert _words(theirs) == (
        "Someone in another team's caseload",
        "",
        "Apply for a Blue Badge",
        "Email",
        "Needs attention",
    )


def test_a_sent_form_is_listed_under_its_own_service_not_the_cases(
    write: WriteSession, sessions: sessionmaker[Session], amira: Actor, case_id: int
) -> None:
    draft_id, version = _filled(write, amira, case_id, CATALOGUE)
    with write() as session:
        actions.submit_form(session, amira, CATALOGUE, draft_id, version)
    titles = actions.titles(CATALOGUE, "en")
    with sessions() as session:
        rows = outbox_queries.outbox_rows(session, amira, titles=titles)
    # The form, and its fee as an item of its own.
    assert sorted(r.connector for r in rows) == [Connector.PAY, Connector.SUBMISSION_API]
    (row,) = [r for r in rows if r.connector == Connector.SUBMISSION_API]
    assert row.service_id == "sample-service"  # the case is for a Blue Badge
    assert row.service == titles["sample-service"]
    assert route_name(row.connector) == "Form to the department"


def test_the_listing_is_one_query_however_many_items(
    profile: OpenProfile, sessions: sessionmaker[Session], amira: Actor, case_id: int
) -> None:
    with sessions.begin() as session:
        for n in range(60):
            outbox.enqueue(
                session, Connector.NOTIFY_EMAIL, samples.email(n), case_id if n % 2 else None
            )
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(profile.engine, "before_cursor_execute", seen)
    try:
        with sessions() as session:
            rows = outbox_queries.outbox_rows(session, amira, titles=TITLES["en"])
    finally:
        event.remove(profile.engine, "before_cursor_execute", seen)
    assert len(rows) == 60
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_a_payment_says_paid_only_when_it_is() -> None:
    assert state_name("delivered", "pay") == "Paid"
    assert state_name("sent", "pay") == "Payment page ready, not paid yet"
    assert state_name("failed", "pay") == "Not paid"
    assert state_name("queued", "pay") == "Waiting to send"
    assert state_name("delivered", "notify_email") == "Delivered"


def test_a_payment_says_paid_in_welsh(welsh: None) -> None:
    assert state_name("delivered", "pay") == "Wedi’i thalu"
