"""The policy decision: may this worker do this to this person's data, now?

``decide`` is the one door. It allows when the worker's account is active
and either the person is in the worker's team caseload or an active mandate
to the worker (or their team) is in date, not overdue for review, not cut off
by a suspended or ended parent, and has one scope detail naming the service
(or case) and the action exactly. Everything else is refused: an unknown
action, category, service name, person or case, a naive clock, a scope that
cannot be read. Every answer, allow or refuse, is written to the audit chain
in the caller's transaction.

Data categories: what a request touches is split into ``disclosed`` and
``redacted``. A mandate discloses the categories its matched detail names; the
caseload discloses everything but the sensitive ones (health, financial),
which need a mandate that names them. Reading (view, print) goes ahead with
the rest redacted; anything that writes or sends refuses instead, because a
helper cannot fill in what they may not see.

``recheck`` runs right before a write, inside the write's transaction: it
re-reads the mandate row (locking it on PostgreSQL) and refuses if its
version moved since the decision the screen was built on, so a revocation
or a narrowed scope takes effect even while a dialog was open.

Beside the decision about a person's data, the same door answers three more
questions, each audited allowed or refused in the caller's transaction:
``decide_management`` (may this worker suspend, lift, renew, widen, narrow,
revoke, pass on or review this mandate: the table in
``delegation.manage_rules``, decision 0025), ``decide_grant`` (only the
person's own team records a mandate) and ``decide_read`` (the person's team
reads every mandate and the whole audit; a helper only their own live
mandates and their own actions under them). ``require_own_session`` keeps
an assisted session its own worker's.

A caller that catches ``AccessRefused`` from ``require`` should commit, so the
refusal's audit entry is kept (rolling back would drop it with the rest).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from casework.kernel.errors import AccessRefused
from casework.kernel.i18n import _
from casework.kernel.models import Case, Person, Worker, utcnow
from casework.kernel.records import Actor, Role
from delegation import audit, scope_words
from delegation.audit import ReasonCode
from delegation.caseload import decide_person
from delegation.manage_rules import Facts, ManageAction, Side, verdict
from delegation.mandate_rows import acting_worker, granted_to, is_grantee, load, scope_of
from delegation.models import AuditEntry, Mandate
from delegation.records import MandateStatus
from delegation.scope import (
    ACTIONS,
    CATEGORIES,
    SENSITIVE_CATEGORIES,
    Action,
    ScopeDetail,
    case_scope_id,
    is_identifier,
)
from delegation.session_models import AssistedSession
from delegation.session_wall import in_caseload as wall_caseload
from delegation.session_wall import outside_session, running_session

READ_ACTIONS = frozenset({Action.VIEW, Action.PRINT})
CASELOAD_CATEGORIES = CATEGORIES - SENSITIVE_CATEGORIES
MAX_CHAIN = 8  # sub-mandates deeper than this are refused rather than followed


@dataclass(frozen=True)
class PolicyDecision:
    """The answer, with the mandate (and version) it rests on and what may be shown."""

    allowed: bool
    reason: str
    mandate_id: int | None = None
    mandate_version: int | None = None
    disclosed_categories: frozenset[str] = frozenset()
    redacted_categories: frozenset[str] = frozenset()
    scope_detail: ScopeDetail | None = None
    # The request, so ``recheck`` can ask again.
    actor: Actor | None = field(default=None, repr=False)
    person_id: int = 0
    action: str = ""
    service_id: str | None = None
    case_id: int | None = None
    categories: frozenset[str] = frozenset()
    refused_field: str = ""  # a refusal about what the worker wrote: that field's name


@dataclass(frozen=True)
class _Request:
    actor: Actor
    person_id: int
    action: str
    service_id: str | None
    case_id: int | None
    case_target: str | None
    categories: frozenset[str]
    now: datetime


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime given to the policy decision: pass UTC")
    return now.astimezone(UTC)


def decide(
    session: Session,
    actor: Actor,
    person_id: int,
    action: str,
    service_id: str | None = None,
    categories: frozenset[str] = frozenset(),
    now: datetime | None = None,
    *,
    case_id: int | None = None,
) -> PolicyDecision:
    """Decide, record the decision in the audit chain, and return it."""
    moment = _utc(now)
    wanted = frozenset(categories)
    decision = _decide(session, actor, person_id, action, service_id, case_id, wanted, moment)
    _record(session, decision, moment)
    if decision.allowed and decision.mandate_id is not None:
        _mark_used(session, decision.mandate_id, moment)
    return decision


def _mark_used(session: Session, mandate_id: int, moment: datetime) -> None:
    """Remember the mandate was used (so it does not lapse), without moving its
    version: a use is not a change to what it allows, and must not make an
    open dialog's ``recheck`` fail."""
    table = cast(Table, Mandate.__table__)
    session.execute(
        update(table)
        .where(table.c.id == mandate_id)
        .values(last_used_at=moment)
        .execution_options(synchronize_session=False)
    )


