"""A case's complaint: the route for its service and the person's nation,
the steps taken with their dates, the deadlines those dates give, and the
person's consent to an evidence pack.

Each function is an action ``f(session, actor, ...)``: it takes the policy
decision on the case first (``escalate`` to record, ``view`` to read; the
person's address says their nation), audited in the caller's transaction,
then checks what the worker gave and writes, with a timeline line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from casework.casefile.access import case_access
from casework.complaints.limits import Deadline, deadline
from casework.complaints.models import ComplaintConsent, ComplaintStep
from casework.complaints.routes import Step, load_routes, route_for
from casework.escalation.models import Escalation, EscalationLevel
from casework.escalation.records import EscalationStatus
from casework.kernel import timeline
from casework.kernel.errors import AccessRefused, EditConflict, InvalidInput, NotFound
from casework.kernel.i18n import N_, _
from casework.kernel.models import Case, Person, utcnow
from casework.kernel.nations import Nation, nation_of_postcode
from casework.kernel.records import Actor
from delegation.policy import PolicyDecision
from delegation.scope import Action

UK_TIME = ZoneInfo("Europe/London")
OPEN_ESCALATION = (EscalationStatus.RAISED, EscalationStatus.ACKNOWLEDGED)


@dataclass(frozen=True)
class Recorded:
    """What was recorded of one step."""

    id: int
    version: int
    started_on: date
    final_response_on: date | None
    closed_on: date | None


@dataclass(frozen=True)
class RouteStep:
    """One step of the case's route: the step, what was recorded, its deadline."""

    step: Step
    recorded: Recorded | None
    deadline: Deadline


@dataclass(frozen=True)
class Complaint:
    """A case's complaint route, as far as it has gone."""

    case_id: int
    case_reference: str
    service_id: str
    nation: Nation
    problem_on: date  # the latest the problem can have begun: the case's opening or first step
    steps: tuple[RouteStep, ...]
    consent_on: date | None  # the person agreed to an evidence pack on this day
    ladder_run_out: bool = False  # an open escalation passed its top facilitator's reply day

    @property
    def final_responses(self) -> tuple[RouteStep, ...]:
        return tuple(s for s in self.steps if s.recorded and s.recorded.final_response_on)


