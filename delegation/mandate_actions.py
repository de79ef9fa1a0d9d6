"""The mandate actions a worker takes from the window, each a core action
``f(session, actor, ...)``: the grant dialog's choices, granting (with the
consent and the safeguarding screen), passing part of a mandate on,
renewing, lifting a suspension and suspending. Revoking lives with the
outbox (``offline_sync.revocation``), because it stops queued work.

Each answers plain records or the mandate's new version, never a live row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from casework.kernel.errors import InvalidInput
from casework.kernel.i18n import _
from casework.kernel.records import Actor
from casework.kernel.validators import require_text
from delegation import listing, mandate_lookups, mandates, policy
from delegation.audit import ReasonCode
from delegation.caseload import decide_person
from delegation.manage_rules import ManageAction
from delegation.records import (
    Basis,
    ConsentMethod,
    Grantee,
    GranteeKind,
    GrantOutcome,
    GrantRequest,
    MandateRecord,
    PassOnRequest,
    WorkInProgress,
)
from delegation.scope_words import NO_NAMES, ScopeNames, shown_as_built


def reason(code: str) -> ReasonCode:
    """The reason code the dialog chose; InvalidInput when it names none."""
    try:
        return ReasonCode(code)
    except ValueError as exc:
        raise InvalidInput({"reason": _("Choose a reason.")}) from exc


# -- choices for the grant dialog -------------------------------------------------
def grantee_choices(session: Session, actor: Actor) -> list[Grantee]:
    """Me and my team (from the worker; nothing is read)."""
    return [
        Grantee(
            GranteeKind.WORKER, actor.worker_id, _("Me ({name})").format(name=actor.display_name)
        ),
        Grantee(
            GranteeKind.TEAM, actor.team_id, _("My team ({name})").format(name=actor.team_name)
        ),
    ]


def supervisor_choices(session: Session, actor: Actor) -> list[Grantee]:
    """Active supervisors in the worker's team, other than the worker (the
    second approver an emergency mandate needs)."""
    rows = mandate_lookups.second_approvers(session, actor)
    return [Grantee(GranteeKind.WORKER, w.id, w.display_name) for w in rows]


def colleague_choices(session: Session, actor: Actor) -> list[Grantee]:
    """Active colleagues a mandate may be passed on to ("Name (Team)")."""
    return [
        Grantee(
            GranteeKind.WORKER,
            worker.id,
            _("{name} ({team})").format(name=worker.display_name, team=team.name),
        )
        for worker, team in mandate_lookups.colleagues(session, actor)
    ]


def passable(
    session: Session, actor: Actor, mandate_id: int, now: datetime | None = None
) -> MandateRecord:
    """The mandate, when the actor is its helper and may pass it on now (the
    policy decision, audited: ``delegation.manage_rules``)."""
    mandate = mandates.load(session, mandate_id, for_update=False)
    policy.require_management(session, actor, mandate.id, ManageAction.PASS_ON, now)
    return listing.record(session, mandate)


def basis_longest_days() -> dict[str, int]:
    """The longest a mandate may run, in days, per basis."""
    return {basis.value: mandates.MAX_DURATION[basis].days for basis in Basis}


# -- granting and the lifecycle ---------------------------------------------------
def grant_mandate(
    session: Session, actor: Actor, request: GrantRequest, names: ScopeNames = NO_NAMES
) -> GrantOutcome:
    """Grant, record the consent, and activate unless the screen raised a concern
    (then the mandate is rejected, with the reason, and nothing may be done).

    The task list shown must be the one ``describe`` builds from the scope,
    with ``names`` (the services' titles, from the caller) in the language it
    was shown in. Raises InvalidInput with the dialog's field names when
    something is wrong."""
    require_text(
        {
            "evidence": request.evidence_reference,
            "witness": request.witness,
            "emergency_reason": request.emergency_reason,
            "task_list": (request.task_list_shown, request.task_list_language),
            "safeguarding": request.safeguarding_answers,
        }
    )
    try:
        basis = Basis(request.basis)
        method = ConsentMethod(request.consent_method)
    except ValueError as exc:
        raise InvalidInput({"basis": _("Choose a basis and how consent was given.")}) from exc
    if basis is Basis.ASSISTED_SESSION:
        raise InvalidInput({"basis": _("Start an assisted session from the Session menu.")})
    if not shown_as_built(
        request.task_list_shown, request.scope, names, request.task_list_language
    ):
        raise InvalidInput({"task_list": _("The task list changed: show the person the new one.")})
    worker = request.grantee_id if request.grantee_kind == "worker" else None
    team = request.grantee_id if request.grantee_kind == "team" else None
    mandate = mandates.grant(
        session,
        actor,
        person_id=request.person_id,
        basis=basis,
        scope=request.scope,
        ends_at=request.ends_at,
        grantee_worker_id=worker,
        grantee_team_id=team,
        evidence_reference=request.evidence_reference,
        evidence_next_check=request.evidence_next_check,
        emergency_reason=request.emergency_reason,
        second_approver_id=request.second_approver_id,
        work_in_progress=WorkInProgress.FINISH_QUEUED
        if request.finish_queued
        else WorkInProgress.FREEZE,
        sub_delegation_allowed=request.sub_delegation_allowed,
        review_at=request.review_at,
    )
    consent = mandates.record_consent(
        session,
        actor,
        mandate.id,
        method=method,
        task_list_shown=request.task_list_shown,
        seen_alone=request.seen_alone,
        safeguarding_answers=request.safeguarding_answers,
        interpreter_used=request.interpreter_used,
        witness=request.witness,
    )
    if mandates.safeguarding_concern(consent):
        mandates.reject(session, actor, mandate.id, ReasonCode.SAFEGUARDING_CONCERN)
        return GrantOutcome(
            listing.record(session, mandate),
            False,
            _(
                "The safeguarding questions raised a concern, so this mandate is not "
                "active and nothing can be done under it. Do not go ahead: speak to "
                "your supervisor or the duty safeguarding lead today. The answers are "
                "recorded."
            ),
        )
    mandates.activate(session, actor, mandate.id)
    return GrantOutcome(listing.record(session, mandate), True)


def pass_on_mandate(
    session: Session, actor: Actor, request: PassOnRequest, now: datetime | None = None
) -> GrantOutcome:
    """Pass part of a mandate on to a colleague (``mandates.grant_sub_mandate``).

    It starts at once when the worker's team manages the person (the consent
    given for the mandate passed on covers it); otherwise it waits for the
    person's own team to start it. Raises InvalidInput with the dialog's field
    names when something is wrong."""
    mandates.require_actor(session, actor)
    parent = mandates.load(session, request.parent_id)
    child = mandates.grant_sub_mandate(
        session,
        actor,
        request.parent_id,
        scope=request.scope,
        ends_at=request.ends_at or parent.ends_at,
        grantee_worker_id=request.grantee_worker_id,
        sub_delegation_allowed=request.sub_delegation_allowed,
        now=now,
    )
    if not decide_person(session, actor, child.person_id).allowed:
        return GrantOutcome(
            listing.record(session, child),
            False,
            _("It was passed on. The person's own team must start it before it can be used."),
        )
    mandates.activate(session, actor, child.id, now=now)
    return GrantOutcome(listing.record(session, child), True)


def renew_mandate(
    session: Session,
    actor: Actor,
    mandate_id: int,
    expected_version: int,
    ends_at: datetime,
    person_agreed: bool,
) -> int:
    """A new end date; the mandate's new version. On the consent basis
    ``person_agreed`` must be True (the person was asked again)."""
    mandate = listing.renew(
        session,
        actor,
        mandate_id,
        ends_at,
        person_agreed=person_agreed,
        expected_version=expected_version,
    )
    return mandate.version


def lift_mandate(
    session: Session, actor: Actor, mandate_id: int, expected_version: int, reason: str = ""
) -> int:
    """Start a suspended mandate again, with the reason written down (the
    person's own team only; see ``delegation.manage_rules``); its new version."""
    require_text({"reason": reason})
    return mandates.lift_suspension(
        session, actor, mandate_id, reason=reason, expected_version=expected_version
    ).version


def suspend_mandate(
    session: Session, actor: Actor, mandate_id: int, expected_version: int, reason_code: str
) -> int:
    """Suspend a mandate for the reason chosen; its new version."""
    code = reason(reason_code)
    return mandates.suspend(
        session, actor, mandate_id, code, expected_version=expected_version
    ).version