def _refuse(req: _Request, reason: str) -> PolicyDecision:
    return PolicyDecision(
        False,
        reason,
        redacted_categories=req.categories,
        actor=req.actor,
        person_id=req.person_id,
        action=req.action,
        service_id=req.service_id,
        case_id=req.case_id,
        categories=req.categories,
    )


def _decide(
    session: Session,
    actor: Actor,
    person_id: int,
    action: str,
    service_id: str | None,
    case_id: int | None,
    wanted: frozenset[str],
    moment: datetime,
) -> PolicyDecision:
    req = _Request(actor, person_id, str(action), service_id, case_id, None, wanted, moment)
    if action not in ACTIONS:
        return _refuse(
            req, _("'{action}' is not an action anyone can be allowed.").format(action=action)
        )
    if not wanted <= CATEGORIES:
        return _refuse(req, _("The request names a kind of information Alongside does not know."))
    if service_id is not None and not is_identifier(service_id):
        return _refuse(req, _("'{id}' is not the exact name of a service.").format(id=service_id))
    worker = session.get(Worker, actor.worker_id)
    if worker is None or not worker.active or worker.team_id != actor.team_id:
        return _refuse(req, _("Your account is not active. Ask an administrator."))
    person = session.get(Person, person_id)
    if person is None:
        return _refuse(req, _("This person is not in your team's caseload."))
    if case_id is not None:
        case = session.get(Case, case_id)
        if case is None or case.person_id != person_id:
            return _refuse(req, _("This case is not one of this person's cases."))
        if service_id is not None and service_id != case.service_id:
            return _refuse(req, _("This case is for a different service."))
        req = replace(
            req,
            service_id=case.service_id if is_identifier(case.service_id) else None,
            case_target=case_scope_id(case.reference),
        )
    running = running_session(session, actor, moment)
    if running is not None:  # an assisted session walls off everything else
        outside = outside_session(running, person_id, req.service_id)
        if outside:
            return _refuse(req, outside)
    in_caseload = wall_caseload(session, actor, person)

    best: PolicyDecision | None = None
    why_not: str | None = None
    for mandate in _candidate_mandates(session, actor, person_id):
        outcome = _under_mandate(session, req, mandate, in_caseload)
        if isinstance(outcome, str):
            why_not = why_not or outcome
            continue
        if best is None or len(outcome.disclosed_categories) > len(best.disclosed_categories):
            best = outcome
    if best is not None:
        return best
    if in_caseload:
        return _grant(
            req, CASELOAD_CATEGORIES, _("In your team's caseload."), None, None, None
        ) or _refuse(
            req,
            _("Health and money information needs a mandate from the person that names it."),
        )
    return _refuse(
        req,
        why_not
        or _("This person is not in your team's caseload, and there is no mandate for you."),
    )


def _candidate_mandates(session: Session, actor: Actor, person_id: int) -> list[Mandate]:
    stmt = (
        select(Mandate)
        .where(
            Mandate.person_id == person_id,
            Mandate.status == MandateStatus.ACTIVE,
            granted_to(actor),
        )
        .order_by(Mandate.id)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(stmt))


