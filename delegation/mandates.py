"""Granting, activating, suspending, revoking and expiring mandates.

Every change goes through ``move``, which checks ``STATUS_TRANSITIONS``, bumps
the mandate's version and writes a lifecycle entry (with a reason code) to the
audit chain in the same transaction.

**Longest a mandate may run, by basis** (``MAX_DURATION``). The end date is
compulsory; these caps make the person (or the evidence) be looked at again:

- *consent*, 12 months: informal consent goes stale; HMRC and NHS proxy
  access both expect it to be renewed at least yearly.
- *emergency*, 72 hours: long enough to get through a weekend and a bank
  holiday Monday, short enough that a proper basis must follow.
- *lasting power of attorney* and *deputyship*, 36 months: the instrument
  itself may last for life, but it can be revoked, varied or the attorney
  removed by the Court of Protection, so we re-check the registered document.
- *DWP appointee*, 24 months: DWP reviews appointeeships; we re-check at
  least as often.
- *parental responsibility*, 12 months: a child's circumstances (and their
  own right to consent as they grow up) change quickly.

Sub-mandates (Estonia's rule): only when the parent allows it; the child may
only narrow the scope and the dates, keeps the parent's basis, cannot be
passed on again unless it says so itself, and is revoked with its parent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.kernel.errors import EditConflict, InvalidInput, NotFound
from casework.kernel.i18n import _
from casework.kernel.models import Case, Team
from casework.kernel.records import Actor, Role
from delegation import audit, policy
from delegation.audit import ReasonCode
from delegation.manage_rules import ManageAction
from delegation.mandate_rows import acting_worker as acting_worker
from delegation.mandate_rows import active_worker
from delegation.mandate_rows import granted_to as granted_to
from delegation.mandate_rows import is_grantee as is_grantee
from delegation.mandate_rows import load as load
from delegation.mandate_rows import require_actor as require_actor
from delegation.mandate_rows import scope_of as scope_of
from delegation.mandate_rows import utc_moment as utc_moment
from delegation.models import STATUS_TRANSITIONS, ConsentRecord, Mandate
from delegation.records import Basis, ConsentMethod, MandateStatus, WorkInProgress
from delegation.scope import (
    Action,
    Scope,
    ScopeDetail,
    case_scope_id,
    make_scope,
    narrows,
    scope_from_json,
    scope_to_json,
)

MAX_DURATION: dict[Basis, timedelta] = {
    Basis.CONSENT: timedelta(days=366),
    Basis.EMERGENCY: timedelta(hours=72),
    Basis.LASTING_POWER_OF_ATTORNEY: timedelta(days=1096),
    Basis.DEPUTYSHIP: timedelta(days=1096),
    Basis.DWP_APPOINTEE: timedelta(days=731),
    Basis.PARENTAL_RESPONSIBILITY: timedelta(days=366),
    Basis.ASSISTED_SESSION: timedelta(hours=2),  # casework.casefile.assisted
}
# In an emergency a helper may look, ring the service and escalate: enough to
# stop harm (a benefit stopped, a deadline missed), not to start new claims.
PROTECTIVE_ACTIONS = frozenset({Action.VIEW, Action.CONTACT, Action.ESCALATE})
# Bases whose documents a worker must have seen before the mandate is active.
DOCUMENTED_BASES = frozenset(
    {
        Basis.LASTING_POWER_OF_ATTORNEY,
        Basis.DEPUTYSHIP,
        Basis.DWP_APPOINTEE,
        Basis.PARENTAL_RESPONSIBILITY,
    }
)
# The coercion screen: each question and the answer that raises no concern.
SAFEGUARDING_QUESTIONS: dict[str, bool] = {
    "pressured_by_anyone": False,
    "can_say_what_helper_will_do": True,
    "knows_how_to_withdraw": True,
}
LIVE = frozenset({MandateStatus.ACTIVE, MandateStatus.SUSPENDED})


def task_list_fingerprint(task_list: str) -> str:
    """SHA-256 of the exact task list shown to the person (UTF-8, as shown)."""
    return hashlib.sha256(task_list.encode("utf-8")).hexdigest()


def aware(value: datetime, field: str) -> datetime:
    """A date the worker gave, in UTC; a time without a zone is invalid input on ``field``."""
    if value.tzinfo is None:
        raise InvalidInput({field: _("Give the time with its time zone.")})
    return value.astimezone(UTC)


def _check_dates(
    basis: Basis, starts_at: datetime, ends_at: datetime, review_at: datetime, now: datetime
) -> None:
    if ends_at <= starts_at:
        raise InvalidInput({"ends_at": _("The end must be after the start.")})
    if ends_at <= now:
        raise InvalidInput({"ends_at": _("The end must be in the future.")})
    if ends_at - starts_at > MAX_DURATION[basis]:
        raise InvalidInput(
            {
                "ends_at": _(
                    "A mandate on this basis can last at most {days} days ({hours} hours). "
                    "Choose an earlier end date."
                ).format(
                    days=MAX_DURATION[basis].days,
                    hours=int(MAX_DURATION[basis].total_seconds() // 3600),
                )
            }
        )
    if not starts_at < review_at <= ends_at:
        raise InvalidInput({"review_at": _("The review date must fall within the mandate.")})


def _check_case_details(session: Session, person_id: int, scope: Scope) -> None:
    wanted = {d.case for d in scope if d.case is not None}
    if not wanted:
        return
    references = session.scalars(select(Case.reference).where(Case.person_id == person_id))
    theirs = {case_scope_id(r) for r in references}
    if not wanted <= theirs:
        raise InvalidInput({"scope": _("A case in the scope is not one of this person's cases.")})


def _check_grantee(
    session: Session, grantee_worker_id: int | None, grantee_team_id: int | None
) -> None:
    if (grantee_worker_id is None) == (grantee_team_id is None):
        raise InvalidInput({"grantee": _("Choose one worker or one team to act for the person.")})
    if grantee_worker_id is not None and active_worker(session, grantee_worker_id) is None:
        raise InvalidInput({"grantee": _("That worker's account is not active.")})
    if grantee_team_id is not None and session.get(Team, grantee_team_id) is None:
        raise InvalidInput({"grantee": _("There is no such team.")})


def grant(
    session: Session,
    actor: Actor,
    *,
    person_id: int,
    basis: Basis,
    scope: Scope,
    ends_at: datetime,
    starts_at: datetime | None = None,
    review_at: datetime | None = None,
    grantee_worker_id: int | None = None,
    grantee_team_id: int | None = None,
    evidence_reference: str = "",
    evidence_next_check: datetime | None = None,
    sub_delegation_allowed: bool = False,
    work_in_progress: WorkInProgress = WorkInProgress.FREEZE,
    emergency_reason: str = "",
    second_approver_id: int | None = None,
    now: datetime | None = None,
) -> Mandate:
    """Propose a mandate (status ``proposed``); ``activate`` it once consent or
    evidence is recorded. The person must be in the actor's caseload."""
    moment = utc_moment(now)
    policy.require_grant(session, actor, person_id, moment)
    _check_grantee(session, grantee_worker_id, grantee_team_id)
    start = aware(starts_at, "starts_at") if starts_at else moment
    end = aware(ends_at, "ends_at")
    review = aware(review_at, "review_at") if review_at else end
    _check_dates(basis, start, end, review, moment)
    if not scope:
        raise InvalidInput({"scope": _("A scope needs at least one service or case.")})
    _check_case_details(session, person_id, scope)
    reference = evidence_reference.strip()
    mandate = Mandate(
        person_id=person_id,
        grantee_worker_id=grantee_worker_id,
        grantee_team_id=grantee_team_id,
        basis=basis,
        evidence_reference=reference,
        evidence_checked_by_id=actor.worker_id if reference else None,
        evidence_checked_at=moment if reference else None,
        evidence_next_check=aware(evidence_next_check, "evidence_next_check")
        if evidence_next_check
        else None,
        status=MandateStatus.PROPOSED,
        status_reason=ReasonCode.GRANTED.value,
        status_changed_at=moment,
        starts_at=start,
        ends_at=end,
        review_at=review,
        scope=scope_to_json(scope),
        sub_delegation_allowed=sub_delegation_allowed,
        work_in_progress=work_in_progress,
        created_by_id=actor.worker_id,
        created_at=moment,
    )
    if basis is Basis.EMERGENCY:
        _check_emergency(session, actor, mandate, scope, emergency_reason, second_approver_id)
    session.add(mandate)
    session.flush()
    audit_lifecycle(session, actor, mandate, "grant", ReasonCode.GRANTED, moment)
    return mandate


