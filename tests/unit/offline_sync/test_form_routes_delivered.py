"""A form sent by each Notify route reaches the Notify fake exactly once, as
the contract says: the email carries the filled-in form as a real PDF (send a
file), the letter is the precompiled PDF that passes the letter rules."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable

from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.profile import OpenProfile
from casework.forms import actions, definitions, drafts
from casework.forms.sample import sample_answers
from casework.kernel.models import Submission, utcnow
from casework.kernel.records import Actor
from casework.paper.form_routes import PAPER
from casework.paper.letter import check_letter
from offline_sync import outbox
from offline_sync.engine import SyncEngine
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState
from offline_sync.text_updates import consent, template
from offline_sync.text_updates.send import after_delivery
from tests.fakes.notify import FakeNotify
from tests.unit.conftest import WriteSession
from tests.unit.offline_sync import samples

CATALOGUE = definitions.load_catalogue()


def _send(write: WriteSession, actor: Actor, case_id: int, service_id: str, route: str) -> None:
    service = CATALOGUE.get(service_id)
    assert service is not None
    with write() as session:
        draft = actions.start_form(session, actor, CATALOGUE, case_id, service_id)
        version = drafts.save_draft(
            session, actor, draft.id, draft.version, sample_answers(service), None,
            services=CATALOGUE.get,
        )  # fmt: skip
        actions.submit_form(session, actor, CATALOGUE, draft.id, version, route, paper=PAPER)


def test_the_email_and_the_letter_each_arrive_once_with_their_pdf(
    write: WriteSession,
    amira: Actor,
    case_id: int,
    sessions: sessionmaker[Session],
    make_engine: Callable[..., SyncEngine],
    notify: FakeNotify,
) -> None:
    _send(write, amira, case_id, "gp-registration", "notify_email")
    _send(write, amira, case_id, "blue-badge", "paper_letter")
    assert make_engine().drain(max_wait=20).finished
    with sessions() as session:
        items = {i.connector: i for i in session.scalars(select(OutboxItem))}
    assert set(items) == {"notify_email", "notify_letter"}
    assert all(i.state != OutboxState.NEEDS_ATTENTION for i in items.values())

    [email] = notify.by_reference(items["notify_email"].id)
    upload = email.personalisation["link_to_file"]
    pdf = base64.b64decode(upload["file"])
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Sample answer" in text and "1 High Street" in text
    assert upload["confirm_email_before_download"] is True
    assert upload["retention_period"] == "26 weeks"
    assert email.recipient == "registrations@gp-surgery.example"

    [letter] = notify.by_reference(items["notify_letter"].id)
    assert check_letter(base64.b64decode(letter.body["content"])) == []
    assert notify.posts_received == 2
    assert json.loads(items["notify_letter"].body)["postage"] == "second"


def test_the_notify_fake_checks_a_file_by_the_contract(
    sessions: sessionmaker[Session],
    make_engine: Callable[..., SyncEngine],
    notify: FakeNotify,
) -> None:
    from casework.forms import payload
    from offline_sync import outbox
    from offline_sync.records import Connector

    def body(data: bytes, **upload: object) -> dict[str, object]:
        made = payload.email_with_file(
            "inbox@example.com", "11111111-2222-4333-8444-555555555555", {}, "link_to_file",
            data, filename="form.pdf", confirm_email_before_download=True,
            retention_period="26 weeks",
        )  # fmt: skip
        made["personalisation"]["link_to_file"].update(upload)
        return made

    pdf = PAPER.form_pdf(
        CATALOGUE.services[0], {}, case_reference="AL-7K3M9QX", record=("draft", 1), language="en"
    )
    cases = {
        "good": body(pdf),
        "not a pdf": body(b"plain words"),
        "no extension": body(pdf, filename="form"),
        "too long kept": body(pdf, retention_period="27 weeks"),
        "extra key": body(pdf, colour="red"),
    }
    with sessions.begin() as session:
        ids = {
            name: outbox.enqueue(session, Connector.NOTIFY_EMAIL, made)
            for name, made in cases.items()
        }
    make_engine().drain(max_wait=20)
    with sessions() as session:
        states = {n: session.get(OutboxItem, i) for n, i in ids.items()}
        messages = {n: (s.state, s.last_error_message or "") for n, s in states.items() if s}
    assert messages["good"][0] != OutboxState.NEEDS_ATTENTION
    assert "not a PDF" in messages["not a pdf"][1]
    assert "supported file extension" in messages["no extension"][1]
    assert "from 1 to 26 weeks" in messages["too long kept"][1]
    assert "colour" in messages["extra key"][1]
    assert notify.posts_received == 1


def test_a_form_that_went_by_email_texts_the_person_and_another_email_does_not(
    write: WriteSession, amira: Actor, case_id: int, profile: OpenProfile
) -> None:
    profile.settings.extra[template.SETTING] = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    with write() as session:
        consent.set_text_updates(session, amira, case_id, True, 0)
        # Not a form: an email about the case (as an escalation sends).
        other = outbox.enqueue(session, Connector.NOTIFY_EMAIL, samples.email(), case_id)
    _send(write, amira, case_id, "gp-registration", "notify_email")
    with write() as session:
        submission = session.scalars(select(Submission)).one()
        form_email = session.get(OutboxItem, submission.uuid)  # the email is the form's
        assert form_email is not None and form_email.connector == Connector.NOTIFY_EMAIL
        now = utcnow()
        # What the engine calls when Notify says each was delivered:
        assert after_delivery(session, Connector.NOTIFY_EMAIL, case_id, other, now) is None
        text = after_delivery(session, Connector.NOTIFY_EMAIL, case_id, form_email.id, now)
        assert text is not None
        sms = session.get(OutboxItem, text)
        assert sms is not None and sms.connector == Connector.NOTIFY_SMS
        assert "has been delivered" in json.loads(sms.body)["personalisation"]["message"]