def today_in_uk(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(UK_TIME).date()


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise AccessRefused(_("This case is not in your team's caseload."))
    return case


def nation_of_case(session: Session, case: Case, decision: PolicyDecision) -> Nation:
    """The person's nation, from their postcode (which the decision must disclose)."""
    if "address" not in decision.disclosed_categories:
        raise AccessRefused(
            _(
                "The complaint route depends on where the person lives, and you may not "
                "see their address."
            )
        )
    person = session.get(Person, case.person_id)
    assert person is not None
    nation = nation_of_postcode(person.postcode)
    if nation is None:
        raise NotFound(
            _(
                "Add the person's postcode first: the complaint route depends on the "
                "nation they live in."
            )
        )
    return nation


def _rows(session: Session, case_id: int) -> dict[str, ComplaintStep]:
    rows = session.scalars(select(ComplaintStep).where(ComplaintStep.case_id == case_id))
    return {row.step: row for row in rows}


def build(
    case: Case,
    nation: Nation,
    rows: dict[str, ComplaintStep],
    consent_on: date | None,
    language: str | None = None,
) -> Complaint:
    """The route with what was recorded and the deadlines it gives."""
    # The problem began by the time the case was opened, or the first complaint made.
    problem_on = min(
        [case.opened_at.astimezone(UK_TIME).date(), *(row.started_on for row in rows.values())]
    )
    steps = []
    previous: date | None = None
    for step in route_for(case.service_id, nation, language):
        row = rows.get(step.id)
        recorded = (
            Recorded(row.id, row.version, row.started_on, row.final_response_on, row.closed_on)
            if row
            else None
        )
        steps.append(RouteStep(step, recorded, deadline(step, previous, problem_on)))
        previous = row.final_response_on if row else None
    return Complaint(
        case.id, case.reference, case.service_id, nation, problem_on, tuple(steps), consent_on
    )


def consent_day(session: Session, case_id: int) -> date | None:
    """The day of the person's latest yes to an evidence pack (None: not asked yet)."""
    return session.scalar(
        select(ComplaintConsent.given_on)
        .where(ComplaintConsent.case_id == case_id)
        .order_by(ComplaintConsent.id.desc())
        .limit(1)
    )


def complaint(
    session: Session, actor: Actor, case_id: int, language: str | None = None
) -> Complaint:
    """The case's complaint route with its steps and deadlines (a view decision)."""
    case = _case(session, case_id)
    decision = case_access(session, actor, case, Action.VIEW, frozenset({"address"}))
    nation = nation_of_case(session, case, decision)
    found = build(case, nation, _rows(session, case.id), consent_day(session, case.id), language)
    return replace(found, ladder_run_out=run_out(session, case.id))


def run_out(session: Session, case_id: int) -> bool:
    """Whether an open escalation of the case passed the reply day of its top
    facilitator: the breach check records the breach and sends it no further
    (``casework.escalation.breaches``), so its latest level stays breached."""
    later = aliased(EscalationLevel)
    latest = (
        select(func.max(later.level))
        .where(later.escalation_id == Escalation.id)
        .correlate(Escalation)
        .scalar_subquery()
    )
    found = session.scalar(
        select(func.count())
        .select_from(Escalation)
        .join(EscalationLevel, EscalationLevel.escalation_id == Escalation.id)
        .where(
            Escalation.case_id == case_id,
            Escalation.status.in_(OPEN_ESCALATION),
            EscalationLevel.level == latest,
            EscalationLevel.breached_at.is_not(None),
        )
    )
    return bool(found)


def ladder_run_out(session: Session, actor: Actor, case_id: int) -> bool:
    """``run_out`` for the case on screen (a view decision on the case), so the
    window can offer the complaint route when the ladder is exhausted."""
    case = _case(session, case_id)
    case_access(session, actor, case, Action.VIEW, frozenset())
    return run_out(session, case.id)


def _check_day(field: str, day: date, today: date, not_before: date | None = None) -> None:
    if day > today:
        raise InvalidInput({field: _("The date cannot be in the future.")})
    if not_before is not None and day < not_before:
        raise InvalidInput({field: _("The date cannot be before the step started.")})


def _line(message: str, step: Step, day: date) -> timeline.Line:
    en, cy = load_routes().body_names(step.body.id)
    return timeline.line(message, body=timeline.both(en, cy), day=timeline.day(day))


def start_step(
    session: Session,
    actor: Actor,
    case_id: int,
    step_id: str,
    started_on: date,
    now: datetime | None = None,
) -> int:
    """Record that the complaint went to ``step_id`` on ``started_on``; its id.
    Refused when the step before has no final response and this step needs one."""
    case = _case(session, case_id)
    decision = case_access(session, actor, case, Action.ESCALATE, frozenset({"address"}), now)
    nation = nation_of_case(session, case, decision)
    rows = _rows(session, case.id)
    route = build(case, nation, rows, None, "en")
    found = next((s for s in route.steps if s.step.id == step_id), None)
    if found is None:
        raise InvalidInput({"step": _("That step is not on this case's complaint route.")})
    if found.recorded is not None:
        raise InvalidInput({"step": _("That step is already recorded.")})
    if not found.deadline.can_start:
        raise InvalidInput(
            {
                "step": _("This step needs the final response of the step before it first.")
                + " "
                + found.step.needs_first
            }
        )
    _check_day("started_on", started_on, today_in_uk(now))
    row = ComplaintStep(
        case_id=case.id,
        step=step_id,
        nation=nation.value,
        started_on=started_on,
        recorded_by_id=actor.worker_id,
    )
    session.add(row)
    session.flush()
    timeline.record(
        session,
        case.id,
        "complaint",
        _line(N_("Complaint made to {body} on {day}."), found.step, started_on),
        actor,
    )
    return row.id


def _step_row(
    session: Session, actor: Actor, row_id: int, version: int, now: datetime | None
) -> tuple[ComplaintStep, Step]:
    row = session.get(ComplaintStep, row_id)
    if row is None:
        raise NotFound(_("That complaint step no longer exists."))
    case = _case(session, row.case_id)
    case_access(session, actor, case, Action.ESCALATE, frozenset(), now)
    if row.version != version:
        raise EditConflict(
            _("Someone else changed this complaint step. Reload it, then try again.")
        )
    step = next(
        (s for s in route_for(case.service_id, Nation(row.nation), "en") if s.id == row.step),
        None,
    )
    if step is None:
        raise NotFound(_("That step is no longer on this service's complaint route."))
    return row, step


def _record_day(
    session: Session,
    actor: Actor,
    row_id: int,
    version: int,
    on: date,
    field: str,
    message: str,
    now: datetime | None,
) -> None:
    """Set the step's ``field`` (a day, checked against today and its start) and
    say so on the timeline in ``message``'s words."""
    row, step = _step_row(session, actor, row_id, version, now)
    _check_day(field, on, today_in_uk(now), row.started_on)
    setattr(row, field, on)
    timeline.record(session, row.case_id, "complaint", _line(message, step, on), actor)


def record_response(
    session: Session,
    actor: Actor,
    row_id: int,
    version: int,
    on: date,
    now: datetime | None = None,
) -> None:
    """Record the body's final response to a step, on ``on``."""
    message = N_("Final response from {body} on {day}.")
    _record_day(session, actor, row_id, version, on, "final_response_on", message, now)


def close_step(
    session: Session,
    actor: Actor,
    row_id: int,
    version: int,
    on: date,
    now: datetime | None = None,
) -> None:
    """Record that a step ended on ``on`` (settled, withdrawn or not taken further)."""
    message = N_("Complaint to {body} closed on {day}.")
    _record_day(session, actor, row_id, version, on, "closed_on", message, now)


def record_consent(
    session: Session,
    actor: Actor,
    case_id: int,
    given_on: date,
    now: datetime | None = None,
) -> None:
    """Record that the person agreed, on ``given_on``, to an evidence pack
    about this case going to the complaint's bodies."""
    case = _case(session, case_id)
    case_access(session, actor, case, Action.ESCALATE, frozenset(), now)
    _check_day("given_on", given_on, today_in_uk(now))
    session.add(
        ComplaintConsent(case_id=case.id, given_on=given_on, recorded_by_id=actor.worker_id)
    )
    timeline.record(
        session,
        case.id,
        "complaint",
        timeline.line(
            N_("The person agreed to an evidence pack for their complaint on {day}."),
            day=timeline.day(given_on),
        ),
        actor,
    )
