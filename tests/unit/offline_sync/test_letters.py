"""Notify precompiled letters and emails with a file, over loopback to the fake.

A letter's body is exactly Notify's ``{reference, content, postage}``; it is
checked locally before it goes (a letter Notify would refuse is set aside
with the reasons and never sent), and it is polled until Notify has received
it. An email whose template has a file placeholder carries the official
client's ``prepare_upload`` shape.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable

import pytest
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from pypdf import PdfReader
from sqlalchemy.orm import Session, sessionmaker

from casework.forms import payload
from offline_sync import outbox
from offline_sync.connectors.notify import NotifyConnector
from offline_sync.engine import RetryPolicy, SyncEngine
from offline_sync.models import OutboxItem
from offline_sync.records import Connector, OutboxState
from tests.fakes.notify import FakeNotify
from tests.unit.offline_sync import samples

S = OutboxState
MakeEngine = Callable[..., SyncEngine]
POLL_AT_ONCE = RetryPolicy(
    base_seconds=0.01, max_seconds=0.05, poll_min_seconds=0, poll_max_seconds=0
)


def _item(sessions: sessionmaker[Session], item_id: str) -> OutboxItem:
    with sessions() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None
        return item


def _enqueue(
    sessions: sessionmaker[Session], connector: Connector, body: dict[str, object], **kw: object
) -> str:
    with sessions.begin() as session:
        return outbox.enqueue(session, connector, body, **kw)  # type: ignore[arg-type]


def test_a_letter_goes_as_notifys_precompiled_body_and_is_polled_until_received(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify, case_id: int
) -> None:
    pdf = samples.letter_pdf(1)
    item_id = _enqueue(
        sessions, Connector.NOTIFY_LETTER, payload.precompiled_letter(pdf, "first"),
        case_id=case_id,
    )  # fmt: skip
    engine = make_engine(policy=POLL_AT_ONCE)
    assert engine.step() == 1

    [held] = notify.by_reference(item_id)
    assert held.body == {
        "reference": item_id,
        "content": base64.b64encode(pdf).decode(),
        "postage": "first",
    }
    assert held.type == "letter" and held.postage == "first"
    # What reached Notify is our PDF, byte for byte, and still a readable A4 letter.
    sent = base64.b64decode(held.body["content"])
    assert sent == pdf and len(PdfReader(io.BytesIO(sent)).pages) == 1
    item = _item(sessions, item_id)
    assert item.state == S.SENT and item.remote_id == held.id

    engine.step()  # pending the virus check
    assert _item(sessions, item_id).remote_status == "pending-virus-check"
    notify.advance(2)
    engine.step()  # accepted is not the end for a letter: it is still to be printed
    item = _item(sessions, item_id)
    assert item.state == S.SENT and item.remote_status == "accepted"
    notify.advance(5)
    engine.step()
    item = _item(sessions, item_id)
    assert item.state == S.DELIVERED and item.remote_status == "received"

    from casework.kernel.timeline import entries

    with sessions() as session:
        lines = [(e.kind, e.summary) for e in entries(session, case_id)]
    assert ("outbox_sent", "Letter (GOV.UK Notify): sent.") in lines
    accepted = "Letter (GOV.UK Notify): accepted by GOV.UK Notify for printing and posting."
    assert lines.count(("outbox_accepted", accepted)) == 1
    assert ("outbox_delivered", "Letter (GOV.UK Notify): delivered.") in lines
    assert notify.posts_received == 1


def test_a_letter_notify_would_refuse_is_set_aside_with_the_reason_and_not_sent(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify, case_id: int
) -> None:
    bad = _enqueue(sessions, Connector.NOTIFY_LETTER, samples.bad_letter(), case_id=case_id)
    broken = _enqueue(
        sessions, Connector.NOTIFY_LETTER, {"content": "bm90IGEgcGRm", "postage": "second"}
    )
    good = _enqueue(sessions, Connector.NOTIFY_LETTER, samples.letter(2))
    result = make_engine().drain(max_wait=10)
    assert result.finished

    item = _item(sessions, bad)
    assert item.state == S.NEEDS_ATTENTION
    assert item.last_error_type == "LetterCheckFailed"
    assert "must be A4 portrait" in (item.last_error_message or "")
    assert "Fix the letter" in (item.last_error_message or "")
    assert "not a PDF" in (_item(sessions, broken).last_error_message or "")
    # Neither refused letter left this computer; the good one did, once.
    assert notify.by_reference(bad) == [] and notify.by_reference(broken) == []
    assert len(notify.by_reference(good)) == 1
    from casework.kernel.timeline import entries

    with sessions() as session:
        summaries = [e.summary for e in entries(session, case_id)]
    assert any("Letter (GOV.UK Notify): needs attention." in s and "A4" in s for s in summaries)


def test_a_letter_that_fails_notifys_later_check_ends_failed(
    sessions: sessionmaker[Session],
    make_engine: MakeEngine,
    notify: FakeNotify,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A letter that our check passes but Notify's does not (a stricter rule, a
    # newer Notify): the status poll brings the failure home.
    from offline_sync.connectors import notify as notify_connector

    item_id = _enqueue(sessions, Connector.NOTIFY_LETTER, samples.bad_letter())
    monkeypatch.setattr(notify_connector, "check_precompiled_letter", lambda payload, check: None)
    engine = make_engine(policy=POLL_AT_ONCE)
    engine.step()
    notify.advance(2)
    engine.step()
    item = _item(sessions, item_id)
    assert item.state == S.FAILED and item.remote_status == "validation-failed"
    assert "layout" in (item.last_error_message or "")


def test_the_fake_checks_letters_as_notify_does(notify: FakeNotify) -> None:
    client = NotificationsAPIClient(notify.api_key, base_url=notify.url)
    reply = client.send_precompiled_letter_notification(
        "ref-1", io.BytesIO(samples.letter_pdf()), postage="economy"
    )
    assert set(reply) == {"id", "reference", "postage"}
    assert reply["reference"] == "ref-1" and reply["postage"] == "economy"

    def refused(body: dict[str, object]) -> tuple[int, list[dict[str, str]]]:
        with pytest.raises(HTTPError) as raised:
            client.post("/v2/notifications/letter", data=body)
        return raised.value.status_code, raised.value.message  # type: ignore[return-value]

    content = base64.b64encode(samples.letter_pdf()).decode()
    status, errors = refused({"content": content})
    assert status == 400 and "'reference' is a required property" in errors[0]["message"]
    status, errors = refused({"reference": "r", "content": content, "postage": "third"})
    assert status == 400 and errors[0]["message"].startswith("postage ")
    status, errors = refused({"reference": "r", "content": content, "colour": "red"})
    assert status == 400 and "colour" in errors[0]["message"]
    status, errors = refused({"reference": "r", "content": "%%%not base64%%%"})
    assert status == 400 and "base64" in errors[0]["message"]
    notify.team_key = True
    status, errors = refused({"reference": "r", "content": content})
    assert status == 403 and errors[0]["error"] == "BadRequestError"


def test_an_email_with_a_file_carries_prepare_upload_and_is_checked(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify
) -> None:
    pdf = samples.letter_pdf()
    body = payload.email_with_file(
        "nia@example.com", samples.TEMPLATE_ID, {"first_name": "Nia"}, "link_to_file", pdf,
        filename="receipt.pdf", confirm_email_before_download=True, retention_period="4 weeks",
    )  # fmt: skip
    good = _enqueue(sessions, Connector.NOTIFY_EMAIL, body)
    too_long = json.loads(json.dumps(body))
    too_long["personalisation"]["link_to_file"]["retention_period"] = "27 weeks"
    kept_too_long = _enqueue(sessions, Connector.NOTIFY_EMAIL, too_long)
    result = make_engine().drain(max_wait=10)
    assert result.finished

    [held] = notify.by_reference(good)
    upload = held.personalisation["link_to_file"]
    assert upload == {
        "file": base64.b64encode(pdf).decode(),
        "filename": "receipt.pdf",
        "confirm_email_before_download": True,
        "retention_period": "4 weeks",
    }
    assert held.personalisation["first_name"] == "Nia"
    item = _item(sessions, kept_too_long)
    assert item.state == S.NEEDS_ATTENTION
    assert "Supported periods are from 1 to 26 weeks" in (item.last_error_message or "")


def test_a_service_that_may_not_send_files_sets_the_email_aside(
    sessions: sessionmaker[Session], make_engine: MakeEngine, notify: FakeNotify
) -> None:
    notify.file_sending = False
    body = payload.email_with_file(
        "nia@example.com", samples.TEMPLATE_ID, {}, "link_to_file", b"%PDF-1.4 tiny"
    )
    with_file = _enqueue(sessions, Connector.NOTIFY_EMAIL, body)
    plain = _enqueue(sessions, Connector.NOTIFY_EMAIL, samples.email())
    make_engine().drain(max_wait=10)
    item = _item(sessions, with_file)
    assert item.state == S.NEEDS_ATTENTION and item.last_error_type == "BadRequestError"
    assert item.last_error_message == "Service is not allowed to send documents"
    assert _item(sessions, plain).state == S.SENT


def test_a_letter_connector_cannot_be_made_without_the_letter_check() -> None:
    """Paper owns the letter rules and hands them in; forgetting them is an error,
    not a connector that sends unchecked letters."""
    with pytest.raises(ValueError, match="letter check"):
        NotifyConnector(Connector.NOTIFY_LETTER, "key", base_url="http://127.0.0.1:9")
    email = NotifyConnector(Connector.NOTIFY_EMAIL, "key", base_url="http://127.0.0.1:9")
    assert email.connector is Connector.NOTIFY_EMAIL
