"""Handing a case over to another team or organisation, with the person's consent.

A referral carries only the summary the person agreed to share. Until the
receiving team accepts, that summary is all they can read: the case, the
person's record and the forms stay behind the policy wall (the person is not
in their caseload and no mandate names them). On acceptance the referring
worker's authority is used to **grant a new mandate** to the receiving team
through ``delegation.mandates.grant`` (with the consent recorded at referral
and then activated), so every step is a mandate event in the audit chain;
nothing is copied silently. A rejection carries a reason back to the sender.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.escalation.models import Referral
from casework.escalation.records import ReferralRecord, ReferralStatus
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, EditConflict, InvalidInput, NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Case, Team, Worker, utcnow
from casework.kernel.records import Actor
from casework.kernel.validators import require_text
from delegation import audit, mandates, policy
from delegation.caseload import require_case
from delegation.records import Basis, ConsentMethod
from delegation.scope import ACTIONS, CATEGORIES, SENSITIVE_CATEGORIES, ScopeDetail, make_scope

MAX_SUMMARY = 2000
MANDATE_DAYS = 180


def _audit(session: Session, actor: Actor, referral: Referral, action: str, reason: str) -> None:
    audit.append(
        session,
        kind="referral",
        action=action,
        outcome="allow",
        reason=reason,
        worker_id=actor.worker_id,
        person_id=referral.person_id,
        mandate_id=referral.mandate_id,
        target=f"team:{referral.to_team_id}",
    )


def teams(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The teams a case can be referred to (every team but the actor's own)."""
    rows = session.execute(select(Team.id, Team.name).where(Team.id != actor.team_id))
    return [(r.id, r.name) for r in rows.all()]


def refer(
    session: Session,
    actor: Actor,
    case_id: int,
    to_team_id: int,
    summary: str,
    consent_note: str,
    now: datetime | None = None,
) -> int:
    """Offer a case to another team; only ``summary`` goes with it."""
    require_text({"summary": summary, "consent": consent_note})
    case = require_case(session, actor, case_id)
    errors: dict[str, str] = {}
    if to_team_id == actor.team_id or session.get(Team, to_team_id) is None:
        errors["team"] = _("Choose another team to refer the case to.")
    if not summary.strip():
        errors["summary"] = _("Write the summary the person agreed to share.")
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = _("Keep the summary to {n} characters or fewer.").format(n=MAX_SUMMARY)
    if not consent_note.strip():
        errors["consent"] = _(
            "Say how the person agreed to the referral, for example 'in person today'."
        )
    if errors:
        raise InvalidInput(errors)
    policy.require(session, actor, case.person_id, "contact", now=now, case_id=case_id)
    referral = Referral(
        case_id=case.id,
        person_id=case.person_id,
        from_team_id=actor.team_id,
        to_team_id=to_team_id,
        summary=summary.strip(),
        consent_note=consent_note.strip(),
        status=ReferralStatus.OFFERED,
        decision_reason="",
        created_by_id=actor.worker_id,
        created_at=now or utcnow(),
    )
    session.add(referral)
    session.flush()
    team = session.get(Team, to_team_id)
    assert team is not None
    timeline.record(
        session,
        case.id,
        "referred",
        timeline.line(N_("Referred to {team}."), team=team.name),
        actor,
    )
    _audit(session, actor, referral, "refer", _("Referral offered with the agreed summary."))
    return referral.id


def _record(session: Session, referral: Referral) -> ReferralRecord:
    case = session.get(Case, referral.case_id)
    sender = session.get(Team, referral.from_team_id)
    receiver = session.get(Team, referral.to_team_id)
    assert case is not None and sender is not None and receiver is not None
    return ReferralRecord(
        id=referral.id,
        version=referral.version,
        case_reference=case.reference,
        from_team=sender.name,
        to_team=receiver.name,
        summary=referral.summary,
        status=referral.status,
        decision_reason=referral.decision_reason,
        created_at=referral.created_at,
    )


def incoming(session: Session, actor: Actor) -> list[ReferralRecord]:
    """Referrals offered to the actor's team: the agreed summary and nothing else."""
    rows = session.scalars(
        select(Referral)
        .where(Referral.to_team_id == actor.team_id, Referral.status == ReferralStatus.OFFERED)
        .order_by(Referral.created_at, Referral.id)
    )
    return [_record(session, r) for r in rows]