def in_force(session: Session, mandate: Mandate, now: datetime) -> str | None:
    """None when the mandate and its parents are in force at ``now``; else why not."""
    return _in_force(session, mandate, _utc(now))


def _in_force(session: Session, mandate: Mandate, now: datetime) -> str | None:
    """None when the mandate (and every mandate it was passed on from) is in force."""
    current: Mandate | None = mandate
    for _depth in range(MAX_CHAIN):
        if current is None:
            return None
        if current.status is not MandateStatus.ACTIVE:
            return _("The mandate this one was passed on from is not active.")
        if now < current.starts_at:
            return _("Your mandate for this person has not started yet.")
        if now >= current.ends_at:
            return _("Your mandate for this person has ended.")
        if now >= current.review_at:
            return _("Your mandate for this person is overdue for review. Review it first.")
        if current.evidence_next_check is not None and now >= current.evidence_next_check:
            return _("The evidence for your mandate is due to be checked again.")
        current = session.get(Mandate, current.parent_id) if current.parent_id else None
    return _("This mandate was passed on too many times to be used.")


def _under_mandate(
    session: Session, req: _Request, mandate: Mandate, in_caseload: bool
) -> PolicyDecision | str:
    problem = _in_force(session, mandate, req.now)
    if problem:
        return problem
    scope = scope_of(mandate)
    if scope is None:
        return _("Your mandate's scope cannot be read, so it cannot be used.")
    if req.service_id is None and req.case_target is None:
        return _("Say which service or case this is for: a mandate covers named services only.")
    targeted = [
        d
        for d in scope
        if (d.service_id is not None and d.service_id == req.service_id)
        or (d.case is not None and d.case == req.case_target)
    ]
    if not targeted:
        return _("Your mandate does not cover this service.")
    allowing = [d for d in targeted if req.action in d.actions]
    if not allowing:
        return _("Your mandate does not allow you to {action} for this service.").format(
            action=scope_words.action_word(req.action)
        )
    best: PolicyDecision | None = None
    for detail in allowing:
        granted = detail.categories | (CASELOAD_CATEGORIES if in_caseload else frozenset())
        outcome = _grant(
            req,
            granted,
            _("Under mandate {id}.").format(id=mandate.id),
            mandate.id,
            mandate.version,
            detail,
        )
        if outcome and (
            best is None or len(outcome.disclosed_categories) > len(best.disclosed_categories)
        ):
            best = outcome
    return best or _("Your mandate does not include some of the information this needs.")


def _grant(
    req: _Request,
    granted: frozenset[str],
    reason: str,
    mandate_id: int | None,
    mandate_version: int | None,
    detail: ScopeDetail | None,
) -> PolicyDecision | None:
    disclosed = req.categories & granted
    redacted = req.categories - granted
    if redacted and req.action not in READ_ACTIONS:
        return None
    return PolicyDecision(
        True,
        reason,
        mandate_id,
        mandate_version,
        disclosed,
        redacted,
        detail,
        req.actor,
        req.person_id,
        req.action,
        req.service_id,
        req.case_id,
        req.categories,
    )


def _record(
    session: Session, decision: PolicyDecision, moment: datetime, kind: str = "decision"
) -> None:
    """One audit entry for a decision: ``decision`` (reaching the person's data),
    ``manage`` (a mandate's lifecycle) or ``read`` (mandates and the audit)."""
    audit.append(
        session,
        kind=kind,
        action=decision.action[:32],
        outcome="allow" if decision.allowed else "refuse",
        reason=decision.reason,
        worker_id=decision.actor.worker_id if decision.actor else None,
        person_id=decision.person_id or None,
        mandate_id=decision.mandate_id,
        mandate_version=decision.mandate_version,
        target=(decision.service_id or "")[:80],
        scope_detail=json.dumps(decision.scope_detail.to_json(), sort_keys=True)
        if decision.scope_detail
        else "",
        categories_disclosed=decision.disclosed_categories,
        at=moment,
    )


