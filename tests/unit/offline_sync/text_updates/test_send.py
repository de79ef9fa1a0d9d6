"""Text updates: one Notify text per event, in the person's language, only
with their consent, a mobile number, a mandate that allows contact and a
template; never twice for the same event."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.profile import OpenProfile
from casework.escalation import lifecycle
from casework.escalation.records import EscalationRequest
from casework.forms import definitions
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.models import Person, utcnow
from casework.kernel.records import Actor
from delegation import mandates
from delegation.audit import ReasonCode
from delegation.records import ConsentMethod
from delegation.scope import ScopeDetail, make_scope
from delegation.scope_words import describe
from offline_sync import outbox
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState
from offline_sync.text_updates import consent, template
from offline_sync.text_updates.send import text_update
from tests.fakes.notify import FakeNotify
from tests.fakes.submission import FakeSubmissionAPI
from tests.unit.conftest import WriteSession
from tests.unit.offline_sync import samples

TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
CONTACT_SCOPE = make_scope(
    [ScopeDetail(service_id="blue-badge", actions=("view", "contact"), categories=("contact",))]
)


@pytest.fixture(autouse=True)
def _template(profile: OpenProfile) -> None:
    profile.settings.extra[template.SETTING] = TEMPLATE


def _on(write: WriteSession, actor: Actor, case_id: int) -> None:
    with write() as session:
        consent.set_text_updates(session, actor, case_id, True, 0)


def _texts(write: WriteSession, case_id: int) -> list[dict[str, Any]]:
    with write() as session:
        items = session.scalars(
            select(OutboxItem).where(
                OutboxItem.case_id == case_id, OutboxItem.connector == Connector.NOTIFY_SMS
            )
        )
        return [json.loads(item.body) for item in items]


def _language(write: WriteSession, person_id: int, language: str) -> None:
    with write() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.preferred_language = language


def _payment(write: WriteSession, case_id: int, key: str = "pay-1") -> str | None:
    with write() as session:
        return text_update(session, case_id, "payment_received", key)


def test_a_payment_queues_one_text_in_the_persons_language(
    write: WriteSession, amira: Actor, person_id: int, case_id: int
) -> None:
    _language(write, person_id, "cy")
    _on(write, amira, case_id)
    assert _payment(write, case_id) is not None
    assert _payment(write, case_id) is None  # the same payment again: nothing more
    [body] = _texts(write, case_id)
    assert body["phone_number"] == "07700900982"
    assert body["template_id"] == TEMPLATE
    personal = body["personalisation"]
    assert personal["first_name"] == "Nia"
    assert personal["message"].startswith("Mae eich taliad")  # Welsh, as the person asked
    assert personal["case_reference"] in personal["message"]


def test_a_delivered_form_texts_the_person_once(
    sessions: sessionmaker[Session],
    make_engine: Any,
    submission_api: FakeSubmissionAPI,
    notify: FakeNotify,
    write: WriteSession,
    amira: Actor,
    case_id: int,
) -> None:
    _on(write, amira, case_id)
    with sessions.begin() as session:
        form = outbox.enqueue(session, Connector.SUBMISSION_API, samples.submission(), case_id)
    assert make_engine().drain(max_wait=10).finished
    [body] = _texts(write, case_id)
    assert "has been delivered" in body["personalisation"]["message"]  # English by default
    with sessions() as session:
        assert session.get(OutboxItem, form).state == OutboxState.DELIVERED  # type: ignore[union-attr]
        sms = session.scalars(
            select(OutboxItem).where(OutboxItem.connector == Connector.NOTIFY_SMS)
        ).one()
    # The engine went on to send the text itself, exactly once.
    assert len(notify.by_reference(sms.id)) == 1


def test_an_answered_escalation_texts_the_person(
    write: WriteSession, amira: Actor, person_id: int, case_id: int
) -> None:
    _language(write, person_id, "cy")
    _on(write, amira, case_id)
    catalogue = definitions.load_catalogue()

    def service_of(service_id: str) -> definitions.Service:
        found = catalogue.get(service_id)
        assert found is not None
        return found

    request = EscalationRequest(case_id, "no_decision", "Applied in January. No reply.")
    with write() as session:
        escalation_id = lifecycle.raise_escalation(session, amira, request, service_of)
    with write() as session:
        version = lifecycle.acknowledge(session, amira, escalation_id, 1)
    assert _texts(write, case_id) == []  # acknowledged is not an answer
    with write() as session:
        lifecycle.resolve(session, amira, escalation_id, version, "Badge issued.")
    [body] = _texts(write, case_id)
    assert body["personalisation"]["message"].startswith("Mae ateb")


def test_no_text_without_consent_template_or_the_agreed_number(
    profile: OpenProfile, write: WriteSession, amira: Actor, person_id: int, case_id: int
) -> None:
    assert _payment(write, case_id, "a") is None  # never asked
    _on(write, amira, case_id)
    profile.settings.extra[template.SETTING] = ""
    assert _payment(write, case_id, "b") is None  # no template
    with write() as session:
        shown = consent.text_updates(session, amira, case_id)
    assert shown.enabled and "administrator" in shown.problem
    profile.settings.extra[template.SETTING] = TEMPLATE
    with write() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.phone = "07700900123"  # a new number the person did not agree to
    assert _payment(write, case_id, "c") is None
    with write() as session:
        assert "changed" in consent.text_updates(session, amira, case_id).problem
        person = session.get(Person, person_id)
        assert person is not None
        person.phone = "07700900982"
    with write() as session:
        consent.set_text_updates(session, amira, case_id, False, 1)
    assert _payment(write, case_id, "d") is None  # turned off
    assert _texts(write, case_id) == []
    with write() as session:
        lines = [e.summary for e in timeline.entries(session, case_id) if e.kind == "text_updates"]
    assert lines == [
        "Text updates turned off.",
        "Text updates turned on: the person agreed to texts to 07700 900 982.",
    ]


@pytest.mark.parametrize("phone", ["", "029 2087 2087", "07000 900 982"])
def test_only_a_uk_mobile_can_get_texts(
    write: WriteSession, amira: Actor, person_id: int, case_id: int, phone: str
) -> None:
    with write() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.phone = phone or None
    with write() as session:
        shown = consent.text_updates(session, amira, case_id)
    assert not shown.can_turn_on and shown.problem
    with pytest.raises(InvalidInput) as refused, write() as session:
        consent.set_text_updates(session, amira, case_id, True, 0)
    assert "UK mobile number" in refused.value.fields["phone"]


def _mandate(write: WriteSession, amira: Actor, sam: Actor, person_id: int) -> int:
    now = utcnow()
    with write() as session:
        mandate = mandates.grant(
            session, amira, person_id=person_id, basis=mandates.Basis.CONSENT,
            scope=CONTACT_SCOPE, starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=30), grantee_worker_id=sam.worker_id,
            now=now - timedelta(hours=1),
        )  # fmt: skip
        mandates.record_consent(
            session, amira, mandate.id, method=ConsentMethod.IN_PERSON,
            task_list_shown=describe(CONTACT_SCOPE), seen_alone=True,
            safeguarding_answers=dict(mandates.SAFEGUARDING_QUESTIONS), now=now,
        )  # fmt: skip
        return mandates.activate(session, amira, mandate.id, now=now).id


def test_a_revoked_mandate_stops_texts(
    sessions: sessionmaker[Session],
    make_engine: Any,
    notify: FakeNotify,
    write: WriteSession,
    amira: Actor,
    sam: Actor,
    person_id: int,
    case_id: int,
) -> None:
    with pytest.raises(AccessRefused), write() as session:  # another team, no mandate yet
        consent.set_text_updates(session, sam, case_id, True, 0)
    mandate_id = _mandate(write, amira, sam, person_id)
    _on(write, sam, case_id)
    queued = _payment(write, case_id, "before")
    assert queued is not None
    with write() as session:
        mandates.revoke(session, amira, mandate_id, ReasonCode.PERSON_WITHDREW)
    assert _payment(write, case_id, "after") is None  # no new text
    make_engine().drain(max_wait=10)
    with sessions() as session:  # and the one already queued never leaves
        assert session.get(OutboxItem, queued).state == OutboxState.CANCELLED  # type: ignore[union-attr]
    assert notify.by_reference(queued) == []
    with write() as session:
        shown = consent.text_updates(session, amira, case_id)
    assert shown.enabled  # Amira's team still may; the person's choice stands


def test_wiping_the_person_wipes_their_consent_and_number(
    write: WriteSession, amira: Actor, person_id: int, case_id: int
) -> None:
    from casework.casefile.assisted import wipe_person
    from offline_sync.text_updates.models import TextUpdateConsent

    _on(write, amira, case_id)
    with write() as session:
        report = wipe_person(session, person_id)
    assert report.rows["text_update_consents"] == 1
    with write() as session:
        assert session.get(TextUpdateConsent, case_id) is None
