"""Recording why help was needed, the time spent and the outcome, on a case.

Each function is a core action ``f(session, actor, ...)``: it asks the policy
decision on the case first (audited, refused outside the caseload or the
mandate), validates, writes, and puts a plain line on the timeline. A note
is free text, so a pick with a note needs the case's "other" category, as a
case note does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.casefile.access import CASE_CATEGORIES, load_case
from casework.escalation.models import Escalation
from casework.kernel import timeline
from casework.kernel.errors import InvalidInput
from casework.kernel.i18n import N_, _
from casework.kernel.models import FormDraft, Submission, Worker, utcnow
from casework.kernel.records import Actor
from casework.performance.models import CaseOutcomeRow, CaseTime, DemandReason, DemandRecord
from casework.performance.reasons import (
    OUTCOME_WORDS,
    REASON_WORDS,
    REASONS,
    CaseOutcome,
    Moment,
    Reason,
)
from casework.performance.records import CaseDemand, DemandPick
from delegation.scope import Action
from delegation.session_models import AssistedSession

MAX_NOTE_LENGTH = 200
MAX_MINUTES = 600  # ten hours at one go: more is a typing slip
PAPER_ROUTES = frozenset({"paper", "paper_letter", "paper_print"})


def _clean_reasons(reasons: Sequence[str]) -> tuple[Reason, ...]:
    picked: set[Reason] = set()
    for key in reasons:
        try:
            picked.add(Reason(key))
        except ValueError:
            raise InvalidInput(
                {"reasons": _("That reason is not on the list. Pick from the list shown.")}
            ) from None
    if not picked:
        raise InvalidInput({"reasons": _("Pick at least one reason, or skip.")})
    return tuple(r for r in REASONS if r in picked)


def clean_note(note: str) -> str:
    """The note tidied, or ``InvalidInput`` saying how long it may be."""
    text = " ".join(note.split())
    if len(text) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            {
                "note": _(
                    "This note is {n} characters long; keep it to {max}. "
                    "Write anything longer as a case note."
                ).format(n=len(text), max=MAX_NOTE_LENGTH)
            }
        )
    return text


def _clean_minutes(minutes: int) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput(
            {
                "minutes": _("Enter the minutes spent as a whole number from 1 to {max}.").format(
                    max=MAX_MINUTES
                )
            }
        )
    return minutes


def _reasons_line(reasons: Sequence[Reason]) -> timeline.Line:
    words = [timeline.line(REASON_WORDS[r]) for r in reasons]
    joined = words[-1]
    for word in reversed(words[:-1]):
        joined = timeline.line(N_("{first}; {rest}"), first=word, rest=joined)
    return joined


def record_reasons(
    session: Session,
    actor: Actor,
    case_id: int,
    reasons: Sequence[str],
    *,
    moment: str = Moment.LATER.value,
    note: str = "",
    draft_id: int | None = None,
    assisted_session_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Record why help was needed (one or more keys of ``Reason``) at
    ``moment``, optionally for a form draft or an assisted session of the
    case; returns the pick's id."""
    clean = clean_note(note) if isinstance(note, str) else ""
    case, _decision = load_case(
        session, actor, case_id, Action.DRAFT, CASE_CATEGORIES if clean else frozenset(), now
    )
    picked = _clean_reasons(reasons)
    try:
        when = Moment(moment)
    except ValueError:
        raise InvalidInput({"moment": _("Say when the reasons were picked.")}) from None
    submission_id = None
    if draft_id is not None:
        draft = session.get(FormDraft, draft_id)
        if draft is None or draft.case_id != case_id:
            raise InvalidInput({"draft": _("That form is not on this case.")})
        submission_id = session.scalar(select(Submission.id).where(Submission.draft_id == draft_id))
    if assisted_session_id is not None:
        row = session.get(AssistedSession, assisted_session_id)
        if row is None or row.case_id != case_id:
            raise InvalidInput({"session": _("That assisted session is not on this case.")})
    record = DemandRecord(
        case_id=case_id,
        service_id=case.service_id,
        moment=when.value,
        draft_id=draft_id,
        submission_id=submission_id,
        assisted_session_id=assisted_session_id,
        note=clean,
        recorded_by_id=actor.worker_id,
        recorded_at=now or utcnow(),
    )
    session.add(record)
    session.flush()
    session.add_all(DemandReason(record_id=record.id, reason=r.value) for r in picked)
    if clean:
        summary = timeline.line(
            N_("Why help was needed: {reasons}. Note: {note}"),
            reasons=_reasons_line(picked),
            note=clean,
        )
    else:
        summary = timeline.line(N_("Why help was needed: {reasons}"), reasons=_reasons_line(picked))
    timeline.record(session, case_id, "demand_recorded", summary, actor)
    return record.id