def _check_emergency(
    session: Session,
    actor: Actor,
    mandate: Mandate,
    scope: Scope,
    reason: str,
    second_approver_id: int | None,
) -> None:
    problems: dict[str, str] = {}
    if any(not d.actions <= PROTECTIVE_ACTIONS for d in scope):
        problems["scope"] = _(
            "In an emergency a helper may only view, contact the service or escalate."
        )
    if not reason.strip():
        problems["emergency_reason"] = _("Write down why this cannot wait.")
    approver = active_worker(session, second_approver_id) if second_approver_id else None
    if approver is None or approver.role is not Role.SUPERVISOR:
        problems["second_approver"] = _("An emergency mandate needs a supervisor to approve it.")
    elif approver.id in (mandate.grantee_worker_id, actor.worker_id):
        problems["second_approver"] = _(
            "The second approver must be a supervisor who is neither the helper "
            "nor the person recording the mandate."
        )
    if mandate.sub_delegation_allowed:
        problems["sub_delegation_allowed"] = _("An emergency mandate cannot be passed on.")
    if problems:
        raise InvalidInput(problems)
    mandate.emergency_reason = reason.strip()
    mandate.second_approver_id = second_approver_id
    mandate.flagged_for_review = True


def grant_sub_mandate(
    session: Session,
    actor: Actor,
    parent_id: int,
    *,
    scope: Scope,
    ends_at: datetime,
    starts_at: datetime | None = None,
    grantee_worker_id: int | None = None,
    grantee_team_id: int | None = None,
    sub_delegation_allowed: bool = False,
    now: datetime | None = None,
) -> Mandate:
    """Pass part of an active mandate on: narrower scope, dates inside the parent's."""
    moment = utc_moment(now)
    parent = _decided(session, actor, parent_id, ManageAction.PASS_ON, moment)
    start = aware(starts_at, "starts_at") if starts_at else moment
    end = aware(ends_at, "ends_at")
    if start < parent.starts_at or end > parent.ends_at:
        raise InvalidInput({"ends_at": _("A passed-on mandate must end when its parent ends.")})
    if not narrows(scope, scope_from_json(parent.scope)):
        raise InvalidInput({"scope": _("A passed-on mandate can only do less than its parent.")})
    _check_grantee(session, grantee_worker_id, grantee_team_id)
    _check_dates(parent.basis, start, end, min(end, parent.review_at), moment)
    child = Mandate(
        person_id=parent.person_id,
        grantee_worker_id=grantee_worker_id,
        grantee_team_id=grantee_team_id,
        basis=parent.basis,
        evidence_reference=parent.evidence_reference,
        evidence_checked_by_id=parent.evidence_checked_by_id,
        evidence_checked_at=parent.evidence_checked_at,
        evidence_next_check=parent.evidence_next_check,
        status=MandateStatus.PROPOSED,
        status_reason=ReasonCode.GRANTED.value,
        status_changed_at=moment,
        starts_at=start,
        ends_at=end,
        review_at=min(end, parent.review_at),
        scope=scope_to_json(scope),
        sub_delegation_allowed=sub_delegation_allowed,
        parent_id=parent.id,
        work_in_progress=parent.work_in_progress,
        created_by_id=actor.worker_id,
        created_at=moment,
    )
    session.add(child)
    session.flush()
    audit_lifecycle(session, actor, child, "grant", ReasonCode.GRANTED, moment)
    return child


