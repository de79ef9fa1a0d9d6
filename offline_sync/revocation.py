"""What ending a mandate does to the work done under it.

``revoke`` revokes a mandate (and, with it, every mandate passed on from it)
and, in the same transaction:

- **queued outbox items** created under any of them are cancelled, unless
  the mandate's work-in-progress rule is ``finish_queued`` (GNAP's
  "durable"), in which case they may still be sent and the case says so;
- **items already sent** (or being sent) are flagged on the case timeline:
  the platform has them, so the worker must tell the service;
- **drafts** made under them freeze by themselves (``casework.forms.drafts``
  looks at the mandate on every save and send).

``review_mandate`` records a review (``delegation.review``); a review that
ends the mandate has the same effects as revoking it.

``sweep`` runs at start-up: it expires mandates past their end date, lapses
those unused for six months, and applies the same effects to both.

It lives with the outbox, a layer above ``delegation``, because what it
changes is queued work: ``delegation`` ends the mandate (``mandates.revoke``,
``expire_due``, ``lapse_unused``) and knows nothing of the outbox. The sync
engine also refuses, when it claims them, items of a mandate that is no
longer active (``offline_sync.mandate_check``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.kernel import timeline
from casework.kernel.i18n import N_
from casework.kernel.models import utcnow
from casework.kernel.records import Actor
from delegation import mandate_actions, mandates, review
from delegation.audit import ReasonCode
from delegation.models import Mandate
from delegation.records import Effects, MandateStatus, WorkInProgress
from delegation.reminders import lapse_unused
from delegation.scope import Scope
from offline_sync.models import OutboxItem
from offline_sync.outbox import cancel
from offline_sync.records import OutboxState

ALREADY_GONE = frozenset({OutboxState.SENDING, OutboxState.SENT, OutboxState.DELIVERED})
ENDED = frozenset({MandateStatus.REVOKED, MandateStatus.REJECTED, MandateStatus.EXPIRED})
STOPPABLE = frozenset({OutboxState.QUEUED, OutboxState.NEEDS_ATTENTION, OutboxState.FAILED})


def _descendants(session: Session, root_id: int) -> list[int]:
    found = [root_id]
    frontier = [root_id]
    while frontier:
        children = list(session.scalars(select(Mandate.id).where(Mandate.parent_id.in_(frontier))))
        found += children
        frontier = children
    return found


def _with_descendants(session: Session, roots: Iterable[int]) -> set[int]:
    """The roots and every mandate passed on from them, at any depth."""
    return {mid for root in roots for mid in _descendants(session, root)}


def apply_effects(
    session: Session, mandate_ids: Iterable[int], now: datetime | None = None
) -> Effects:
    """Cancel, leave or flag the outbox items of mandates that have ended."""
    moment = now or utcnow()
    ids = sorted(set(mandate_ids))
    if not ids:
        return Effects()
    rules = {
        row.id: row.work_in_progress
        for row in session.execute(
            select(Mandate.id, Mandate.work_in_progress).where(Mandate.id.in_(ids))
        )
    }
    items = session.scalars(
        select(OutboxItem).where(OutboxItem.mandate_id.in_(ids)).order_by(OutboxItem.created_at)
    ).all()
    cancelled: list[str] = []
    left: list[str] = []
    flagged: list[str] = []
    for item in items:
        assert item.mandate_id is not None
        if item.state in STOPPABLE:
            if rules.get(item.mandate_id) is WorkInProgress.FINISH_QUEUED:
                left.append(item.id)
                summary = N_(
                    "The mandate this was sent under has ended; as the person agreed, "
                    "what was already queued will still be delivered."
                )
                kind = "mandate_ended_finishing"
            else:
                cancel(session, item.id, moment)
                cancelled.append(item.id)
                summary = N_(
                    "Not sent: the mandate it was made under has ended, so it was cancelled."
                )
                kind = "mandate_ended_cancelled"
        elif item.state in ALREADY_GONE:
            flagged.append(item.id)
            summary = N_(
                "Already sent under a mandate that has now ended. Tell the service if "
                "the person does not want it to go ahead."
            )
            kind = "mandate_ended_sent"
        else:
            continue
        if item.case_id is not None:
            timeline.record(session, item.case_id, kind, timeline.line(summary), None)
    return Effects(tuple(ids), tuple(cancelled), tuple(left), tuple(flagged))


def revoke(
    session: Session,
    actor: Actor,
    mandate_id: int,
    code: ReasonCode,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Effects:
    """Revoke a mandate and its sub-mandates, and stop their queued work."""
    moment = now or utcnow()
    mandates.revoke(session, actor, mandate_id, code, expected_version=expected_version, now=moment)
    return apply_effects(session, _ended_now(session, [mandate_id], moment), moment)


def revoke_mandate(
    session: Session, actor: Actor, mandate_id: int, expected_version: int, reason_code: str
) -> int:
    """The window's revoke (the one door: sub-mandates fall too, queued work
    stops unless the person agreed it may finish, sent work is flagged); the
    mandate's new version."""
    code = mandate_actions.reason(reason_code)
    revoke(session, actor, mandate_id, code, expected_version=expected_version)
    return mandates.load(session, mandate_id, for_update=False).version


def review_mandate(
    session: Session,
    actor: Actor,
    mandate_id: int,
    expected_version: int,
    outcome: str,
    next_review_at: datetime | None = None,
    scope: Scope | None = None,
) -> int:
    """The window's review: kept, narrowed or ended (then as ``revoke_mandate``
    for the work done under it); the mandate's new version."""
    moment = utcnow()
    mandate = review.record_review(
        session, actor, mandate_id, expected_version, outcome,
        next_review_at=next_review_at, scope=scope, now=moment,
    )  # fmt: skip
    if mandate.status is MandateStatus.REVOKED:
        apply_effects(session, _ended_now(session, [mandate_id], moment), moment)
    return mandate.version


def _ended_now(session: Session, roots: Iterable[int], moment: datetime) -> list[int]:
    """The roots and their descendants that ended at ``moment`` (not earlier:
    their work was dealt with then)."""
    ids = _with_descendants(session, roots)
    if not ids:
        return []
    return list(
        session.scalars(
            select(Mandate.id).where(
                Mandate.id.in_(sorted(ids)),
                Mandate.status.in_(ENDED),
                Mandate.status_changed_at == moment,
            )
        )
    )


def sweep(session: Session, now: datetime | None = None) -> Effects:
    """At start-up: expire mandates past their end, lapse unused ones, and stop
    their queued work (decisions refuse them already; this tidies up)."""
    moment = now or utcnow()
    expired = mandates.expire_due(session, moment)
    lapsed = lapse_unused(session, moment)
    ended = set(_ended_now(session, [*expired, *lapsed], moment))
    # Children of an ended parent are refused at once; their work stops too.
    ended |= _with_descendants(session, [*expired, *lapsed])
    effects = apply_effects(session, ended, moment)
    return Effects(
        effects.mandate_ids,
        effects.cancelled,
        effects.left_to_finish,
        effects.flagged,
        tuple(expired),
        tuple(lapsed),
    )