def require(
    session: Session,
    actor: Actor,
    person_id: int,
    action: str,
    service_id: str | None = None,
    categories: frozenset[str] = frozenset(),
    now: datetime | None = None,
    *,
    case_id: int | None = None,
) -> PolicyDecision:
    """``decide``, raising ``AccessRefused`` with the reason when refused."""
    decision = decide(
        session, actor, person_id, action, service_id, categories, now, case_id=case_id
    )
    if not decision.allowed:
        raise AccessRefused(decision.reason)
    return decision


def recheck(
    session: Session, decision: PolicyDecision, now: datetime | None = None
) -> PolicyDecision:
    """Right before a write: refuse unless the same answer still holds, on the same
    mandate at the same version. Audited like any decision."""
    moment = _utc(now)
    if not decision.allowed or decision.actor is None:
        raise AccessRefused(decision.reason)
    if decision.mandate_id is not None:
        current = load(session, decision.mandate_id)  # re-read; row-locked on PostgreSQL
        if current.version != decision.mandate_version:
            stale = PolicyDecision(
                False,
                _("The mandate changed since this was opened. Check it and try again."),
                decision.mandate_id,
                current.version,
                frozenset(),
                decision.categories,
                None,
                decision.actor,
                decision.person_id,
                decision.action,
                decision.service_id,
                decision.case_id,
                decision.categories,
            )
            _record(session, stale, moment)
            raise AccessRefused(stale.reason)
    again = require(
        session,
        decision.actor,
        decision.person_id,
        decision.action,
        decision.service_id,
        decision.categories,
        moment,
        case_id=decision.case_id,
    )
    if (again.mandate_id, again.mandate_version) != (
        decision.mandate_id,
        decision.mandate_version,
    ) or not again.disclosed_categories >= decision.disclosed_categories:
        raise AccessRefused(_("What you may do for this person changed. Check and try again."))
    return again


# -- managing a mandate -----------------------------------------------------------
def management_sides(session: Session, actor: Actor, mandate: Mandate) -> frozenset[Side]:
    """Which sides of ``mandate`` the actor stands on (none when their account is not active)."""
    worker = acting_worker(session, actor)
    if worker is None:
        return frozenset()
    sides = set()
    if decide_person(session, actor, mandate.person_id).allowed:
        sides.add(Side.PERSON_TEAM)
    # The helper of a mandate this one was passed on from counts as its helper
    # too: they may take back or narrow what they passed on, and never lift it.
    current: Mandate | None = mandate
    for _depth in range(MAX_CHAIN):
        if current is None:
            break
        if is_grantee(current, actor):
            sides.add(Side.HELPER)
            break
        current = session.get(Mandate, current.parent_id) if current.parent_id else None
    if worker.role is Role.ADMIN:
        sides.add(Side.ADMIN)
    return frozenset(sides)


def decide_management(
    session: Session,
    actor: Actor,
    mandate_id: int,
    action: str,
    now: datetime | None = None,
    *,
    reason: str = "",
) -> PolicyDecision:
    """May the actor take this management ``action`` on the mandate now
    (``delegation.manage_rules``)? Audited, allowed or refused; ``reason`` is
    what the worker wrote down (needed to lift a safeguarding suspension) and
    goes into the audit entry."""
    moment = _utc(now)
    mandate = session.get(Mandate, mandate_id)
    person_id = mandate.person_id if mandate is not None else 0
    decision = _decide_management(session, actor, mandate, str(action), moment, reason.strip())
    decision = replace(
        decision,
        actor=actor,
        person_id=person_id,
        action=f"manage.{action}"[:32],
        mandate_id=mandate.id if mandate is not None else None,
        mandate_version=mandate.version if mandate is not None else None,
    )
    _record(session, decision, moment, "manage")
    return decision


