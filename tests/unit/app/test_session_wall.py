"""The assisted-session wall in the domain: while a walk-in person exists only
through a session, nobody's caseload holds them (list, search, record), and
the worker running the session reaches nothing but that person's one
service. Every refusal is in the audit chain. Real SQLCipher profile."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.backend import LocalBackend
from app.database import session_factory
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from casework.kernel.errors import AccessRefused
from delegation import audit
from delegation.mandates import SAFEGUARDING_QUESTIONS
from delegation.models import AuditEntry
from delegation.records import AssistedStart, SessionRecord
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import mandates as mandates_ops
from ui.operations import people as people_ops


def _as(profile: OpenProfile, who: str) -> LocalBackend:
    backend = LocalBackend(profile)
    backend.sign_in(who, DEMO_PASSWORD)
    return backend


def _start(backend: LocalBackend) -> SessionRecord:
    return mandates_ops.start_assisted_session(
        AssistedStart(
            given_name="Ottoline",
            family_name="Brackenbury",
            service_id="blue-badge",
            task_list_shown=mandates_ops.assisted_task_list("blue-badge").call(backend),
            seen_alone=True,
            safeguarding_answers=dict(SAFEGUARDING_QUESTIONS),
        )
    ).call(backend)


def _last_refusal(profile: OpenProfile) -> AuditEntry:
    with session_factory(profile.engine).begin() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.outcome == "refuse").order_by(AuditEntry.seq.desc())
        ).first()
        assert entry is not None
        session.expunge(entry)
        return entry


def test_a_person_only_in_a_session_is_in_nobodys_caseload(demo_profile: OpenProfile) -> None:
    amira, tom = _as(demo_profile, "amira"), _as(demo_profile, "tom")  # the same team
    running = _start(amira)
    # Tom, in the same team, cannot find them by any door.
    assert running.person_id not in people_ops.list_person_ids().call(tom)
    assert people_ops.search("Brackenbury").call(tom).hits == ()
    with pytest.raises(AccessRefused):
        people_ops.person_detail(running.person_id).call(tom)
    with pytest.raises(AccessRefused):
        cases_ops.case_detail(running.case_id).call(tom)
    refusal = _last_refusal(demo_profile)
    assert (refusal.worker_id, refusal.person_id) == (
        tom.current_actor.worker_id,
        running.person_id,
    )  # type: ignore[union-attr]
    assert all(r.case_id != running.case_id for r in cases_ops.my_cases().call(tom))

    # Amira reaches them only through the session's mandate: its one service.
    draft = forms_ops.start_form(running.case_id, "blue-badge").call(amira)[0]
    forms_ops.save_form(
        draft.case_id, draft.id, draft.version, {"given-name": "Ottoline"}, None
    ).call(amira)
    # A new case for another service is outside the session.
    other = cases_ops.open_case(running.person_id, "pension-credit", "Pension Credit")
    with pytest.raises(AccessRefused):
        other.call(amira)

    # Kept (the person agreed to a case): now in the team's caseload like anyone.
    mandates_ops.keep_assisted_session(running.id, person_agreed_to_case=True).call(amira)
    assert running.person_id in people_ops.list_person_ids().call(tom)
    assert [h.person_id for h in people_ops.search("Brackenbury").call(tom).hits] == [
        running.person_id
    ]
    assert people_ops.person_detail(running.person_id).call(tom).family_name == "Brackenbury"
    with session_factory(demo_profile.engine).begin() as session:
        assert audit.verify(session).ok


def test_during_a_session_the_worker_reaches_nothing_else(demo_profile: OpenProfile) -> None:
    amira = _as(demo_profile, "amira")
    someone = people_ops.list_person_ids().call(amira)[0]
    assert people_ops.person_detail(someone).call(amira).id == someone
    running = _start(amira)
    assert people_ops.list_person_ids().call(amira) == [running.person_id]
    # Search finds the session's person by name, and nobody else at all.
    assert {h.person_id for h in people_ops.search("a").call(amira).hits} <= {running.person_id}
    assert [h.person_id for h in people_ops.search("Brackenbury").call(amira).hits] == [
        running.person_id
    ]
    with pytest.raises(AccessRefused, match="assisted session"):
        people_ops.person_detail(someone).call(amira)
    refusal = _last_refusal(demo_profile)
    assert refusal.person_id == someone and "assisted session" in refusal.reason
    # After the session (wiped here), the rest of the caseload is back.
    mandates_ops.wipe_assisted_session(running.id).call(amira)
    assert people_ops.person_detail(someone).call(amira).id == someone
    assert someone in people_ops.list_person_ids().call(amira)