def add_time(
    session: Session,
    actor: Actor,
    case_id: int,
    minutes: int,
    *,
    assisted_session_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Add ``minutes`` spent helping on the case; returns the case's total."""
    load_case(session, actor, case_id, Action.DRAFT, frozenset(), now)
    clean = _clean_minutes(minutes)
    session.add(
        CaseTime(
            case_id=case_id,
            minutes=clean,
            assisted_session_id=assisted_session_id,
            added_by_id=actor.worker_id,
            added_at=now or utcnow(),
        )
    )
    session.flush()
    timeline.record(
        session,
        case_id,
        "time_added",
        timeline.line(N_("Time spent helping: {minutes} minutes added"), minutes=clean),
        actor,
    )
    return _minutes(session, case_id)


def set_outcome(
    session: Session,
    actor: Actor,
    case_id: int,
    outcome: str,
    on: date | None = None,
    *,
    now: datetime | None = None,
) -> None:
    """Set how the case ended for the person (sent, on paper, escalated,
    abandoned) and on which day (today when not given)."""
    load_case(session, actor, case_id, Action.DRAFT, frozenset(), now)
    try:
        chosen = CaseOutcome(outcome)
    except ValueError:
        raise InvalidInput({"outcome": _("Choose an outcome from the list.")}) from None
    moment = now or utcnow()
    day = on or moment.date()
    if day > moment.date():
        raise InvalidInput({"outcome_on": _("The outcome's date cannot be in the future.")})
    row = session.get(CaseOutcomeRow, case_id)
    if row is None:
        row = CaseOutcomeRow(case_id=case_id)
        session.add(row)
    row.outcome = chosen.value
    row.outcome_on = day
    row.set_by_id = actor.worker_id
    row.set_at = moment
    session.flush()
    timeline.record(
        session,
        case_id,
        "outcome_set",
        timeline.line(
            N_("Outcome: {outcome}, on {day}"),
            outcome=timeline.line(OUTCOME_WORDS[chosen]),
            day=timeline.day(day),
        ),
        actor,
    )


def _minutes(session: Session, case_id: int) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(CaseTime.minutes), 0)).where(CaseTime.case_id == case_id)
    )
    return int(total or 0)


def derived_outcome(session: Session, case_id: int) -> tuple[CaseOutcome, date] | None:
    """The outcome that what happened on the case shows, newest first: an
    escalation, a form sent, or a form printed or posted; None when nothing has."""
    found: list[tuple[datetime, CaseOutcome]] = []
    raised = session.scalar(
        select(func.max(Escalation.raised_at)).where(Escalation.case_id == case_id)
    )
    if raised is not None:
        found.append((raised, CaseOutcome.ESCALATED))
    for submitted_at, route in session.execute(
        select(Submission.submitted_at, Submission.route).where(Submission.case_id == case_id)
    ):
        found.append(
            (submitted_at, CaseOutcome.PAPER if route in PAPER_ROUTES else CaseOutcome.SENT)
        )
    if not found:
        return None
    when, outcome = max(found, key=lambda pair: pair[0])
    return outcome, when.date()


def case_demand(
    session: Session, actor: Actor, case_id: int, *, now: datetime | None = None
) -> CaseDemand:
    """The case's reasons (newest pick first), time spent and outcome."""
    load_case(session, actor, case_id, Action.VIEW, frozenset(), now)
    rows = session.execute(
        select(DemandRecord, Worker.display_name)
        .join(Worker, Worker.id == DemandRecord.recorded_by_id)
        .where(DemandRecord.case_id == case_id)
        .order_by(DemandRecord.recorded_at.desc(), DemandRecord.id.desc())
    ).all()
    keys: dict[int, set[str]] = {}
    if rows:
        for record_id, reason in session.execute(
            select(DemandReason.record_id, DemandReason.reason).where(
                DemandReason.record_id.in_([record.id for record, _name in rows])
            )
        ):
            keys.setdefault(record_id, set()).add(reason)
    picks = tuple(
        DemandPick(
            id=record.id,
            moment=record.moment,
            reasons=tuple(r.value for r in REASONS if r.value in keys.get(record.id, ())),
            note=record.note,
            recorded_at=record.recorded_at,
            recorded_by=name,
        )
        for record, name in rows
    )
    set_row = session.get(CaseOutcomeRow, case_id)
    outcome: str | None = None
    outcome_on: date | None = None
    derived = False
    if set_row is not None:
        outcome, outcome_on = set_row.outcome, set_row.outcome_on
    else:
        found = derived_outcome(session, case_id)
        if found is not None:
            outcome, outcome_on, derived = found[0].value, found[1], True
    return CaseDemand(
        case_id=case_id,
        picks=picks,
        minutes=_minutes(session, case_id),
        outcome=outcome,
        outcome_on=outcome_on,
        outcome_derived=derived,
    )


def record_session_end(
    session: Session,
    actor: Actor,
    assisted_session_id: int,
    reasons: Sequence[str],
    note: str = "",
    *,
    now: datetime | None = None,
) -> int:
    """At the end of an assisted session: the reasons picked, and the
    session's length added to the case's time; returns the pick's id."""
    row = session.get(AssistedSession, assisted_session_id)
    if row is None or row.worker_id != actor.worker_id:
        raise InvalidInput({"session": _("That assisted session is not yours.")})
    moment = now or utcnow()
    pick = record_reasons(
        session,
        actor,
        row.case_id,
        reasons,
        moment=Moment.SESSION_ENDED.value,
        note=note,
        assisted_session_id=row.id,
        now=now,
    )
    seconds = ((row.ended_at or moment) - row.started_at).total_seconds()
    minutes = min(MAX_MINUTES, max(1, -(-int(seconds) // 60)))
    add_time(session, actor, row.case_id, minutes, assisted_session_id=row.id, now=now)
    return pick