def record_consent(
    session: Session,
    actor: Actor,
    mandate_id: int,
    *,
    method: ConsentMethod,
    task_list_shown: str,
    seen_alone: bool,
    safeguarding_answers: Mapping[str, bool],
    interpreter_used: bool = False,
    witness: str = "",
    now: datetime | None = None,
) -> ConsentRecord:
    """Record how the person agreed, to the exact task list shown to them."""
    moment = utc_moment(now)
    mandate = _decided(session, actor, mandate_id, ManageAction.CONSENT, moment)
    if not task_list_shown.strip():
        raise InvalidInput({"task_list": _("Show the person the list of tasks first.")})
    if set(safeguarding_answers) != set(SAFEGUARDING_QUESTIONS) or not all(
        isinstance(v, bool) for v in safeguarding_answers.values()
    ):
        raise InvalidInput({"safeguarding": _("Answer every safeguarding question.")})
    record = ConsentRecord(
        mandate_id=mandate.id,
        method=method,
        task_list_fingerprint=task_list_fingerprint(task_list_shown),
        interpreter_used=interpreter_used,
        seen_alone=seen_alone,
        safeguarding_answers=json.dumps(dict(safeguarding_answers), sort_keys=True),
        witness=witness.strip(),
        recorded_by_id=actor.worker_id,
        recorded_at=moment,
    )
    session.add(record)
    session.flush()
    return record


