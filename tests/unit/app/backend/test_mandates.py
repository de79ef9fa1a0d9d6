"""The mandate facade (app.backend.mandates) and assisted sessions, on a real
encrypted profile: grant with consent, the banner's mandate, renew, suspend,
revoke, the receipt, the audit view, and a session wiped from the disk."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.backend import LocalBackend
from app.database import session_factory
from app.profile import OpenProfile
from casework.casefile import assisted
from casework.forms.mandate_names import catalogue_names
from casework.kernel.errors import AlongsideError, InvalidInput
from casework.kernel.models import utcnow
from delegation import audit
from delegation.mandates import SAFEGUARDING_QUESTIONS
from delegation.models import AuditEntry, Mandate
from delegation.records import AssistedStart, GrantRequest, WorkInProgress
from delegation.scope import ScopeDetail, make_scope
from delegation.scope_words import describe
from tests.unit.delegation.sqlcipher_pages import contains
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import mandates as mandates_ops
from ui.operations import people as people_ops

SCOPE = make_scope(
    [ScopeDetail(service_id="blue-badge", actions=["view", "draft"], categories=["identity"])]
)


def _request(backend: LocalBackend, person_id: int, **changes: object) -> GrantRequest:
    actor = backend.current_actor
    assert actor is not None
    values: dict[str, object] = {
        "person_id": person_id,
        "grantee_kind": "worker",
        "grantee_id": actor.worker_id,
        "basis": "consent",
        "scope": SCOPE,
        "ends_at": utcnow() + timedelta(days=90),
        "task_list_shown": describe(SCOPE, catalogue_names(backend.catalogue)),
        "consent_method": "in_person",
        "seen_alone": True,
        "safeguarding_answers": dict(SAFEGUARDING_QUESTIONS),
    }
    values.update(changes)
    return GrantRequest(**values)  # type: ignore[arg-type]


def test_grant_act_renew_suspend_revoke(backend: LocalBackend) -> None:
    person_id = people_ops.list_person_ids().call(backend)[0]
    assert mandates_ops.acting_mandate(person_id).call(backend) is None
    outcome = mandates_ops.grant(_request(backend, person_id)).call(backend)
    assert outcome.active
    acting = mandates_ops.acting_mandate(person_id).call(backend)
    assert acting is not None and acting.id == outcome.mandate.id
    assert "Apply for a Blue Badge" in acting.task_list and "blue-badge" not in acting.task_list
    [listed] = mandates_ops.person_mandates(person_id).call(backend)
    assert listed.status == "active"
    with pytest.raises(InvalidInput, match="at most 366 days"):
        mandates_ops.renew(
            person_id, listed.id, listed.version, utcnow() + timedelta(days=400), True
        ).call(backend)
    with pytest.raises(InvalidInput, match="agree to carry on"):
        mandates_ops.renew(
            person_id, listed.id, listed.version, utcnow() + timedelta(days=300), False
        ).call(backend)
    version = mandates_ops.renew(
        person_id, listed.id, listed.version, utcnow() + timedelta(days=300), True
    ).call(backend)
    assert mandates_ops.person_mandates(person_id).call(backend)[0].ends_at > acting.ends_at
    version = mandates_ops.suspend(person_id, listed.id, version, "evidence_no_longer_valid").call(
        backend
    )
    assert mandates_ops.acting_mandate(person_id).call(backend) is None
    version = mandates_ops.lift(person_id, listed.id, version, "New evidence seen").call(backend)
    assert mandates_ops.acting_mandate(person_id).call(backend) is not None
    mandates_ops.revoke(person_id, listed.id, version, "person_withdrew").call(backend)
    assert mandates_ops.acting_mandate(person_id).call(backend) is None
    assert (
        mandates_ops.person_mandates(person_id).call(backend)[0].status_reason == "person_withdrew"
    )
    entries = mandates_ops.person_audit(person_id).call(backend)
    # Every read and management request is a decision in the audit too.
    assert any(e.action == "read.mandates" and e.outcome == "allow" for e in entries)
    actions = [e.action for e in entries if not e.action.startswith(("manage.", "read."))]
    assert actions[:5] == ["revoke", "activate", "suspend", "renew", "activate"]
    pdf = PdfReader(io.BytesIO(mandates_ops.consent_receipt_pdf(listed.id).call(backend)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "withdraw" in text and "Amira" in text and "Blue Badge" in text


def test_the_receipt_is_saved_whole_or_the_worker_is_told_why_in_words(
    backend: LocalBackend, tmp_path: Path
) -> None:
    """The receipt goes through the one safe writer, as every PDF does; a name the
    system refuses is a sentence to act on, not a crash, and leaves nothing behind."""
    person_id = people_ops.list_person_ids().call(backend)[0]
    outcome = mandates_ops.grant(_request(backend, person_id)).call(backend)
    assert outcome.mandate is not None
    folder = tmp_path / "chosen"
    folder.mkdir()
    saved = mandates_ops.save_consent_receipt(outcome.mandate.id, folder / "receipt.pdf")
    path = saved.call(backend)
    assert path.read_bytes().startswith(b"%PDF") and path.stat().st_mode & 0o077 == 0
    too_long = folder / ("r" * 300 + ".pdf")  # longer than any file system allows
    with pytest.raises(AlongsideError, match="could not be written"):
        mandates_ops.save_consent_receipt(outcome.mandate.id, too_long).call(backend)
    assert sorted(p.name for p in folder.iterdir()) == ["receipt.pdf"]


def test_a_safeguarding_concern_stops_activation(backend: LocalBackend) -> None:
    person_id = people_ops.list_person_ids().call(backend)[1]
    answers = dict(SAFEGUARDING_QUESTIONS) | {"pressured_by_anyone": True}
    outcome = mandates_ops.grant(_request(backend, person_id, safeguarding_answers=answers)).call(
        backend
    )
    assert not outcome.active
    assert "supervisor" in outcome.message
    assert outcome.mandate.status == "rejected"
    assert mandates_ops.acting_mandate(person_id).call(backend) is None


def test_a_changed_task_list_is_refused(backend: LocalBackend) -> None:
    person_id = people_ops.list_person_ids().call(backend)[0]
    with pytest.raises(InvalidInput, match="task list"):
        mandates_ops.grant(_request(backend, person_id, task_list_shown="something else")).call(
            backend
        )
    assert mandates_ops.person_mandates(person_id).call(backend) == []


def _start(backend: LocalBackend, **changes: object) -> AssistedStart:
    values: dict[str, object] = {
        "given_name": "Zephyrine",
        "family_name": "Quillfeather",
        "service_id": "blue-badge",
        "task_list_shown": mandates_ops.assisted_task_list("blue-badge").call(backend),
        "seen_alone": True,
        "safeguarding_answers": dict(SAFEGUARDING_QUESTIONS),
    }
    values.update(changes)
    return AssistedStart(**values)  # type: ignore[arg-type]


def test_an_assisted_session_wipes_the_person_from_the_file(
    backend: LocalBackend, demo_profile: OpenProfile, db_key: bytes
) -> None:
    started = mandates_ops.start_assisted_session(_start(backend)).call(backend)
    assert mandates_ops.current_assisted_session().call(backend) == started
    with pytest.raises(InvalidInput, match="already running"):
        mandates_ops.start_assisted_session(_start(backend)).call(backend)
    assert started.ends_at - started.started_at == timedelta(hours=2)
    acting = mandates_ops.acting_mandate(started.person_id).call(backend)
    assert acting is not None and acting.basis == "assisted_session"
    cases_ops.add_note(started.case_id, "Zephyrine walks with two sticks").call(backend)
    cases_ops.add_task(started.case_id, "Quillfeather photo", None).call(backend)
    draft = forms_ops.start_form(started.case_id, "blue-badge").call(backend)[0]
    forms_ops.save_form(
        draft.case_id, draft.id, draft.version, {"full-name": "Zephyrine Quillfeather"}, None
    ).call(backend)
    assert people_ops.search("Quillfeather").call(backend).hits
    demo_profile.engine.dispose()  # let the WAL reach the file, as at a real close
    database = demo_profile.paths.database
    assert contains(database, db_key, b"Quillfeather"), "the page reader finds live text"
    assert contains(database, db_key, b"quillfeather"), "and the search index's tokens"

    removed = mandates_ops.wipe_assisted_session(started.id).call(backend)
    assert removed["people"] == 1 and removed["cases"] == 1 and removed["notes"] == 1
    assert removed["form_drafts"] == 1 and removed["mandates"] == 1
    assert mandates_ops.current_assisted_session().call(backend) is None
    assert not people_ops.search("Quillfeather").call(backend).hits
    assert started.person_id not in people_ops.list_person_ids().call(backend)
    with session_factory(demo_profile.engine).begin() as session:
        assert audit.verify(session).ok
        # The wipe entry is on the chain. (This was ``assert backend.person_audit``,
        # the facade method itself, which was always true.)
        assert any(e.action == "session_wipe" for e in session.scalars(select(AuditEntry)))
    demo_profile.engine.dispose()
    assert not contains(database, db_key, b"Quillfeather")
    assert not contains(database, db_key, b"Zephyrine")
    assert not contains(database, db_key, b"quillfeather")
    assert not contains(database, db_key, b"zephyrine")


def test_keeping_needs_the_persons_agreement(backend: LocalBackend) -> None:
    started = mandates_ops.start_assisted_session(_start(backend)).call(backend)
    with pytest.raises(InvalidInput, match="agrees to open a case"):
        mandates_ops.keep_assisted_session(started.id, person_agreed_to_case=False).call(backend)
    kept = mandates_ops.keep_assisted_session(started.id, person_agreed_to_case=True).call(backend)
    assert kept.outcome == "kept"
    assert started.person_id in people_ops.list_person_ids().call(backend)
    assert (
        mandates_ops.acting_mandate(started.person_id).call(backend) is None
    )  # the session's mandate ended


def test_a_session_with_a_concern_never_starts(backend: LocalBackend) -> None:
    answers = dict(SAFEGUARDING_QUESTIONS) | {"knows_how_to_withdraw": False}
    before = len(people_ops.list_person_ids().call(backend))
    with pytest.raises(InvalidInput, match="supervisor"):
        mandates_ops.start_assisted_session(_start(backend, safeguarding_answers=answers)).call(
            backend
        )
    assert len(people_ops.list_person_ids().call(backend)) == before
    assert mandates_ops.current_assisted_session().call(backend) is None


def test_a_session_left_open_past_its_end_is_wiped_at_the_next_sign_in(
    backend: LocalBackend, demo_profile: OpenProfile
) -> None:
    started = mandates_ops.start_assisted_session(_start(backend, minutes=5)).call(backend)
    assert mandates_ops.wipe_abandoned_sessions().call(backend) == 0, "still running: left alone"
    with session_factory(demo_profile.engine, write=True).begin() as session:
        later = started.ends_at + timedelta(seconds=1)
        assert assisted.wipe_abandoned(session, now=later) == [started.id]
    assert started.person_id not in people_ops.list_person_ids().call(backend)
    with session_factory(demo_profile.engine).begin() as session:
        assert audit.verify(session).ok
        [entry] = [e for e in session.scalars(select(AuditEntry)) if e.action == "session_wipe"]
        assert entry.worker_id is None and "timed out" in entry.reason


def test_the_grant_keeps_what_happens_to_queued_work_and_passing_on(
    backend: LocalBackend, demo_profile: OpenProfile
) -> None:
    person_id = people_ops.list_person_ids().call(backend)[2]
    request = _request(backend, person_id, finish_queued=True, sub_delegation_allowed=True)
    outcome = mandates_ops.grant(request).call(backend)
    with session_factory(demo_profile.engine).begin() as session:
        mandate = session.get(Mandate, outcome.mandate.id)
        assert mandate is not None
        assert mandate.work_in_progress is WorkInProgress.FINISH_QUEUED
        assert mandate.sub_delegation_allowed
