"""The delegated-access facade (``AccessActions``) over a real profile:
work sent under a mandate carries it to the outbox, revoking stops it,
refusals are kept in the audit chain, and the reports come out as PDFs."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.backend import LocalBackend
from app.database import session_factory
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from casework.kernel.errors import AccessRefused
from casework.kernel.models import utcnow
from delegation import mandates
from delegation.models import AuditEntry
from delegation.records import ConsentMethod
from delegation.scope import ScopeDetail, make_scope
from delegation.scope_words import describe
from offline_sync.models import OutboxItem
from offline_sync.records import OutboxState
from tests.unit.casework.forms.sample_service import sample_bytes
from tests.unit.casework.forms.test_drafts import COMPLETE
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import mandates as mandates_ops
from ui.operations import paper as paper_ops
from ui.operations import people as people_ops

EVERYTHING = ("identity", "contact", "address", "financial", "household", "health", "other")


@pytest.fixture
def services_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "services"
    folder.mkdir()
    (folder / "sample-service.json").write_bytes(sample_bytes())
    return folder


def _backend(profile: OpenProfile, services_dir: Path, who: str) -> LocalBackend:
    backend = LocalBackend(profile, services_dir=services_dir)
    backend.sign_in(who, DEMO_PASSWORD)
    return backend


def _grant(profile: OpenProfile, amira: LocalBackend, sam: LocalBackend, person_id: int,
           days: int = 30) -> int:  # fmt: skip
    scope = make_scope(
        [ScopeDetail(service_id="sample-service", actions={"view", "draft", "submit", "print"},
                     categories=EVERYTHING)]
    )  # fmt: skip
    assert amira.current_actor and sam.current_actor
    with session_factory(profile.engine, write=True).begin() as session:
        mandate = mandates.grant(
            session, amira.current_actor, person_id=person_id, basis=mandates.Basis.CONSENT,
            scope=scope, ends_at=utcnow() + timedelta(days=days),
            grantee_worker_id=sam.current_actor.worker_id,
        )  # fmt: skip
        mandates.record_consent(
            session, amira.current_actor, mandate.id, method=ConsentMethod.IN_PERSON,
            task_list_shown=describe(scope), seen_alone=True,
            safeguarding_answers=dict(mandates.SAFEGUARDING_QUESTIONS),
        )  # fmt: skip
        mandates.activate(session, amira.current_actor, mandate.id)
        return mandate.id


def test_sent_under_a_mandate_then_revoked_the_queued_item_is_cancelled(
    demo_profile: OpenProfile, services_dir: Path
) -> None:
    amira = _backend(demo_profile, services_dir, "amira")
    sam = _backend(demo_profile, services_dir, "sam")
    person_id = next(
        p
        for p in people_ops.list_person_ids().call(amira)
        if p not in people_ops.list_person_ids().call(sam)
    )
    case_id = cases_ops.open_case(person_id, "sample-service", "Sample").call(amira)
    mandate_id = _grant(demo_profile, amira, sam, person_id)
    assert [e.mandate_id for e in mandates_ops.ending_soon().call(sam)] == [mandate_id]
    draft = forms_ops.start_form(case_id, "sample-service").call(sam)[0]
    version = forms_ops.save_form(draft.case_id, draft.id, draft.version, COMPLETE, None).call(sam)
    record = forms_ops.submit_form(draft.case_id, draft.id, version).call(sam)
    with session_factory(demo_profile.engine).begin() as session:
        item = session.scalars(
            select(OutboxItem).where(OutboxItem.connector == "submission_api")
        ).one()  # (its fee goes as an item of its own)
        assert (item.mandate_id, item.state) == (mandate_id, OutboxState.QUEUED)
    assert record.mandate_id == mandate_id
    # A second draft, in progress when the person withdraws.
    second = forms_ops.start_form(case_id, "sample-service").call(sam)[0]
    forms_ops.save_form(
        second.case_id, second.id, second.version, {"given-name": "Nia"}, None
    ).call(sam)
    listed = next(
        m for m in mandates_ops.person_mandates(person_id).call(amira) if m.id == mandate_id
    )
    mandates_ops.revoke(person_id, mandate_id, listed.version, "person_withdrew").call(amira)
    with session_factory(demo_profile.engine).begin() as session:
        assert session.get(OutboxItem, item.id).state is OutboxState.CANCELLED  # type: ignore[union-attr]
    frozen = next(d for d in cases_ops.case_forms(case_id).call(amira)[0] if d.id == second.id)
    assert frozen.frozen and frozen.answers == {"given-name": "Nia"}
    pdf = paper_ops.draft_pdf(second.id).call(amira)
    assert "Nia" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    with pytest.raises(AccessRefused):
        cases_ops.case_detail(case_id).call(sam)


def test_a_refusal_through_the_facade_stays_in_the_audit_chain(
    demo_profile: OpenProfile, services_dir: Path
) -> None:
    amira = _backend(demo_profile, services_dir, "amira")
    sam = _backend(demo_profile, services_dir, "sam")
    person_id = next(
        p
        for p in people_ops.list_person_ids().call(amira)
        if p not in people_ops.list_person_ids().call(sam)
    )

    def refusals() -> int:
        with session_factory(demo_profile.engine).begin() as session:
            return (
                session.scalar(
                    select(func.count()).where(
                        AuditEntry.outcome == "refuse", AuditEntry.person_id == person_id
                    )
                )
                or 0
            )

    before = refusals()
    with pytest.raises(AccessRefused):
        people_ops.person_detail(person_id).call(sam)
    assert refusals() == before + 1


def test_the_report_and_the_sweep_through_the_facade(
    demo_profile: OpenProfile, services_dir: Path
) -> None:
    amira = _backend(demo_profile, services_dir, "amira")
    sam = _backend(demo_profile, services_dir, "sam")
    person_id = next(
        p
        for p in people_ops.list_person_ids().call(amira)
        if p not in people_ops.list_person_ids().call(sam)
    )
    _grant(demo_profile, amira, sam, person_id)
    people_ops.person_detail(person_id).call(sam)
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(paper_ops.acted_for_report(person_id).call(amira))).pages
    )
    assert "Sam Okafor" in text and "Looked at your information" in text
    effects = amira.sweep_mandates()
    assert effects.lapsed == () and effects.expired == ()
