"""Escalations: raised under the policy with the exact content previewed,
queued once in the outbox, moved through the state machine, and re-escalated
exactly once per breach."""

from __future__ import annotations

import base64
import contextlib
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.database import session_factory
from app.profile import OpenProfile
from app.sandbox.notify import CONTRACTS, _schemas
from casework.casefile.cases import open_case
from casework.casefile.people import create_person
from casework.escalation import breaches, lifecycle
from casework.escalation.models import Escalation, EscalationLevel
from casework.escalation.records import EscalationRequest, EscalationSettings
from casework.forms import definitions
from casework.forms.definitions import Service
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.models import Task
from casework.kernel.records import Actor
from casework.paper.letter import check_letter
from delegation.models import AuditEntry
from offline_sync.models import OutboxItem
from offline_sync.records import Connector
from tests.unit.conftest import WriteSession
from tests.unit.factories import person_input

CATALOGUE = definitions.load_catalogue()
# Monday 2 March 2026, 10:00 in London (GMT).
RAISED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def service_of(service_id: str) -> Service:
    found = CATALOGUE.get(service_id)
    assert found is not None
    return found


def _request(case_id: int, reason: str = "no_decision") -> EscalationRequest:
    return EscalationRequest(case_id, reason, "Applied on 2 January. No decision, no reply.")


def _raise(write: WriteSession, actor: Actor, case_id: int, now: datetime = RAISED) -> int:
    with write() as session:
        return lifecycle.raise_escalation(session, actor, _request(case_id), service_of, now=now)


def test_the_preview_is_exactly_what_is_queued(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        shown = lifecycle.preview(session, amira, _request(case_id), service_of, now=RAISED)
    escalation_id = _raise(write, amira, case_id)
    with write() as session:
        level = session.scalars(select(EscalationLevel)).one()
        item = session.get(OutboxItem, level.outbox_item_id)
        assert item is not None
        body = json.loads(item.body)
        events = timeline.entries(session, case_id)
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    # The person's postcode (CF10) is in Wales: the Welsh ladder's first rung.
    assert shown.facilitator.name == "Eilidh Clarke"
    assert "Cymraeg" not in shown.facilitator.languages and "Welsh" in shown.facilitator.languages
    assert shown.facilitator.due_on.isoformat() == "2026-03-16"  # 10 working days
    assert item.connector is Connector.NOTIFY_EMAIL
    assert body["reference"] == item.id  # the outbox id is Notify's reference
    assert {k: v for k, v in body.items() if k != "reference"} == shown.notify_body
    assert body["personalisation"]["body"] == shown.body == level.body
    assert body["template_id"] == lifecycle.DEFAULT_TEMPLATE_ID
    assert "Dear Eilidh Clarke," in shown.body and "by 16 March 2026" in shown.body
    assert "link_to_file" not in body["personalisation"]  # nothing sent on this case yet
    assert events[0].kind == "escalated" and "Eilidh Clarke" in events[0].summary
    assert [(e.kind, e.action, e.outcome) for e in entries][-1] == (
        "escalation",
        "escalate",
        "allow",
    )
    assert any(e.action == "escalate" and e.kind == "decision" for e in entries)
    assert escalation_id


def test_outside_the_mandate_it_is_refused_and_audited(
    profile: OpenProfile, write: WriteSession, sam: Actor, case_id: int
) -> None:
    with pytest.raises(AccessRefused), write() as session:
        lifecycle.raise_escalation(session, sam, _request(case_id), service_of, now=RAISED)
    # As the policy says: a caller that catches the refusal commits, keeping its audit entry.
    sessions = session_factory(profile.engine, write=True)
    with sessions.begin() as session, contextlib.suppress(AccessRefused):
        lifecycle.raise_escalation(session, sam, _request(case_id), service_of, now=RAISED)
    with write() as session:
        assert session.scalar(select(func.count()).select_from(Escalation)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxItem)) == 0
        refused = session.scalars(
            select(AuditEntry).where(
                AuditEntry.outcome == "refuse", AuditEntry.action == "escalate"
            )
        ).all()
    assert refused and refused[-1].worker_id == sam.worker_id


def test_bad_input_says_what_to_do(write: WriteSession, amira: Actor, case_id: int) -> None:
    with pytest.raises(InvalidInput) as bad, write() as session:
        lifecycle.preview(
            session, amira, EscalationRequest(case_id, "bored", "  "), service_of, now=RAISED
        )
    assert set(bad.value.fields) == {"reason", "description"}


