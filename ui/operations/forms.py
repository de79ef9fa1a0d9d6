"""A service form: starting or opening a draft with its definition, saving
answers, submitting, and what is already known about the person.

Each operation names its core action (``casework.forms``). Those that need
the catalogue of definitions read it in the worker (``op.with_catalogue``): its
first use reads every definition file, which the window must not wait for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from casework.forms import actions, drafts
from casework.forms.definitions import Service
from casework.kernel.action import act
from casework.kernel.records import DraftRecord, KnownAnswer, ProfileDifference, SubmissionRecord
from ui.operations.op import Changes, Op, audited, ids, with_catalogue, writes

T = TypeVar("T")
DraftWithService = tuple[DraftRecord, Service | None]


def start_form(case_id: int, service_id: str) -> Op[DraftWithService]:
    return with_catalogue(
        lambda catalogue: writes(
            act(actions.start_form, catalogue, case_id, service_id), Changes(case_ids=ids(case_id))
        ).then(lambda draft: (draft, catalogue.get(draft.service_id)))
    )


def open_form(draft_id: int) -> Op[DraftWithService]:
    """The draft with its definition (None if it is damaged)."""
    return with_catalogue(
        lambda catalogue: audited(act(drafts.draft_record, draft_id, catalogue.get)).then(
            lambda draft: (draft, catalogue.get(draft.service_id))
        )
    )


def form_draft(draft_id: int) -> Op[DraftRecord]:
    return with_catalogue(
        lambda catalogue: audited(act(drafts.draft_record, draft_id, catalogue.get))
    )


def known_answers(case_id: int, service_id: str) -> Op[dict[str, KnownAnswer]]:
    return with_catalogue(
        lambda catalogue: audited(act(actions.known_answers, catalogue, case_id, service_id))
    )


def profile_differences(
    draft_id: int, on_screen: Mapping[str, object]
) -> Op[list[ProfileDifference]]:
    return with_catalogue(
        lambda catalogue: audited(act(actions.profile_differences, catalogue, draft_id, on_screen))
    )


def save_form(
    case_id: int, draft_id: int, version: int, data: Mapping[str, object], page: str | None
) -> Op[int]:
    """Autosave: every answer so far; answers the new version."""
    return with_catalogue(
        lambda catalogue: writes(
            act(drafts.save_draft, draft_id, version, data, page, services=catalogue.get),
            Changes(case_ids=ids(case_id)),
        )
    )


def update_record_from_form(person_id: int, draft_id: int) -> Op[int]:
    return with_catalogue(
        lambda catalogue: writes(
            act(actions.update_record_from_form, catalogue, draft_id),
            Changes(people=True, person_ids=ids(person_id)),
        )
    )


def submit_form(case_id: int, draft_id: int, version: int) -> Op[SubmissionRecord]:
    """Raises InvalidInput (fields "page/question") if anything is missing."""
    return with_catalogue(
        lambda catalogue: writes(
            act(actions.submit_form, catalogue, draft_id, version),
            Changes(case_ids=ids(case_id), outbox=True),
        )
    )
