"""The ``mandates`` commands' work, shaped as core actions
``f(session, actor, ...)`` and run as the signed-in worker: the mandates
they may see, and grant, pass on and revoke through the window's own
actions, from the ``GrantForm`` and ``PassOnForm`` read off the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from app.cli.mandates.lookups import end_of_day, grantee, person_id, worker_id
from casework.kernel.errors import AccessRefused, AlongsideError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from casework.forms.definitions import Catalogue
    from casework.kernel.records import Actor
    from delegation.records import GrantOutcome, MandateRecord
    from delegation.scope import Scope


def visible_mandates(session: Session, actor: Actor, person_ref: str | None) -> list[MandateRecord]:
    """The person's mandates, or those of everyone whose mandates the worker may
    see (their team's caseload, and people whose live mandate names them)."""
    from sqlalchemy import and_, or_, select

    from casework.kernel.models import Person
    from delegation import listing, mandates
    from delegation.caseload import in_caseload
    from delegation.models import Mandate

    if person_ref is not None:
        records = listing.person_mandates(session, actor, person_id(session, actor, person_ref))
        return list(records)
    people = session.scalars(
        select(Mandate.person_id)
        .join(Person, Person.id == Mandate.person_id)
        .where(
            or_(
                in_caseload(actor),
                and_(mandates.granted_to(actor), Mandate.status.in_(mandates.LIVE)),
            )
        )
        .distinct()
        .order_by(Mandate.person_id)
    ).all()
    found: list[MandateRecord] = []
    for pid in people:
        try:
            records = listing.person_mandates(session, actor, pid)
        except AccessRefused:
            continue  # the policy said no (and wrote so): not one this worker may see
        found += records
    return found


@dataclass(frozen=True)
class GrantForm:
    """What ``mandates grant`` was given, read and checked before signing in."""

    person: str
    to_worker: str | None
    to_team: str | None
    basis: str
    scope: Scope
    ends_at: datetime
    review_at: datetime | None
    consent_method: str
    seen_alone: bool
    witness: str
    interpreter_used: bool
    safeguarding_answers: dict[str, bool]
    may_pass_on: bool
    finish_queued: bool
    evidence_reference: str
    emergency_reason: str
    second_approver: str | None


def task_list(session: Session, actor: Actor, catalogue: Catalogue, scope: Scope) -> str:
    """The task list read to the person: the services' titles and each case's
    service, in the worker's language, exactly as the grant checks it."""
    from casework.forms.mandate_names import scope_names
    from delegation.scope_words import describe

    return describe(scope, scope_names(session, catalogue, [scope]))


def grant(
    session: Session, actor: Actor, catalogue: Catalogue, form: GrantForm
) -> tuple[GrantOutcome, str]:
    """The window's grant (``mandate_names.grant_mandate``), for the people
    named; with the task list the person agreed to."""
    from casework.forms import mandate_names
    from delegation.records import Basis, ConsentMethod, GranteeKind, GrantRequest

    kind, helper = grantee(session, form.to_worker, form.to_team)
    approver = worker_id(session, form.second_approver) if form.second_approver else None
    shown = task_list(session, actor, catalogue, form.scope)
    request = GrantRequest(
        person_id=person_id(session, actor, form.person),
        grantee_kind=GranteeKind(kind),
        grantee_id=helper,
        basis=Basis(form.basis),
        scope=form.scope,
        ends_at=form.ends_at,
        review_at=form.review_at,
        task_list_shown=shown,
        consent_method=ConsentMethod(form.consent_method),
        seen_alone=form.seen_alone,
        safeguarding_answers=form.safeguarding_answers,
        interpreter_used=form.interpreter_used,
        witness=form.witness,
        evidence_reference=form.evidence_reference,
        emergency_reason=form.emergency_reason,
        second_approver_id=approver,
        finish_queued=form.finish_queued,
        sub_delegation_allowed=form.may_pass_on,
    )
    return mandate_names.grant_mandate(session, actor, catalogue, request), shown


@dataclass(frozen=True)
class PassOnForm:
    """What ``mandates pass-on`` was given: None keeps what the mandate holds."""

    parent_id: int
    to_worker: str
    targets: frozenset[str] | None  # services or case references to keep
    actions: frozenset[str] | None
    categories: frozenset[str] | None
    until: date | None
    may_pass_on: bool


def _narrowed(parent: Scope, form: PassOnForm) -> Scope:
    """The mandate's services and cases the worker kept, with the actions and
    information they chose; asking for more than it holds is the core's to refuse."""
    from delegation.scope import ScopeDetail, ScopeError

    kept = [d for d in parent if form.targets is None or (d.service_id or d.case) in form.targets]
    try:
        return tuple(
            ScopeDetail(
                service_id=d.service_id,
                case=d.case,
                actions=form.actions if form.actions is not None else d.actions,
                categories=form.categories if form.categories is not None else d.categories,
            )
            for d in kept
        )
    except ScopeError as exc:
        raise AlongsideError(str(exc)) from None


def pass_on(session: Session, actor: Actor, form: PassOnForm) -> GrantOutcome:
    """The window's pass-on (``mandate_actions.pass_on_mandate``): it starts at
    once when the worker's team manages the person, else it waits for that team."""
    from delegation import mandate_actions
    from delegation.records import PassOnRequest

    parent = mandate_actions.passable(session, actor, form.parent_id)  # refused first
    request = PassOnRequest(
        parent_id=form.parent_id,
        grantee_worker_id=worker_id(session, form.to_worker),
        scope=_narrowed(parent.scope, form),
        ends_at=end_of_day(form.until) if form.until is not None else None,
        sub_delegation_allowed=form.may_pass_on,
    )
    return mandate_actions.pass_on_mandate(session, actor, request)


def revoke(
    session: Session, actor: Actor, mandate_id: int, reason_code: str
) -> list[MandateRecord]:
    """Revoke a mandate through the one door (``offline_sync.revocation``: its
    passed-on mandates end too, queued work stops); the mandates that ended,
    the revoked one first."""
    from delegation import listing, mandate_actions
    from delegation.models import Mandate
    from offline_sync import revocation

    code = mandate_actions.reason(reason_code)
    effects = revocation.revoke(session, actor, mandate_id, code)
    ended = [mandate_id, *sorted(set(effects.mandate_ids) - {mandate_id})]
    rows = [session.get(Mandate, mid) for mid in ended]
    return [listing.record(session, m) for m in rows if m is not None]