def _decide_management(
    session: Session,
    actor: Actor,
    mandate: Mandate | None,
    action: str,
    moment: datetime,
    written: str,
) -> PolicyDecision:
    if mandate is None:
        return PolicyDecision(False, _("There is no such mandate."))
    try:
        wanted = ManageAction(action)
    except ValueError:
        return PolicyDecision(
            False,
            _("'{action}' is not something that can be done to a mandate.").format(action=action),
        )
    if acting_worker(session, actor) is None:
        return PolicyDecision(False, _("Your account is not active. Ask an administrator."))
    running = running_session(session, actor, moment)
    if running is not None:
        outside = outside_session(running, mandate.person_id, None)
        if outside:
            return PolicyDecision(False, outside)
    facts = Facts(
        sub_delegation_allowed=mandate.sub_delegation_allowed,
        safeguarding_suspension=mandate.status is MandateStatus.SUSPENDED
        and mandate.status_reason == ReasonCode.SAFEGUARDING_CONCERN.value,
        reason_given=bool(written),
        passed_on=mandate.parent_id is not None,
    )
    answer = verdict(wanted, mandate.status, management_sides(session, actor, mandate), facts)
    if not answer.allowed:
        return PolicyDecision(False, answer.reason, refused_field=answer.refused_field)
    if wanted is ManageAction.PASS_ON:
        problem = _in_force(session, mandate, moment)
        if problem:
            return PolicyDecision(False, problem)
    said = answer.reason
    if written:
        said = f"{said} " + _("Reason given: {reason}").format(reason=written)
    return PolicyDecision(True, said)


def require_management(
    session: Session,
    actor: Actor,
    mandate_id: int,
    action: str,
    now: datetime | None = None,
    *,
    reason: str = "",
) -> PolicyDecision:
    """``decide_management``, raising ``AccessRefused`` with the reason when
    refused (beside the field, when it is about what the worker wrote)."""
    decision = decide_management(session, actor, mandate_id, action, now, reason=reason)
    if not decision.allowed:
        where = decision.refused_field
        raise AccessRefused(decision.reason, {where: decision.reason} if where else None)
    return decision


def decide_grant(
    session: Session, actor: Actor, person_id: int, now: datetime | None = None
) -> PolicyDecision:
    """May the actor record a new mandate from this person (their own team only)?
    Audited, allowed or refused. A wider scope is only ever a new grant."""
    moment = _utc(now)
    if acting_worker(session, actor) is None:
        allowed, why = False, _("Your account is not active. Ask an administrator.")
    else:
        running = running_session(session, actor, moment)
        outside = outside_session(running, person_id, None) if running is not None else None
        caseload = decide_person(session, actor, person_id)
        if outside:
            allowed, why = False, outside
        elif not caseload.allowed:
            allowed, why = (
                False,
                _(
                    "This person is not in your team's caseload: only their own team can "
                    "record a mandate from them. Ask that team, or refer the person to them."
                ),
            )
        else:
            allowed, why = True, caseload.reason
    decision = PolicyDecision(allowed, why, actor=actor, person_id=person_id, action="manage.grant")
    _record(session, decision, moment, "manage")
    return decision


def require_grant(
    session: Session, actor: Actor, person_id: int, now: datetime | None = None
) -> PolicyDecision:
    """``decide_grant``, raising ``AccessRefused`` when refused."""
    decision = decide_grant(session, actor, person_id, now)
    if not decision.allowed:
        raise AccessRefused(decision.reason)
    return decision


# -- reading mandates and the audit -----------------------------------------------
READS = frozenset({"mandates", "audit", "acting", "acted_for", "receipt"})
LIVE_STATES = (MandateStatus.ACTIVE, MandateStatus.SUSPENDED)


@dataclass(frozen=True)
class ReadDecision:
    """May the actor read a person's mandates or audit, and how much of it.

    The person's own team sees ``everything``; a helper sees only the live
    mandates in ``mandate_ids`` (to them or their team) and, of the audit,
    only the entries of their own actions (``worker_id``) under them."""

    allowed: bool
    reason: str
    everything: bool = False
    mandate_ids: frozenset[int] = frozenset()
    worker_id: int | None = None