def test_the_state_machine(write: WriteSession, amira: Actor, case_id: int) -> None:
    escalation_id = _raise(write, amira, case_id)
    with write() as session:
        version = lifecycle.acknowledge(session, amira, escalation_id, 1, "Ref 123")
    with pytest.raises(InvalidInput), write() as session:
        lifecycle.resolve(session, amira, escalation_id, version, "  ")
    with write() as session:
        version = lifecycle.resolve(session, amira, escalation_id, version, "Badge issued.")
    for move in (lifecycle.acknowledge, lifecycle.close):
        with pytest.raises(InvalidInput), write() as session:
            move(session, amira, escalation_id, version, "again")
    with write() as session:
        kinds = [e.kind for e in timeline.entries(session, case_id)]
        row = session.get(Escalation, escalation_id)
        assert row is not None and row.outcome == "Badge issued."
    assert kinds[:3] == ["escalation_resolved", "escalation_acknowledged", "escalated"]
    assert lifecycle.TRANSITIONS[lifecycle.S.RESOLVED] == frozenset()


def test_a_breach_re_escalates_exactly_once_and_reminds_once_before(
    profile: OpenProfile, write: WriteSession, amira: Actor, case_id: int
) -> None:
    escalation_id = _raise(write, amira, case_id)
    sessions = session_factory(profile.engine, write=True)
    with write() as session:
        first = session.scalars(select(EscalationLevel)).one()
        breach_at, reminder_at = first.breach_at, first.reminder_at
    # 16 March is the due day: the reminder comes at its start, the breach at its end.
    assert reminder_at == datetime(2026, 3, 16, 0, 0, tzinfo=UTC)
    assert breach_at == datetime(2026, 3, 17, 0, 0, tzinfo=UTC)
    early = breaches.check_due(sessions, service_of, now=reminder_at - timedelta(seconds=1))
    assert early.reminded == early.re_escalated == 0
    for _ in range(2):
        report = breaches.check_due(sessions, service_of, now=reminder_at + timedelta(hours=1))
    assert report.reminded == 0  # the second check found it already reminded
    for _ in range(3):
        report = breaches.check_due(sessions, service_of, now=breach_at)
    with write() as session:
        levels = session.scalars(select(EscalationLevel).order_by(EscalationLevel.level)).all()
        items = session.scalars(select(OutboxItem)).all()
        tasks = session.scalars(select(Task).where(Task.title.like("Chase escalation%"))).all()
        row = session.get(Escalation, escalation_id)
        assert row is not None and row.current_level == 2
        kinds = [e.kind for e in timeline.entries(session, case_id)]
    assert [lv.level for lv in levels] == [1, 2]
    assert len(items) == 2 and len(tasks) == 1
    assert kinds.count("re_escalated") == 1 and kinds.count("escalation_reminder") == 1
    second = json.loads(next(i for i in items if i.id == levels[1].outbox_item_id).body)
    assert "Eilidh Clarke" in second["personalisation"]["body"]  # says who was asked first
    assert second["email_address"] != json.loads(items[0].body)["email_address"]
    # Level 2 (5 working days from Tuesday 17 March) breaches at the end of the ladder.
    assert levels[1].due_on.isoformat() == "2026-03-24"
    top = breaches.check_due(sessions, service_of, now=levels[1].breach_at)
    assert top.breached_at_top == 1 and top.re_escalated == 0
    assert breaches.check_due(sessions, service_of, now=levels[1].breach_at).breached_at_top == 0


def test_an_acknowledged_escalation_is_not_re_escalated(
    profile: OpenProfile, write: WriteSession, amira: Actor, case_id: int
) -> None:
    escalation_id = _raise(write, amira, case_id)
    with write() as session:
        lifecycle.acknowledge(session, amira, escalation_id, 1)
    sessions = session_factory(profile.engine, write=True)
    report = breaches.check_due(sessions, service_of, now=RAISED + timedelta(days=60))
    assert report.re_escalated == 0


def test_a_paper_facilitator_gets_a_precompiled_letter(
    write: WriteSession, amira: Actor, artifacts: Path
) -> None:
    import subprocess

    with write() as session:
        person = create_person(session, amira, person_input(postcode="ne1 6sn"))
        case_id = open_case(session, amira, person, "hc1-health-costs", "HC1 lost")
        shown = lifecycle.preview(session, amira, _request(case_id), service_of, now=RAISED)
    escalation_id = _raise(write, amira, case_id)
    with write() as session:
        level = session.scalars(select(EscalationLevel)).one()
        item = session.get(OutboxItem, level.outbox_item_id)
        assert item is not None
        pdf = lifecycle.letter_pdf(session, amira, escalation_id)
    body = json.loads(item.body)
    assert item.connector is Connector.NOTIFY_LETTER
    assert set(body) == {"reference", "content", "postage"} and body["reference"] == item.id
    assert pdf is not None and base64.b64decode(body["content"]) == pdf == shown.letter_pdf
    assert check_letter(pdf) == []
    components = json.loads((CONTRACTS / "schema.json").read_text())["components"]["schemas"]
    letter_schema = dict(components["SendPrecompiledLetterRequest"], additionalProperties=False)
    assert list(jsonschema.Draft202012Validator(letter_schema).iter_errors(body)) == []
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Tomasz Roberts" in text and "NE98 1ZZ" in text and "16/03/2026" in text
    out = artifacts / "escalation-letter.pdf"
    out.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(out), str(out.with_suffix(""))],
        check=True,
    )


