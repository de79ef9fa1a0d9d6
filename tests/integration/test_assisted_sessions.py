"""An assisted session kept and wiped on both backends (SQLCipher and
PostgreSQL): the wipe follows the foreign keys and the audit chain holds."""

from __future__ import annotations

from sqlalchemy import func, select

from app.database import session_factory
from app.profile import OpenProfile
from casework.kernel.models import Case, Note, Person
from delegation import audit
from delegation.mandates import SAFEGUARDING_QUESTIONS
from delegation.models import Mandate
from delegation.records import AssistedStart
from tests.integration.test_postgres import shared, signed_in
from ui.operations import cases as cases_ops
from ui.operations import forms as forms_ops
from ui.operations import mandates as mandates_ops
from ui.operations import people as people_ops

__all__ = ["shared"]


def test_a_session_is_wiped_on_either_backend(shared: OpenProfile) -> None:
    backend = signed_in(shared)
    start = AssistedStart(
        given_name="Ottoline",
        family_name="Brackenbury",
        service_id="blue-badge",
        task_list_shown=mandates_ops.assisted_task_list("blue-badge").call(backend),
        seen_alone=True,
        safeguarding_answers=dict(SAFEGUARDING_QUESTIONS),
    )
    kept = mandates_ops.start_assisted_session(start).call(backend)
    mandates_ops.keep_assisted_session(kept.id, person_agreed_to_case=True).call(backend)
    wiped = mandates_ops.start_assisted_session(start).call(backend)
    cases_ops.add_note(wiped.case_id, "Brackenbury needs a ramp").call(backend)
    draft = forms_ops.start_form(wiped.case_id, "blue-badge").call(backend)[0]
    forms_ops.save_form(
        draft.case_id, draft.id, draft.version, {"full-name": "Ottoline Brackenbury"}, None
    ).call(backend)
    rows = mandates_ops.wipe_assisted_session(wiped.id).call(backend)
    assert rows["people"] == 1 and rows["notes"] == 1 and rows["form_drafts"] == 1
    with session_factory(shared.engine).begin() as session:
        assert session.get(Person, wiped.person_id) is None
        assert session.get(Person, kept.person_id) is not None, "the kept one stays"
        assert session.scalar(select(func.count()).select_from(Case).where(
            Case.person_id == wiped.person_id)) == 0  # fmt: skip
        assert session.scalar(select(func.count()).select_from(Note)) == 0
        assert (
            session.scalar(
                select(func.count()).select_from(Mandate).where(Mandate.person_id == kept.person_id)
            )
            == 1
        )
        assert audit.verify(session).ok
    assert [h.person_id for h in people_ops.search("Brackenbury").call(backend).hits] == [
        kept.person_id
    ]