def decide_read(
    session: Session,
    actor: Actor,
    person_id: int,
    what: str,
    now: datetime | None = None,
    *,
    mandate_id: int | None = None,
) -> ReadDecision:
    """Decide a read of the person's ``mandates``, ``audit``, the ``acting``
    mandate (the banner), the ``acted_for`` report or one mandate's consent
    ``receipt`` (``mandate_id``); audited either way."""
    moment = _utc(now)
    decision = _decide_read(session, actor, person_id, what, moment)
    if (
        decision.allowed
        and mandate_id is not None
        and not decision.everything
        and mandate_id not in decision.mandate_ids
    ):
        decision = ReadDecision(
            False,
            _(
                "You can see only your own mandates, and only while they last. "
                "Ask the person's own team."
            ),
        )
    _record(
        session,
        PolicyDecision(
            decision.allowed,
            decision.reason,
            actor=actor,
            person_id=person_id,
            action=f"read.{what}"[:32],
            mandate_id=mandate_id,
        ),
        moment,
        "read",
    )
    return decision


def _decide_read(
    session: Session, actor: Actor, person_id: int, what: str, moment: datetime
) -> ReadDecision:
    if what not in READS:
        return ReadDecision(False, _("Alongside does not know that kind of reading."))
    if acting_worker(session, actor) is None:
        return ReadDecision(False, _("Your account is not active. Ask an administrator."))
    running = running_session(session, actor, moment)
    if running is not None:
        outside = outside_session(running, person_id, None)
        if outside:
            return ReadDecision(False, outside)
    if decide_person(session, actor, person_id).allowed:
        return ReadDecision(True, _("In your team's caseload."), everything=True)
    if what == "acted_for":
        return ReadDecision(
            False,
            _(
                "The report of who acted for a person is for the person. "
                "Their own team prints it for them."
            ),
        )
    live = frozenset(
        session.scalars(
            select(Mandate.id).where(
                Mandate.person_id == person_id,
                granted_to(actor),
                Mandate.status.in_(LIVE_STATES),
                Mandate.starts_at <= moment,
                Mandate.ends_at > moment,
            )
        )
    )
    if not live:
        return ReadDecision(
            False,
            _(
                "You can see this person's mandates only while one of them names you. "
                "Ask the person's own team."
            ),
        )
    return ReadDecision(
        True,
        _("You are the helper named in a mandate from this person."),
        mandate_ids=live,
        worker_id=actor.worker_id,
    )


def require_read(
    session: Session,
    actor: Actor,
    person_id: int,
    what: str,
    now: datetime | None = None,
    *,
    mandate_id: int | None = None,
) -> ReadDecision:
    """``decide_read``, raising ``AccessRefused`` with the reason when refused."""
    decision = decide_read(session, actor, person_id, what, now, mandate_id=mandate_id)
    if not decision.allowed:
        raise AccessRefused(decision.reason)
    return decision


def audit_visible(decision: ReadDecision, entry: AuditEntry) -> bool:
    """Is this audit entry within what the read decision lets the actor see?"""
    if decision.everything:
        return True
    return (
        decision.allowed
        and entry.worker_id == decision.worker_id
        and entry.mandate_id in decision.mandate_ids
    )


# -- the assisted-session wall ----------------------------------------------------
def require_own_session(
    session: Session, actor: Actor, session_id: int, action: str, now: datetime | None = None
) -> AssistedSession:
    """The assisted session, when it is the actor's own; otherwise refused with
    ``AccessRefused``. Audited either way (``session.<action>``)."""
    moment = _utc(now)
    row = session.get(AssistedSession, session_id)
    if acting_worker(session, actor) is None:
        allowed, why = False, _("Your account is not active. Ask an administrator.")
    elif row is None or row.worker_id != actor.worker_id:
        allowed, why = False, _("There is no such assisted session on your account.")
    else:
        allowed, why = True, _("Your own assisted session.")
    decision = PolicyDecision(
        allowed,
        why,
        mandate_id=row.mandate_id if row is not None else None,
        actor=actor,
        person_id=row.person_id if row is not None else 0,
        action=f"session.{action}"[:32],
    )
    _record(session, decision, moment, "manage")
    if not allowed or row is None:
        raise AccessRefused(why)
    return row