def test_the_sent_form_is_attached_when_the_mandate_allows_printing(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    from casework.forms import drafts
    from tests.unit.casework.forms.test_drafts import COMPLETE, SERVICE, TODAY

    with write() as session:
        case_id = open_case(session, amira, person_id, SERVICE.id, "Sample thing")
        draft_id = drafts.start_draft(session, amira, case_id, SERVICE)
        version = drafts.save_draft(session, amira, draft_id, 1, COMPLETE, "medicines")
    with write() as session:
        drafts.submit_draft(session, amira, draft_id, version, SERVICE, TODAY)

    def own(service_id: str) -> Service:
        return SERVICE if service_id == SERVICE.id else service_of(service_id)

    with write() as session:
        lifecycle.raise_escalation(session, amira, _request(case_id), own, now=RAISED)
        item = session.scalars(select(OutboxItem)).one()
    body = json.loads(item.body)
    # The body passes the Notify contract the fake enforces.
    assert list(jsonschema.Draft202012Validator(_schemas()["email"]).iter_errors(body)) == []
    attached = body["personalisation"]["link_to_file"]
    assert set(attached) == {
        "file",
        "filename",
        "confirm_email_before_download",
        "retention_period",
    }
    assert attached["confirm_email_before_download"] is True
    assert attached["retention_period"] == "26 weeks"
    form = PdfReader(io.BytesIO(base64.b64decode(attached["file"])))
    text = "".join(p.extract_text() for p in form.pages)
    assert "Pritchard" in text
    # The caseload does not disclose money: the income answer is not printed.
    assert "15000" not in text and "15,000" not in text


def test_a_breach_whose_service_is_gone_does_not_stop_the_check(
    profile: OpenProfile, write: WriteSession, amira: Actor, case_id: int
) -> None:
    _raise(write, amira, case_id)
    sessions = session_factory(profile.engine, write=True)
    with write() as session:
        breach_at = session.scalars(select(EscalationLevel)).one().breach_at

    def gone(service_id: str) -> Service:
        raise LookupError(service_id)

    report = breaches.check_due(sessions, gone, now=breach_at)
    assert report.refused == 1 and report.re_escalated == 0
    # Nothing was half-done: once the definition is back, the next check passes it on.
    assert breaches.check_due(sessions, service_of, now=breach_at).re_escalated == 1


def test_the_catalogue_and_the_settings_decide_the_recipient_and_the_template(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    template = "11111111-2222-4333-8444-555555555555"
    settings = EscalationSettings(template_id=template, default_area="scotland")
    with write() as session:
        card = lifecycle.recipient(session, amira, case_id, CATALOGUE, settings, now=RAISED)
        shown = lifecycle.preview_with(
            session, amira, _request(case_id), CATALOGUE, settings, now=RAISED
        )
        expected = lifecycle.preview(
            session, amira, _request(case_id), service_of, template_id=template, now=RAISED
        )
        escalation_id = lifecycle.raise_with(
            session, amira, _request(case_id), CATALOGUE, settings, now=RAISED
        )
        item = session.scalars(select(OutboxItem)).one()
    # The person's postcode is in Wales, so the default area is not used.
    assert card == shown.facilitator == expected.facilitator
    assert card.name == "Eilidh Clarke"
    assert shown == expected and shown.notify_body["template_id"] == template
    assert escalation_id and json.loads(item.body)["template_id"] == template


def test_a_service_with_no_definition_has_no_named_facilitator(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    from casework.kernel.errors import NotFound

    settings = EscalationSettings(template_id=lifecycle.DEFAULT_TEMPLATE_ID)
    with pytest.raises(NotFound, match="no named facilitator"):
        lifecycle.services_in(CATALOGUE)("general-advice")
    with write() as session:
        case = open_case(session, amira, person_id, "general-advice", "Advice")
    with (
        pytest.raises(NotFound, match="Contact the service by phone or letter"),
        write() as session,
    ):
        lifecycle.recipient(session, amira, case, CATALOGUE, settings, now=RAISED)


def test_broken_text_is_refused_by_the_core_itself(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    """Whoever calls it (the window's wrapper, the demo, a script), a lone
    surrogate in the description is a field error and nothing is queued."""
    broken = EscalationRequest(case_id, "no_decision", "Applied \udc80 on 2 January.")
    for attempt in (lifecycle.preview, lifecycle.raise_escalation):
        with pytest.raises(InvalidInput) as refused, write() as session:
            attempt(session, amira, broken, service_of, now=RAISED)
        assert "description" in refused.value.fields
    with write() as session:
        assert session.scalar(select(func.count()).select_from(Escalation)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxItem)) == 0
