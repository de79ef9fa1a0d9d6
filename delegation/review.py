"""Reviewing a mandate: looking at it again with the person by its review date.

A review has one of three outcomes (``ReviewOutcome``):

- *kept*: it carries on as it is, with a new review date inside the mandate
  (a review never extends the end date: that is a renewal, with the person);
- *narrowed*: it carries on doing less (the new scope must narrow the old
  one), with a new review date as for *kept*;
- *ended*: it is revoked, and every mandate passed on from it with it.

Each review is one lifecycle entry in the audit chain, action ``review``,
reason code ``reviewed``, with the outcome as the entry's reason. The
permission and version check is ``mandates.managed``'s, as for every
management action (only the person's own team records a review, decision
0025); a narrowing cuts down what was passed on from the mandate too.

``reviews_due`` lists the live mandates of people in the worker's team
caseload whose review date is within 14 days or already past.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.kernel.errors import InvalidInput
from casework.kernel.i18n import _
from casework.kernel.models import Person
from casework.kernel.records import Actor
from delegation import audit, mandates
from delegation.audit import ReasonCode
from delegation.caseload import in_caseload
from delegation.listing import record
from delegation.manage_rules import ManageAction
from delegation.models import Mandate
from delegation.records import MandateRecord
from delegation.scope import Scope, narrows, scope_from_json, scope_to_json

REVIEW_AHEAD = timedelta(days=14)


class ReviewOutcome(enum.StrEnum):
    KEPT = "kept"
    NARROWED = "narrowed"
    ENDED = "ended"


def _outcome(value: str) -> ReviewOutcome:
    try:
        return ReviewOutcome(value)
    except ValueError as exc:
        raise InvalidInput({"outcome": _("Choose what the review decided.")}) from exc


def _next_review(mandate: Mandate, next_review_at: datetime | None, moment: datetime) -> datetime:
    if next_review_at is None:
        raise InvalidInput({"review_at": _("Choose the date of the next review.")})
    review = mandates.aware(next_review_at, "review_at")
    if not moment < review <= mandate.ends_at:
        raise InvalidInput(
            {"review_at": _("The next review must be after today and no later than the end date.")}
        )
    return review


def record_review(
    session: Session,
    actor: Actor,
    mandate_id: int,
    expected_version: int,
    outcome: str,
    *,
    next_review_at: datetime | None = None,
    scope: Scope | None = None,
    now: datetime | None = None,
) -> Mandate:
    """Record a review of a live mandate: kept, narrowed or ended (see the module)."""
    chosen = _outcome(outcome)
    mandate, moment = mandates.managed(
        session, actor, mandate_id, expected_version, now, action=ManageAction.REVIEW
    )
    if mandate.status not in mandates.LIVE:
        raise InvalidInput({"status": _("Only an active or suspended mandate can be reviewed.")})
    if chosen is ReviewOutcome.ENDED:
        mandates.revoke(
            session, actor, mandate.id, ReasonCode.REVIEWED, expected_version=expected_version,
            now=moment,
        )  # fmt: skip
    else:
        review = _next_review(mandate, next_review_at, moment)
        if chosen is ReviewOutcome.NARROWED:
            current = scope_from_json(mandate.scope)
            if not scope or not narrows(scope, current) or set(scope) == set(current):
                raise InvalidInput(
                    {"scope": _("Untick at least one thing, and add nothing new, to narrow it.")}
                )
            mandate.scope = scope_to_json(scope)
        mandate.review_at = review
        mandate.flagged_for_review = False
        session.flush()  # bumps the version
        if chosen is ReviewOutcome.NARROWED and scope:
            mandates.fit_passed_on(session, actor, mandate, scope, moment)
    audit.append(
        session,
        kind="lifecycle",
        action="review",
        outcome="allow",
        reason=chosen.value,
        reason_code=ReasonCode.REVIEWED.value,
        worker_id=actor.worker_id,
        person_id=mandate.person_id,
        mandate_id=mandate.id,
        mandate_version=mandate.version,
        scope_detail=mandate.scope,
        at=moment,
    )
    return mandate


def reviews_due(session: Session, actor: Actor, now: datetime | None = None) -> list[MandateRecord]:
    """Live mandates of people in the actor's team caseload whose review date
    is within 14 days or past, the most overdue first."""
    moment = mandates.utc_moment(now)
    if mandates.acting_worker(session, actor) is None:
        return []
    rows = session.scalars(
        select(Mandate)
        .join(Person, Person.id == Mandate.person_id)
        .where(
            in_caseload(actor),
            Mandate.status.in_(mandates.LIVE),
            Mandate.ends_at > moment,
            Mandate.review_at <= moment + REVIEW_AHEAD,
        )
        .order_by(Mandate.review_at, Mandate.id)
    )
    return [record(session, m) for m in rows]
