"""The mandate facade (app.backend.mandates) and assisted sessions, on a real
encrypted profile: grant with consent, the banner's mandate, renew, suspend,
revoke, the receipt, the audit view, and a session wiped from the disk."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.backend import LocalBackend
from app.database import session_factory
from app.profile import OpenProfile
from casework.casefile import assisted
from casework.kernel.errors import InvalidInput
from casework.kernel.models import utcnow
from delegation import audit
from delegation.mandates import SAFEGUARDING_QUESTIONS
from delegation.models import AuditEntry, Mandate
from delegation.records import AssistedStart, GrantRequest, WorkInProgress
from delegation.scope import ScopeDetail, make_scope
from tests.unit.delegation.sqlcipher_pages import contains
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops

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
        "task_list_shown": backend.describe_scope(SCOPE),
        "consent_method": "in_person",
        "seen_alone": True,
        "safeguarding_answers": dict(SAFEGUARDING_QUESTIONS),
    }
    values.update(changes)
    return GrantRequest(**values)  # type: ignore[arg-type]


def test_grant_act_renew_suspend_revoke(backend: LocalBackend) -> None:
    person_id = backend.list_person_ids()[0]
    assert backend.acting_mandate(person_id) is None
    outcome = backend.grant_mandate(_request(backend, person_id))
    assert outcome.active
    acting = backend.acting_mandate(person_id)
    assert acting is not None and acting.id == outcome.mandate.id
    assert "blue-badge" in acting.task_list
    [listed] = backend.person_mandates(person_id)
    assert listed.status == "active"
    with pytest.raises(InvalidInput, match="at most 366 days"):
        backend.renew_mandate(listed.id, listed.version, utcnow() + timedelta(days=400), True)
    with pytest.raises(InvalidInput, match="agree to carry on"):
        backend.renew_mandate(listed.id, listed.version, utcnow() + timedelta(days=300), False)
    version = backend.renew_mandate(listed.id, listed.version, utcnow() + timedelta(days=300), True)
    assert backend.person_mandates(person_id)[0].ends_at > acting.ends_at
    version = backend.suspend_mandate(listed.id, version, "safeguarding_concern")
    assert backend.acting_mandate(person_id) is None
    version = backend.activate_mandate(listed.id, version)
    assert backend.acting_mandate(person_id) is not None
    backend.revoke_mandate(listed.id, version, "person_withdrew")
    assert backend.acting_mandate(person_id) is None
    assert backend.person_mandates(person_id)[0].status_reason == "person_withdrew"
    actions = [entry.action for entry in backend.person_audit(person_id)]
    assert actions[:5] == ["revoke", "activate", "suspend", "renew", "activate"]
    pdf = PdfReader(io.BytesIO(backend.consent_receipt_pdf(listed.id)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "withdraw" in text and "Amira" in text and "Blue Badge" in text


def test_a_safeguarding_concern_stops_activation(backend: LocalBackend) -> None:
    person_id = backend.list_person_ids()[1]
    answers = dict(SAFEGUARDING_QUESTIONS) | {"pressured_by_anyone": True}
    outcome = backend.grant_mandate(_request(backend, person_id, safeguarding_answers=answers))
    assert not outcome.active
    assert "supervisor" in outcome.message
    assert outcome.mandate.status == "rejected"
    assert backend.acting_mandate(person_id) is None


def test_a_changed_task_list_is_refused(backend: LocalBackend) -> None:
    person_id = backend.list_person_ids()[0]
    with pytest.raises(InvalidInput, match="task list"):
        backend.grant_mandate(_request(backend, person_id, task_list_shown="something else"))
    assert backend.person_mandates(person_id) == []


def _start(backend: LocalBackend, **changes: object) -> AssistedStart:
    values: dict[str, object] = {
        "given_name": "Zephyrine",
        "family_name": "Quillfeather",
        "service_id": "blue-badge",
        "task_list_shown": backend.assisted_task_list("blue-badge"),
        "seen_alone": True,
        "safeguarding_answers": dict(SAFEGUARDING_QUESTIONS),
    }
    values.update(changes)
    return AssistedStart(**values)  # type: ignore[arg-type]


def test_an_assisted_session_wipes_the_person_from_the_file(
    backend: LocalBackend, demo_profile: OpenProfile, db_key: bytes
) -> None:
    started = backend.start_assisted_session(_start(backend))
    assert backend.current_assisted_session() == started
    with pytest.raises(InvalidInput, match="already running"):
        backend.start_assisted_session(_start(backend))
    assert started.ends_at - started.started_at == timedelta(hours=2)
    acting = backend.acting_mandate(started.person_id)
    assert acting is not None and acting.basis == "assisted_session"
    cases_ops.add_note(started.case_id, "Zephyrine walks with two sticks").call(backend)
    backend.add_task(started.case_id, "Quillfeather photo", None)
    draft = forms_ops.start_form(started.case_id, "blue-badge").call(backend)[0]
    forms_ops.save_form(
        draft.case_id, draft.id, draft.version, {"full-name": "Zephyrine Quillfeather"}, None
    ).call(backend)
    assert backend.search("Quillfeather").hits
    demo_profile.engine.dispose()  # let the WAL reach the file, as at a real close
    database = demo_profile.paths.database
    assert contains(database, db_key, b"Quillfeather"), "the page reader finds live text"
    assert contains(database, db_key, b"quillfeather"), "and the search index's tokens"

    removed = backend.wipe_assisted_session(started.id)
    assert removed["people"] == 1 and removed["cases"] == 1 and removed["notes"] == 1
    assert removed["form_drafts"] == 1 and removed["mandates"] == 1
    assert backend.current_assisted_session() is None
    assert not backend.search("Quillfeather").hits
    assert started.person_id not in backend.list_person_ids()
    with session_factory(demo_profile.engine).begin() as session:
        assert audit.verify(session).ok
    assert backend.person_audit  # the wipe entry is on the chain
    demo_profile.engine.dispose()
    assert not contains(database, db_key, b"Quillfeather")
    assert not contains(database, db_key, b"Zephyrine")
    assert not contains(database, db_key, b"quillfeather")
    assert not contains(database, db_key, b"zephyrine")


def test_keeping_needs_the_persons_agreement(backend: LocalBackend) -> None:
    started = backend.start_assisted_session(_start(backend))
    with pytest.raises(InvalidInput, match="agrees to open a case"):
        backend.keep_assisted_session(started.id, person_agreed_to_case=False)
    kept = backend.keep_assisted_session(started.id, person_agreed_to_case=True)
    assert kept.outcome == "kept"
    assert started.person_id in backend.list_person_ids()
    assert backend.acting_mandate(started.person_id) is None  # the session's mandate ended


def test_a_session_with_a_concern_never_starts(backend: LocalBackend) -> None:
    answers = dict(SAFEGUARDING_QUESTIONS) | {"knows_how_to_withdraw": False}
    before = len(backend.list_person_ids())
    with pytest.raises(InvalidInput, match="supervisor"):
        backend.start_assisted_session(_start(backend, safeguarding_answers=answers))
    assert len(backend.list_person_ids()) == before
    assert backend.current_assisted_session() is None


def test_a_session_left_open_past_its_end_is_wiped_at_the_next_sign_in(
    backend: LocalBackend, demo_profile: OpenProfile
) -> None:
    started = backend.start_assisted_session(_start(backend, minutes=5))
    assert backend.wipe_abandoned_sessions() == 0, "still running: left alone"
    with session_factory(demo_profile.engine, write=True).begin() as session:
        later = started.ends_at + timedelta(seconds=1)
        assert assisted.wipe_abandoned(session, now=later) == [started.id]
    assert started.person_id not in backend.list_person_ids()
    with session_factory(demo_profile.engine).begin() as session:
        assert audit.verify(session).ok
        [entry] = [e for e in session.scalars(select(AuditEntry)) if e.action == "session_wipe"]
        assert entry.worker_id is None and "timed out" in entry.reason


def test_the_grant_keeps_what_happens_to_queued_work_and_passing_on(
    backend: LocalBackend, demo_profile: OpenProfile
) -> None:
    person_id = backend.list_person_ids()[2]
    request = _request(backend, person_id, finish_queued=True, sub_delegation_allowed=True)
    outcome = backend.grant_mandate(request)
    with session_factory(demo_profile.engine).begin() as session:
        mandate = session.get(Mandate, outcome.mandate.id)
        assert mandate is not None
        assert mandate.work_in_progress is WorkInProgress.FINISH_QUEUED
        assert mandate.sub_delegation_allowed
