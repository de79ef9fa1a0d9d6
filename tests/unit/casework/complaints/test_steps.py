"""Complaint steps on a case: recorded through the policy decision and the
audit, in the route's order, with deadlines from the dates recorded."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from casework.casefile.cases import open_case
from casework.casefile.people import create_person
from casework.complaints import steps
from casework.escalation.models import Escalation, EscalationLevel
from casework.escalation.records import EscalationStatus, ReasonCategory
from casework.kernel.errors import AccessRefused, InvalidInput, NotFound
from casework.kernel.models import Case, TimelineEvent, utcnow
from casework.kernel.nations import Nation
from casework.kernel.records import Actor
from delegation.models import AuditEntry
from tests.unit.conftest import WriteSession
from tests.unit.factories import person_input


@pytest.fixture
def pip_case(write: WriteSession, amira: Actor) -> int:
    """A PIP case for a person in Cardiff."""
    with write() as session:
        person = create_person(session, amira, person_input())
        return open_case(session, amira, person, "pip", "PIP claim lost twice")


def _route(write: WriteSession, actor: Actor, case_id: int) -> steps.Complaint:
    with write() as session:
        return steps.complaint(session, actor, case_id, "en")


def test_steps_go_in_order_and_the_examiner_waits_for_the_final_response(
    write: WriteSession, amira: Actor, pip_case: int
) -> None:
    route = _route(write, amira, pip_case)
    assert route.nation is Nation.WALES
    assert [s.step.id for s in route.steps] == [
        "dwp-first-tier",
        "dwp-second-tier",
        "ice",
        "phso-dwp",
    ]
    with write() as session, pytest.raises(InvalidInput, match="final response of the step before"):
        steps.start_step(session, amira, pip_case, "ice", date(2026, 3, 1))
    with write() as session:
        first = steps.start_step(session, amira, pip_case, "dwp-first-tier", date(2026, 1, 5))
    row = _route(write, amira, pip_case).steps[0].recorded
    assert row is not None and row.id == first
    with write() as session:
        steps.record_response(session, amira, first, row.version, date(2026, 2, 1))
        second = steps.start_step(session, amira, pip_case, "dwp-second-tier", date(2026, 2, 3))
    version = _route(write, amira, pip_case).steps[1].recorded.version  # type: ignore[union-attr]
    with write() as session:
        steps.record_response(session, amira, second, version, date(2026, 4, 30))
    ice = _route(write, amira, pip_case).steps[2]
    assert ice.deadline.can_start and ice.deadline.last_day == date(2026, 10, 30)
    with write() as session:
        steps.start_step(session, amira, pip_case, "ice", date(2026, 5, 2))
    with write() as session, pytest.raises(InvalidInput, match="already recorded"):
        steps.start_step(session, amira, pip_case, "ice", date(2026, 5, 2))
    with write() as session:
        lines = session.scalar(
            select(func.count())
            .select_from(TimelineEvent)
            .where(TimelineEvent.case_id == pip_case, TimelineEvent.kind == "complaint")
        )
    assert lines == 5


def test_dates_are_checked(write: WriteSession, amira: Actor, pip_case: int) -> None:
    with write() as session, pytest.raises(InvalidInput, match="future"):
        steps.start_step(session, amira, pip_case, "dwp-first-tier", date(2999, 1, 1))
    with write() as session:
        first = steps.start_step(session, amira, pip_case, "dwp-first-tier", date(2026, 1, 5))
    with write() as session, pytest.raises(InvalidInput, match="before the step started"):
        steps.record_response(session, amira, first, 1, date(2026, 1, 4))
    with write() as session, pytest.raises(InvalidInput, match="not on this case"):
        steps.start_step(session, amira, pip_case, "lgsco", date(2026, 1, 5))


def test_another_team_is_refused_and_the_refusal_is_audited(
    write: WriteSession, sam: Actor, pip_case: int
) -> None:
    with write() as session, pytest.raises(AccessRefused):
        steps.start_step(session, sam, pip_case, "dwp-first-tier", date(2026, 1, 5))
    with write() as session:
        refusals = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.worker_id == sam.worker_id, AuditEntry.outcome != "allow")
        )
    assert refusals


def test_no_postcode_no_route(write: WriteSession, amira: Actor) -> None:
    with write() as session:
        person = create_person(session, amira, person_input(postcode=None))
        case_id = open_case(session, amira, person, "blue-badge", "Badge")
    with write() as session, pytest.raises(NotFound, match="postcode first"):
        steps.complaint(session, amira, case_id)


def test_consent_is_recorded_with_its_day(write: WriteSession, amira: Actor, pip_case: int) -> None:
    assert _route(write, amira, pip_case).consent_on is None
    with write() as session:
        steps.record_consent(session, amira, pip_case, date(2026, 6, 1))
    assert _route(write, amira, pip_case).consent_on == date(2026, 6, 1)


def test_the_ladder_has_run_out_when_the_top_level_is_breached_and_still_open(
    write: WriteSession, amira: Actor, pip_case: int
) -> None:
    now = utcnow()
    with write() as session:
        case = session.get(Case, pip_case)
        assert case is not None
        escalation = Escalation(
            case_id=case.id,
            person_id=case.person_id,
            service_id="pip",
            area="wales",
            reason=ReasonCategory.LOST_EVIDENCE,
            description="Evidence lost twice",
            status=EscalationStatus.RAISED,
            raised_by_id=amira.worker_id,
        )
        session.add(escalation)
        session.flush()
        level = _level(escalation.id, 1, now)
        session.add(level)
        session.flush()
        assert not steps.ladder_run_out(session, amira, pip_case)
        level.breached_at = now
        session.flush()
        assert steps.ladder_run_out(session, amira, pip_case)
        session.add(_level(escalation.id, 2, now))  # passed on to someone further up
        session.flush()
        assert not steps.ladder_run_out(session, amira, pip_case)
        session.add(_level(escalation.id, 3, now, breached=True))
        escalation.status = EscalationStatus.RESOLVED
        session.flush()
        assert not steps.ladder_run_out(session, amira, pip_case)  # sorted out after all


def _level(
    escalation_id: int, number: int, now: datetime, breached: bool = False
) -> EscalationLevel:
    return EscalationLevel(
        escalation_id=escalation_id,
        level=number,
        facilitator="{}",
        channel="email",
        nation="wales",
        sla_working_days=5,
        sent_at=now,
        due_on=now.date(),
        breach_at=now,
        reminder_at=now,
        breached_at=now if breached else None,
        outbox_item_id=f"item-{number}",
        subject="",
        body="",
    )


def test_the_problem_began_by_the_first_complaint_if_before_the_case(
    write: WriteSession, amira: Actor
) -> None:
    with write() as session:
        person = create_person(session, amira, person_input())
        case_id = open_case(session, amira, person, "blue-badge", "Badge")
        steps.start_step(session, amira, case_id, "council", date(2026, 1, 5))
    route = _route(write, amira, case_id)
    assert route.problem_on == date(2026, 1, 5)
    assert route.steps[1].deadline.last_day == date(2027, 1, 5)