def safeguarding_concern(record: ConsentRecord) -> bool:
    """Did the coercion screen raise a concern (or was it not seen alone with no witness)?"""
    answers = json.loads(record.safeguarding_answers)
    if any(answers.get(q) is not ok for q, ok in SAFEGUARDING_QUESTIONS.items()):
        return True
    return not record.seen_alone and not record.witness


def _latest_consent(session: Session, mandate_id: int) -> ConsentRecord | None:
    return session.scalar(
        select(ConsentRecord)
        .where(ConsentRecord.mandate_id == mandate_id)
        .order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Change:
    """A lifecycle step: the status a mandate moves to and the reason code for it."""

    to: MandateStatus
    code: ReasonCode


def _check_version(mandate: Mandate, expected_version: int | None) -> None:
    if expected_version is not None and mandate.version != expected_version:
        raise EditConflict(
            _("Someone else changed this mandate. Look at it again before you go on."),
            current_version=mandate.version,
        )


def audit_lifecycle(
    session: Session,
    actor: Actor | None,
    mandate: Mandate,
    action: str,
    code: ReasonCode,
    moment: datetime,
    outcome: str = "allow",
    *,
    note: str = "",
) -> None:
    """Write a lifecycle entry for ``mandate`` (its current version) to the audit
    chain; ``note`` is what the worker wrote down, kept as the entry's reason."""
    audit.append(
        session,
        kind="lifecycle",
        action=action,
        outcome=outcome,
        reason=note or code.value,
        reason_code=code.value,
        worker_id=actor.worker_id if actor else None,
        person_id=mandate.person_id,
        mandate_id=mandate.id,
        mandate_version=mandate.version,
        scope_detail=mandate.scope,
        at=moment,
    )


def move(
    session: Session,
    actor: Actor | None,
    mandate: Mandate,
    change: Change,
    action: str,
    moment: datetime,
    *,
    note: str = "",
) -> None:
    """Move ``mandate`` through ``change`` if ``STATUS_TRANSITIONS`` allows it,
    bumping its version and auditing the step as ``action`` (with ``note``)."""
    if change.to not in STATUS_TRANSITIONS[mandate.status]:
        raise InvalidInput(
            {
                "status": _("A {current} mandate cannot become {new}.").format(
                    current=_(mandate.status.value), new=_(change.to.value)
                )
            }
        )
    mandate.status = change.to
    mandate.status_reason = change.code.value
    mandate.status_changed_at = moment
    session.flush()  # bumps the version
    audit_lifecycle(session, actor, mandate, action, change.code, moment, note=note)


def managed(
    session: Session,
    actor: Actor,
    mandate_id: int,
    expected_version: int | None,
    now: datetime | None,
    *,
    action: ManageAction,
    reason: str = "",
) -> tuple[Mandate, datetime]:
    """The mandate a management ``action`` is about, locked, once the policy
    decision allows it (``delegation.manage_rules``; audited either way) and
    it is still the version the worker saw; and the moment of change."""
    moment = utc_moment(now)
    mandate = _decided(session, actor, mandate_id, action, moment, reason)
    _check_version(mandate, expected_version)
    return mandate, moment


def _decided(
    session: Session,
    actor: Actor,
    mandate_id: int,
    action: ManageAction,
    moment: datetime,
    reason: str = "",
) -> Mandate:
    """The mandate, locked, once the policy decision allows ``action`` on it;
    asking about a mandate that does not exist is refused and audited too."""
    try:
        mandate = load(session, mandate_id)
    except NotFound:
        policy.require_management(session, actor, mandate_id, action, moment, reason=reason)
        raise
    policy.require_management(session, actor, mandate.id, action, moment, reason=reason)
    return mandate


def _end(
    session: Session,
    actor: Actor,
    mandate_id: int,
    target: MandateStatus,
    action: ManageAction,
    code: ReasonCode,
    expected_version: int | None,
    now: datetime | None,
) -> tuple[Mandate, datetime]:
    mandate, moment = managed(session, actor, mandate_id, expected_version, now, action=action)
    move(session, actor, mandate, Change(target, code), action.value, moment)
    return mandate, moment


def activate(
    session: Session,
    actor: Actor,
    mandate_id: int,
    *,
    expected_version: int | None = None,
    code: ReasonCode = ReasonCode.CONSENT_RECORDED,
    now: datetime | None = None,
) -> Mandate:
    """proposed -> active, once consent or evidence is recorded. A suspended
    mandate is started again only by ``lift_suspension``."""
    mandate, moment = managed(
        session, actor, mandate_id, expected_version, now, action=ManageAction.ACTIVATE
    )
    _check_can_start(session, mandate, moment)
    move(session, actor, mandate, Change(MandateStatus.ACTIVE, code), "activate", moment)
    return mandate


def lift_suspension(
    session: Session,
    actor: Actor,
    mandate_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Mandate:
    """suspended -> active, by the person's own team (``delegation.manage_rules``).
    ``reason`` is what the worker wrote down; after a safeguarding suspension it
    is required, and the worker must not be the helper. Kept in the audit."""
    written = reason.strip()
    mandate, moment = managed(
        session,
        actor,
        mandate_id,
        expected_version,
        now,
        action=ManageAction.LIFT,
        reason=written,
    )
    _check_can_start(session, mandate, moment)
    move(
        session,
        actor,
        mandate,
        Change(MandateStatus.ACTIVE, ReasonCode.SUSPENSION_LIFTED),
        "activate",
        moment,
        note=written,
    )
    return mandate


def _check_can_start(session: Session, mandate: Mandate, moment: datetime) -> None:
    if moment >= mandate.ends_at:
        raise InvalidInput({"ends_at": _("This mandate has already ended.")})
    if mandate.parent_id is not None:
        parent = load(session, mandate.parent_id)
        if parent.status is not MandateStatus.ACTIVE:
            raise InvalidInput(
                {"parent": _("The mandate this one was passed on from is not active.")}
            )
    if mandate.basis is Basis.CONSENT:
        consent = _latest_consent(session, mandate.id)
        root = mandate.parent_id is None
        if root and consent is None:
            raise InvalidInput({"consent": _("Record the person's consent first.")})
        if consent is not None and safeguarding_concern(consent):
            raise InvalidInput(
                {
                    "consent": _(
                        "The safeguarding questions raised a concern. Do not go ahead: "
                        "speak to your supervisor."
                    )
                }
            )
    if mandate.basis in DOCUMENTED_BASES and not (
        mandate.evidence_reference and mandate.evidence_checked_at
    ):
        raise InvalidInput({"evidence": _("Record the document you checked first.")})


def narrow_mandate(
    session: Session,
    actor: Actor,
    mandate_id: int,
    expected_version: int | None,
    scope: Scope,
    *,
    now: datetime | None = None,
) -> Mandate:
    """Give a live mandate a smaller scope (the helper or the person's team).

    The new scope must narrow the old one (``scope.narrows``); mandates passed
    on from it are cut down to fit inside it, and ended when nothing is left."""
    mandate, moment = managed(
        session, actor, mandate_id, expected_version, now, action=ManageAction.NARROW
    )
    old = scope_of(mandate)
    if old is None or not narrows(scope, old):
        raise InvalidInput({"scope": _("A narrower mandate can only do less than it does now.")})
    if scope_to_json(scope) == mandate.scope:
        raise InvalidInput(
            {"scope": _("Nothing was taken away. Untick what it should no longer do.")}
        )
    mandate.scope = scope_to_json(scope)
    session.flush()  # bumps the version
    audit_lifecycle(session, actor, mandate, "narrow", ReasonCode.NARROWED, moment)
    fit_passed_on(session, actor, mandate, scope, moment)
    return mandate


def within(child: Scope, parent: Scope) -> Scope | None:
    """The part of ``child`` that ``parent`` still allows (None when nothing is left)."""
    kept = []
    for detail in child:
        for p in parent:
            if (detail.service_id, detail.case) != (p.service_id, p.case):
                continue
            actions = detail.actions & p.actions
            categories = detail.categories & p.categories
            if actions and categories:
                kept.append(
                    ScopeDetail(
                        service_id=detail.service_id,
                        case=detail.case,
                        actions=actions,
                        categories=categories,
                    )
                )
    return make_scope(kept) if kept else None


def fit_passed_on(
    session: Session, actor: Actor, parent: Mandate, scope: Scope, moment: datetime
) -> None:
    """Cut the mandates passed on from ``parent`` down to fit inside its new
    ``scope`` (at any depth); end those with nothing left. Audited."""
    children = session.scalars(
        select(Mandate)
        .where(Mandate.parent_id == parent.id, Mandate.status.in_(LIVE | {MandateStatus.PROPOSED}))
        .order_by(Mandate.id)
    ).all()
    for child in children:
        current = scope_of(child)
        fitted = within(current, scope) if current is not None else None
        if fitted is None:
            proposed = child.status is MandateStatus.PROPOSED
            target = MandateStatus.REJECTED if proposed else MandateStatus.REVOKED
            step = "reject" if proposed else "revoke"
            move(session, actor, child, Change(target, ReasonCode.PARENT_ENDED), step, moment)
            _end_children(session, actor, child, moment, ReasonCode.PARENT_REVOKED)
        elif fitted != current:
            child.scope = scope_to_json(fitted)
            session.flush()
            audit_lifecycle(session, actor, child, "narrow", ReasonCode.NARROWED, moment)
            fit_passed_on(session, actor, child, fitted, moment)


def reject(
    session: Session,
    actor: Actor,
    mandate_id: int,
    code: ReasonCode,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Mandate:
    mandate, _moment = _end(
        session,
        actor,
        mandate_id,
        MandateStatus.REJECTED,
        ManageAction.REJECT,
        code,
        expected_version,
        now,
    )
    return mandate


def suspend(
    session: Session,
    actor: Actor,
    mandate_id: int,
    code: ReasonCode,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Mandate:
    mandate, _moment = _end(
        session,
        actor,
        mandate_id,
        MandateStatus.SUSPENDED,
        ManageAction.SUSPEND,
        code,
        expected_version,
        now,
    )
    return mandate


def revoke(
    session: Session,
    actor: Actor,
    mandate_id: int,
    code: ReasonCode,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Mandate:
    """Revoke a mandate and, with it, every mandate passed on from it."""
    mandate, moment = _end(
        session,
        actor,
        mandate_id,
        MandateStatus.REVOKED,
        ManageAction.REVOKE,
        code,
        expected_version,
        now,
    )
    _end_children(session, actor, mandate, moment, ReasonCode.PARENT_REVOKED)
    return mandate


def _end_children(
    session: Session, actor: Actor | None, parent: Mandate, moment: datetime, code: ReasonCode
) -> None:
    children = session.scalars(
        select(Mandate).where(Mandate.parent_id == parent.id).order_by(Mandate.id)
    ).all()
    for child in children:
        if child.status is MandateStatus.PROPOSED:
            move(session, actor, child, Change(MandateStatus.REJECTED, code), "reject", moment)
        elif child.status in LIVE:
            move(session, actor, child, Change(MandateStatus.REVOKED, code), "revoke", moment)
        else:
            continue
        _end_children(session, actor, child, moment, code)


def expire_due(session: Session, now: datetime | None = None) -> list[int]:
    """Mark every live mandate past its end as expired (audited); returns their ids.

    Decisions do not wait for this: an out-of-date mandate is refused at the
    next check whether or not it has been swept yet.
    """
    moment = utc_moment(now)
    due = session.scalars(
        select(Mandate).where(Mandate.status.in_(LIVE)).order_by(Mandate.id)
    ).all()
    expired = []
    for mandate in due:
        if mandate.ends_at <= moment:
            move(
                session,
                None,
                mandate,
                Change(MandateStatus.EXPIRED, ReasonCode.END_DATE_REACHED),
                "expire",
                moment,
            )
            expired.append(mandate.id)
    return expired


def lapse(session: Session, mandate: Mandate, now: datetime | None = None) -> None:
    """A live mandate nobody has used for six months ends (audited)."""
    move(
        session,
        None,
        mandate,
        Change(MandateStatus.EXPIRED, ReasonCode.LAPSED_UNUSED),
        "lapse",
        utc_moment(now),
    )
