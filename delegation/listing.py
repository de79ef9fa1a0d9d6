"""Reading mandates and the audit for the screens, and renewing a mandate.

Every read here is a policy decision (``policy.decide_read``), audited
allowed or refused: the person's own team sees every mandate and the whole
audit; a helper sees only their own live mandates and the entries of their
own actions under them, and nothing once those end. ``acting_mandate`` finds
the mandate the signed-in worker is acting under, in force now, for the
"Acting for" banner.
``renew`` gives a live mandate a new end date, capped for its basis from
today (an emergency or an assisted session is never renewed: a proper basis
or a new session must follow).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.kernel.errors import InvalidInput
from casework.kernel.i18n import _
from casework.kernel.models import Person, Team, Worker
from casework.kernel.records import Actor
from delegation import mandates, policy
from delegation.audit import ReasonCode
from delegation.manage_rules import ManageAction
from delegation.models import AuditEntry, Mandate
from delegation.records import AuditRecord, Basis, MandateRecord, MandateStatus
from delegation.scope_words import describe

NOT_RENEWABLE = frozenset({Basis.EMERGENCY, Basis.ASSISTED_SESSION})


def _grantee_name(session: Session, mandate: Mandate) -> str:
    if mandate.grantee_worker_id is not None:
        worker = session.get(Worker, mandate.grantee_worker_id)
        return worker.display_name if worker else "?"
    team = session.get(Team, mandate.grantee_team_id)
    return team.name if team else "?"


def record(session: Session, mandate: Mandate) -> MandateRecord:
    person = session.get(Person, mandate.person_id)
    scope = mandates.scope_of(mandate) or ()
    return MandateRecord(
        id=mandate.id,
        version=mandate.version,
        person_id=mandate.person_id,
        person_name=f"{person.given_name} {person.family_name}" if person else "",
        grantee=_grantee_name(session, mandate),
        basis=mandate.basis,
        status=mandate.status,
        status_reason=mandate.status_reason,
        starts_at=mandate.starts_at,
        ends_at=mandate.ends_at,
        review_at=mandate.review_at,
        scope=scope,
        task_list=describe(scope) if scope else "",
        evidence_reference=mandate.evidence_reference,
        longest_days=mandates.MAX_DURATION[mandate.basis].days,
        parent_id=mandate.parent_id,
        sub_delegation_allowed=mandate.sub_delegation_allowed,
        grantee_worker_id=mandate.grantee_worker_id,
        grantee_team_id=mandate.grantee_team_id,
    )


def _grantee_mandates(session: Session, actor: Actor, person_id: int) -> list[Mandate]:
    return list(
        session.scalars(
            select(Mandate)
            .where(
                Mandate.person_id == person_id,
                mandates.granted_to(actor),
            )
            .order_by(Mandate.id)
        )
    )


def person_mandates(
    session: Session, actor: Actor, person_id: int, now: datetime | None = None
) -> list[MandateRecord]:
    """The person's mandates the actor may see, newest first: all of them for
    the person's own team, only the helper's own live ones for a helper."""
    seen = policy.require_read(session, actor, person_id, "mandates", now)
    stmt = select(Mandate).where(Mandate.person_id == person_id)
    if not seen.everything:
        stmt = stmt.where(Mandate.id.in_(sorted(seen.mandate_ids)))
    rows = session.scalars(stmt.order_by(Mandate.id.desc()))
    return [record(session, m) for m in rows]


def acting_mandate(
    session: Session, actor: Actor, person_id: int, now: datetime | None = None
) -> MandateRecord | None:
    """The active, in-force mandate to this worker (or their team), newest first."""
    moment = mandates.utc_moment(now)
    policy.require_read(session, actor, person_id, "acting", moment)
    for mandate in reversed(_grantee_mandates(session, actor, person_id)):
        if (
            mandate.status is MandateStatus.ACTIVE
            and policy.in_force(session, mandate, moment) is None
        ):
            return record(session, mandate)
    return None


def person_audit(
    session: Session,
    actor: Actor,
    person_id: int,
    limit: int = 500,
    now: datetime | None = None,
) -> list[AuditRecord]:
    """The person's audit entries the actor may see, newest first: who did
    what, when, the outcome. The person's own team sees every entry; a helper
    only their own actions under their live mandates."""
    seen = policy.require_read(session, actor, person_id, "audit", now)
    stmt = select(AuditEntry).where(AuditEntry.person_id == person_id)
    if not seen.everything:
        stmt = stmt.where(
            AuditEntry.worker_id == seen.worker_id,
            AuditEntry.mandate_id.in_(sorted(seen.mandate_ids)),
        )
    entries = session.scalars(stmt.order_by(AuditEntry.seq.desc()).limit(limit)).all()
    rows = session.execute(
        select(Worker.id, Worker.display_name).where(
            Worker.id.in_({e.worker_id for e in entries if e.worker_id is not None})
        )
    )
    names: dict[int, str] = {worker_id: name for worker_id, name in rows}
    return [
        AuditRecord(
            seq=e.seq,
            at=e.at,
            worker=names.get(e.worker_id, _("Alongside")) if e.worker_id else _("Alongside"),
            action=e.action,
            target=e.target,
            outcome=e.outcome,
            reason=e.reason,
            mandate_id=e.mandate_id,
        )
        for e in entries
    ]


def renew(
    session: Session,
    actor: Actor,
    mandate_id: int,
    ends_at: datetime,
    *,
    person_agreed: bool = False,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Mandate:
    """A new end date (and review date) for an active or suspended mandate.

    On the consent basis the person must have agreed to carry on (consent
    goes stale; renewing is asking again, not extending silently)."""
    mandate, moment = mandates.managed(
        session, actor, mandate_id, expected_version, now, action=ManageAction.RENEW
    )
    if mandate.basis in NOT_RENEWABLE:
        raise InvalidInput({"ends_at": _("A mandate on this basis cannot be renewed.")})
    if mandate.basis is Basis.CONSENT and not person_agreed:
        raise InvalidInput(
            {
                "person_agreed": _(
                    "Ask the person whether they agree to carry on, and tick the box "
                    "only if they do."
                )
            }
        )
    end = mandates.aware(ends_at, "ends_at")
    longest = mandates.MAX_DURATION[mandate.basis]
    if end <= moment:
        raise InvalidInput({"ends_at": _("The new end must be in the future.")})
    if end - moment > longest:
        raise InvalidInput(
            {
                "ends_at": _(
                    "A mandate on this basis can be renewed for at most {days} days from today. "
                    "Choose an earlier end date."
                ).format(days=longest.days)
            }
        )
    if mandate.parent_id is not None:
        parent = mandates.load(session, mandate.parent_id)
        if end > parent.ends_at:
            raise InvalidInput({"ends_at": _("A passed-on mandate must end when its parent ends.")})
    mandate.ends_at = end
    mandate.review_at = end
    mandate.status_changed_at = moment
    session.flush()  # bumps the version
    mandates.audit_lifecycle(session, actor, mandate, "renew", ReasonCode.REVIEWED, moment)
    return mandate
