"""Mandates: the grant, renewing, suspending, revoking and starting one again,
the banner's acting mandate, the ending-soon list, the audit, the consent
receipt, and the assisted session at a public terminal."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from casework.forms import actions
from casework.forms.definitions import Service
from casework.kernel.action import act
from casework.kernel.records import DraftRecord
from delegation import reminders
from delegation.records import (
    AssistedStart,
    AuditRecord,
    EndingSoon,
    Grantee,
    GrantOutcome,
    GrantRequest,
    MandateRecord,
    ScopeChoice,
    SessionRecord,
)
from ui.backend import Backend
from ui.operations.op import NOTHING, Changes, Op, ids, query, reads, write

# The assisted session adds (and may wipe) a person, their case and mandate.
SESSION = Changes(people=True, mandates=True)


def _person(person_id: int) -> Changes:
    return Changes(person_ids=ids(person_id), mandates=True)


def wipe_abandoned_sessions() -> Op[int]:
    return write(lambda b: b.wipe_abandoned_sessions(), lambda n: SESSION if n else NOTHING)


def ending_soon() -> Op[list[EndingSoon]]:
    return reads(act(reminders.mandates_ending_soon))


def person_mandates(person_id: int) -> Op[list[MandateRecord]]:
    return query(lambda b: b.person_mandates(person_id))


def mandates_and_audit(person_id: int) -> Op[tuple[list[MandateRecord], list[AuditRecord]]]:
    return query(lambda b: (b.person_mandates(person_id), b.person_audit(person_id)))


def acting_mandate(person_id: int) -> Op[MandateRecord | None]:
    return query(lambda b: b.acting_mandate(person_id))


def grant_choices() -> Op[tuple[list[ScopeChoice], list[Grantee]]]:
    return query(lambda b: (b.scope_choices(), b.supervisor_choices()))


def grant(request: GrantRequest) -> Op[GrantOutcome]:
    return write(lambda b: b.grant_mandate(request), _person(request.person_id))


def renew(
    person_id: int, mandate_id: int, version: int, ends_at: datetime, agreed: bool
) -> Op[int]:
    return write(
        lambda b: b.renew_mandate(mandate_id, version, ends_at, agreed), _person(person_id)
    )


def suspend(person_id: int, mandate_id: int, version: int, code: str) -> Op[int]:
    return write(lambda b: b.suspend_mandate(mandate_id, version, code), _person(person_id))


def revoke(person_id: int, mandate_id: int, version: int, code: str) -> Op[int]:
    return write(lambda b: b.revoke_mandate(mandate_id, version, code), _person(person_id))


def activate(person_id: int, mandate_id: int, version: int) -> Op[int]:
    return write(lambda b: b.activate_mandate(mandate_id, version), _person(person_id))


def save_consent_receipt(mandate_id: int, path: Path) -> Op[Path]:
    """The receipt written to ``path`` (a file; nothing in the database changes)."""
    return query(lambda b: b.save_consent_receipt(mandate_id, path))


def assisted_task_list(service_id: str) -> Op[str]:
    return query(lambda b: b.assisted_task_list(service_id))


def start_assisted_session(
    start: AssistedStart,
) -> Op[tuple[SessionRecord, DraftRecord, Service | None]]:
    """The session, its form's first draft and the form's definition."""

    def begin(b: Backend) -> tuple[SessionRecord, DraftRecord, Service | None]:
        record = b.start_assisted_session(start)
        catalogue = b.catalogue
        first_draft = act(actions.start_form, catalogue, record.case_id, record.service_id)
        draft = b.perform(first_draft, write=True)
        return record, draft, catalogue.get(record.service_id)

    return write(begin, SESSION)


def keep_assisted_session(session_id: int) -> Op[SessionRecord]:
    return write(lambda b: b.keep_assisted_session(session_id, True), SESSION)


def wipe_assisted_session(session_id: int, *, timed_out: bool = False) -> Op[dict[str, int]]:
    return write(lambda b: b.wipe_assisted_session(session_id, timed_out=timed_out), SESSION)
