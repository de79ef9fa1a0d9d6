"""A service form: starting or opening a draft with its definition, saving
answers, submitting, and what is already known about the person."""

from __future__ import annotations

from collections.abc import Mapping

from casework.forms.definitions import Service
from casework.kernel.records import DraftRecord, KnownAnswer, ProfileDifference, SubmissionRecord
from ui.backend import Backend
from ui.operations.op import Changes, Op, audited_read, ids, write

DraftWithService = tuple[DraftRecord, Service | None]


def _with_service(b: Backend, draft: DraftRecord) -> DraftWithService:
    """The draft with its definition (None if it is damaged)."""
    return draft, b.catalogue.get(draft.service_id)


def start_form(case_id: int, service_id: str) -> Op[DraftWithService]:
    return write(
        lambda b: _with_service(b, b.start_form(case_id, service_id)),
        Changes(case_ids=ids(case_id)),
    )


def open_form(draft_id: int) -> Op[DraftWithService]:
    return audited_read(lambda b: _with_service(b, b.form_draft(draft_id)))


def form_draft(draft_id: int) -> Op[DraftRecord]:
    return audited_read(lambda b: b.form_draft(draft_id))


def known_answers(case_id: int, service_id: str) -> Op[dict[str, KnownAnswer]]:
    return audited_read(lambda b: b.known_answers(case_id, service_id))


def profile_differences(
    draft_id: int, on_screen: Mapping[str, object]
) -> Op[list[ProfileDifference]]:
    return audited_read(lambda b: b.profile_differences(draft_id, on_screen))


def save_form(
    case_id: int, draft_id: int, version: int, data: Mapping[str, object], page: str | None
) -> Op[int]:
    return write(
        lambda b: b.save_form(draft_id, version, data, page), Changes(case_ids=ids(case_id))
    )


def update_record_from_form(person_id: int, draft_id: int) -> Op[int]:
    return write(
        lambda b: b.update_record_from_form(draft_id),
        Changes(people=True, person_ids=ids(person_id)),
    )


def submit_form(case_id: int, draft_id: int, version: int) -> Op[SubmissionRecord]:
    return write(
        lambda b: b.submit_form(draft_id, version), Changes(case_ids=ids(case_id), outbox=True)
    )