def outgoing(session: Session, actor: Actor, case_id: int) -> list[ReferralRecord]:
    require_case(session, actor, case_id)
    rows = session.scalars(
        select(Referral).where(Referral.case_id == case_id).order_by(Referral.id.desc())
    )
    return [_record(session, r) for r in rows]


def _offered_to(
    session: Session, actor: Actor, referral_id: int, expected_version: int
) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None or referral.to_team_id != actor.team_id:
        raise NotFound(_("This referral is not one offered to your team."))
    if referral.version != expected_version:
        raise EditConflict(_("Someone in your team has already answered this referral."))
    if referral.status is not ReferralStatus.OFFERED:
        raise InvalidInput({"status": _("This referral has already been answered.")})
    return referral


def _decide(
    session: Session,
    actor: Actor,
    referral: Referral,
    status: ReferralStatus,
    moment: datetime,
    kind: str,
    summary: timeline.Line,
    action: str,
    reason: str,
) -> None:
    """Record the receiving team's answer: on the referral, the case timeline
    (``kind``, ``summary``) and the audit chain (``action``, ``reason``)."""
    referral.status = status
    referral.decided_by_id = actor.worker_id
    referral.decided_at = moment
    session.flush()
    timeline.record(session, referral.case_id, kind, summary, actor)
    _audit(session, actor, referral, action, reason)


def accept(
    session: Session,
    actor: Actor,
    referral_id: int,
    expected_version: int,
    now: datetime | None = None,
) -> int:
    """Accept: a new mandate is granted to the receiving team; returns its id."""
    from casework.kernel.accounts import actor_for

    moment = now or utcnow()
    referral = _offered_to(session, actor, referral_id, expected_version)
    case = session.get(Case, referral.case_id)
    sender = session.get(Worker, referral.created_by_id)
    assert case is not None
    if sender is None or not sender.active:
        raise AccessRefused(
            _("The worker who made the referral can no longer sign in. Ask them to refer again.")
        )
    referrer = actor_for(sender)
    scope = make_scope(
        [
            ScopeDetail(
                service_id=case.service_id,
                actions=ACTIONS,
                categories=CATEGORIES - SENSITIVE_CATEGORIES,
            )
        ]
    )
    mandate = mandates.grant(
        session,
        referrer,
        person_id=referral.person_id,
        basis=Basis.CONSENT,
        scope=scope,
        ends_at=moment + timedelta(days=MANDATE_DAYS),
        grantee_team_id=actor.team_id,
        now=moment,
    )
    mandates.record_consent(
        session,
        referrer,
        mandate.id,
        method=ConsentMethod.IN_PERSON,
        task_list_shown=referral.summary,
        seen_alone=True,
        safeguarding_answers=dict(mandates.SAFEGUARDING_QUESTIONS),
        witness=referral.consent_note,
        now=moment,
    )
    mandates.activate(session, actor, mandate.id, now=moment)
    referral.mandate_id = mandate.id
    _decide(
        session,
        actor,
        referral,
        ReferralStatus.ACCEPTED,
        moment,
        "referral_accepted",
        timeline.line(
            N_("{team} accepted the referral and can now act for the person."),
            team=actor.team_name,
        ),
        "accept_referral",
        _("Referral accepted; mandate granted."),
    )
    return mandate.id


def reject(
    session: Session,
    actor: Actor,
    referral_id: int,
    expected_version: int,
    reason: str,
    now: datetime | None = None,
) -> None:
    """Reject with a reason the sender will see on the case."""
    require_text({"reason": reason})
    referral = _offered_to(session, actor, referral_id, expected_version)
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why, so the referring team can find someone else.")})
    referral.decision_reason = reason.strip()
    _decide(
        session,
        actor,
        referral,
        ReferralStatus.REJECTED,
        now or utcnow(),
        "referral_rejected",
        timeline.line(
            N_("{team} could not take the referral: {reason}"),
            team=actor.team_name,
            reason=referral.decision_reason,
        ),
        "reject_referral",
        referral.decision_reason,
    )
