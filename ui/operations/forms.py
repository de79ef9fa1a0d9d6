"""A service form: starting or opening a draft with its definition, saving
answers, submitting, and what is already known about the person.

Each operation names its core action (``casework.forms``). Those that need
the catalogue of definitions read it in the worker (``op.with_catalogue``): its
first use reads every definition file, which the window must not wait for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TypeVar

from casework.entitlements import actions as sent
from casework.forms import actions, drafts
from casework.forms.definitions import Catalogue, Service
from casework.forms.routes import Route, RouteSettings
from casework.kernel.action import act
from casework.kernel.records import DraftRecord, KnownAnswer, ProfileDifference, SubmissionRecord
from casework.paper.form_routes import PAPER
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


def form_routes(draft_id: int) -> Op[list[Route]]:
    """The ways the draft can go, in words, each open or closed with the reason."""
    return _with_routes(
        lambda catalogue, settings: audited(
            act(actions.form_routes, catalogue, draft_id, settings=settings, paper=PAPER)
        )
    )


def submit_form(
    case_id: int, draft_id: int, version: int, route: str | None = None
) -> Op[SubmissionRecord]:
    """Send by ``route`` (default: the first open one) and queue its one delivery.

    Raises InvalidInput (fields "page/question", or "route") if it cannot go."""
    return _with_routes(
        lambda catalogue, settings: writes(
            act(
                sent.submit_form,  # the form, with the next claims suggested
                catalogue,
                draft_id,
                version,
                route,
                settings=settings,
                paper=PAPER,
            ),
            Changes(case_ids=ids(case_id), outbox=True),
        )
    )


def _with_routes(build: Callable[[Catalogue, RouteSettings], Op[T]]) -> Op[T]:
    """The operation ``build`` makes with the definitions and the route
    settings, both read in its worker (as ``op.with_catalogue`` does)."""
    return with_catalogue(
        lambda catalogue: replace(
            build(catalogue, RouteSettings()),
            call=lambda b: build(catalogue, b.route_settings).call(b),
        )
    )
