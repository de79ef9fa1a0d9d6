"""Mandates: the grant, passing part of one on, reviews, renewing,
suspending, revoking and starting one again, the banner's acting mandate,
the ending-soon list, the audit, the consent receipt, and the assisted
session at a public terminal."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TypeVar

from casework.casefile import assisted
from casework.forms import actions, mandate_names, mandate_services
from casework.forms.definitions import Service
from casework.kernel.action import act
from casework.kernel.records import DraftRecord
from casework.paper import consent_receipt
from delegation import mandate_actions, reminders, review
from delegation.records import (
    AssistedStart,
    AuditRecord,
    EndingSoon,
    GrantChoices,
    GrantOutcome,
    GrantRequest,
    MandateRecord,
    PassOnChoices,
    PassOnRequest,
    SessionRecord,
)
from delegation.scope import Scope
from offline_sync import revocation
from ui.backend import Backend
from ui.operations import paper
from ui.operations.op import (
    NOTHING,
    Changes,
    Op,
    audited,
    audited_read,
    ids,
    reads,
    with_catalogue,
    write,
    writes,
)

T = TypeVar("T")

# The assisted session adds (and may wipe) a person, their case and mandate.
SESSION = Changes(people=True, mandates=True)


def _person(person_id: int) -> Changes:
    return Changes(person_ids=ids(person_id), mandates=True)


def wipe_abandoned_sessions() -> Op[int]:
    return writes(act(assisted.wipe_left_open), lambda n: SESSION if n else NOTHING)


def ending_soon() -> Op[list[EndingSoon]]:
    return reads(act(reminders.mandates_ending_soon))


def person_mandates(person_id: int) -> Op[list[MandateRecord]]:
    return with_catalogue(lambda c: audited(act(mandate_names.person_mandates, c, person_id)))


def person_audit(person_id: int) -> Op[list[AuditRecord]]:
    return with_catalogue(lambda c: audited(act(mandate_names.person_audit, c, person_id)))


def mandates_and_audit(person_id: int) -> Op[tuple[list[MandateRecord], list[AuditRecord]]]:
    mandates, audit = person_mandates(person_id), person_audit(person_id)
    return audited_read(lambda b: (mandates.call(b), audit.call(b)))


def acting_mandate(person_id: int) -> Op[MandateRecord | None]:
    return with_catalogue(lambda c: audited(act(mandate_names.acting_mandate, c, person_id)))


def grant_choices() -> Op[GrantChoices]:
    """The services a scope can name, me and my team, the supervisors who may
    approve an emergency mandate, and the longest each basis may run."""
    return with_catalogue(lambda c: reads(act(mandate_services.grant_choices, c)))


def grant(request: GrantRequest) -> Op[GrantOutcome]:
    return with_catalogue(
        lambda c: writes(act(mandate_names.grant_mandate, c, request), _person(request.person_id))
    )


def pass_on_choices(mandate_id: int) -> Op[PassOnChoices]:
    """The mandate's services and cases by title, and the colleagues to pass it to."""
    return with_catalogue(lambda c: audited(act(mandate_services.pass_on_choices, c, mandate_id)))


def pass_on(person_id: int, request: PassOnRequest) -> Op[GrantOutcome]:
    return writes(act(mandate_actions.pass_on_mandate, request), _person(person_id))


def reviews_due() -> Op[list[MandateRecord]]:
    return reads(act(review.reviews_due))


def record_review(
    person_id: int,
    mandate_id: int,
    version: int,
    outcome: str,
    next_review_at: datetime | None = None,
    scope: Scope | None = None,
) -> Op[int]:
    """Kept (a new review date), narrowed (less, and a new review date) or ended."""
    return writes(
        act(revocation.review_mandate, mandate_id, version, outcome, next_review_at, scope),
        _person(person_id),
    )


def renew(
    person_id: int, mandate_id: int, version: int, ends_at: datetime, agreed: bool
) -> Op[int]:
    return writes(
        act(mandate_actions.renew_mandate, mandate_id, version, ends_at, agreed),
        _person(person_id),
    )


def suspend(person_id: int, mandate_id: int, version: int, code: str) -> Op[int]:
    return writes(
        act(mandate_actions.suspend_mandate, mandate_id, version, code), _person(person_id)
    )


def revoke(person_id: int, mandate_id: int, version: int, code: str) -> Op[int]:
    return writes(act(revocation.revoke_mandate, mandate_id, version, code), _person(person_id))


def lift(person_id: int, mandate_id: int, version: int, reason: str) -> Op[int]:
    return writes(
        act(mandate_actions.lift_mandate, mandate_id, version, reason), _person(person_id)
    )


def consent_receipt_pdf(mandate_id: int) -> Op[bytes]:
    return with_catalogue(
        lambda c: audited(act(consent_receipt.consent_receipt_pdf, c, mandate_id))
    )


def save_consent_receipt(mandate_id: int, path: Path) -> Op[Path]:
    """The receipt written to ``path``, all of it or nothing (as every PDF is)."""
    return paper.save_pdf(consent_receipt_pdf(mandate_id), path)


def assisted_task_list(service_id: str, language: str | None = None) -> Op[str]:
    """The session's task list in ``language`` (the worker's when None)."""
    return with_catalogue(
        lambda c: reads(act(mandate_services.assisted_task_list, c, service_id, language))
    )


def start_assisted_session(start: AssistedStart) -> Op[SessionRecord]:
    """The session alone: its person, case, mandate and consent."""
    return with_catalogue(
        lambda c: writes(act(mandate_services.start_assisted_session, c, start), SESSION)
    )


def start_assisted_session_with_form(
    start: AssistedStart,
) -> Op[tuple[SessionRecord, DraftRecord, Service | None]]:
    """The session, its form's first draft and the form's definition (the kiosk)."""
    session = start_assisted_session(start)

    def begin(b: Backend) -> tuple[SessionRecord, DraftRecord, Service | None]:
        record = session.call(b)
        catalogue = b.catalogue
        first_draft = act(actions.start_form, catalogue, record.case_id, record.service_id)
        draft = b.perform(first_draft, write=True)
        return record, draft, catalogue.get(record.service_id)

    return write(begin, SESSION)


def current_assisted_session() -> Op[SessionRecord | None]:
    return reads(act(assisted.current))


def keep_assisted_session(session_id: int, *, person_agreed_to_case: bool) -> Op[SessionRecord]:
    return writes(
        act(assisted.keep, session_id, person_agreed_to_case=person_agreed_to_case), SESSION
    )


def wipe_assisted_session(session_id: int, *, timed_out: bool = False) -> Op[dict[str, int]]:
    """Everything about the session's person deleted; rows removed per table."""
    wipe = writes(act(assisted.wipe, session_id, timed_out=timed_out), SESSION)
    return wipe.then(lambda report: dict(report.rows))
