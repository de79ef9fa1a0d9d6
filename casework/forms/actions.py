"""The form engine's user actions that need the catalogue of definitions.

Each is ``f(session, actor, catalogue, ...)``, one transaction, as the window
names it in ``ui.operations.forms``: the draft's service is found in the
``Catalogue`` (a missing or damaged definition is ``NotFound`` with words a
worker can act on), then ``drafts`` does the work. Sending a form queues its
GOV.UK Forms body in the outbox in the same transaction: sent and queued
together, or neither.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from casework.forms import drafts, fees, payload
from casework.forms.definitions import Catalogue, Service
from casework.kernel.errors import NotFound
from casework.kernel.i18n import _, current_language
from casework.kernel.records import (
    Actor,
    DraftRecord,
    KnownAnswer,
    ProfileDifference,
    SubmissionRecord,
)
from casework.kernel.validators import require_text
from offline_sync import outbox


def service_for(catalogue: Catalogue, service_id: str) -> Service:
    """The definition of ``service_id``; ``NotFound`` when it is missing or damaged."""
    service = catalogue.get(service_id)
    if service is None:
        raise NotFound(
            _(
                "The form for '{id}' cannot be opened: its definition is missing or "
                "damaged. Your answers so far are kept; ask your administrator."
            ).format(id=service_id)
        )
    return service


def draft_service(session: Session, actor: Actor, catalogue: Catalogue, draft_id: int) -> Service:
    """The definition of a draft's service (reading the draft is a view decision)."""
    return service_for(catalogue, drafts.draft_record(session, actor, draft_id).service_id)


def titles(catalogue: Catalogue, language: str) -> dict[str, str]:
    """Each service's title in ``language``, by service id."""
    return {s.id: s.text("title", language) for s in catalogue.services}


def start_form(
    session: Session, actor: Actor, catalogue: Catalogue, case_id: int, service_id: str
) -> DraftRecord:
    """A new draft of ``service_id`` on the case, on its first page."""
    service = service_for(catalogue, service_id)
    draft_id = drafts.start_draft(session, actor, case_id, service)
    return drafts.draft_record(session, actor, draft_id, catalogue.get)


def submit_form(
    session: Session, actor: Actor, catalogue: Catalogue, draft_id: int, expected_version: int
) -> SubmissionRecord:
    """Send the draft, and queue it for the platform when its service takes
    submissions by API."""
    service = draft_service(session, actor, catalogue, draft_id)
    record = drafts.submit_draft(session, actor, draft_id, expected_version, service)
    if "submission_api" in service.channels:
        outbox.enqueue(
            session,
            "submission_api",
            payload.forms_submission(service, record.answers, record.uuid, record.submitted_at),
            case_id=record.case_id,
            idempotency_key=record.uuid,
            mandate_id=record.mandate_id,
            mandate_version=record.mandate_version,
        )
    fees.queue_fee(session, actor, service, record)
    return record


def profile_differences(
    session: Session,
    actor: Actor,
    catalogue: Catalogue,
    draft_id: int,
    answers: Mapping[str, object],
) -> list[ProfileDifference]:
    """Answers (as on screen) that differ from the person's record, in the
    worker's language."""
    require_text({str(k): (k, v) for k, v in answers.items()})
    service = draft_service(session, actor, catalogue, draft_id)
    return drafts.profile_differences(
        session, actor, draft_id, service, current_language(), answers
    )


def update_record_from_form(
    session: Session, actor: Actor, catalogue: Catalogue, draft_id: int
) -> int:
    """Copy the form's person facts to the record (once the worker has confirmed)."""
    service = draft_service(session, actor, catalogue, draft_id)
    return drafts.apply_to_profile(session, actor, draft_id, service)


def known_answers(
    session: Session, actor: Actor, catalogue: Catalogue, case_id: int, service_id: str
) -> dict[str, KnownAnswer]:
    """Facts already known for the case's person, to offer, each saying which
    form (by its title in the worker's language) or record it came from."""
    service = service_for(catalogue, service_id)
    return drafts.known_answers(
        session, actor, case_id, service, titles=titles(catalogue, current_language())
    )
