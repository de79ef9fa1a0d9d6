"""Cases: opening, references, the status machine and the case view (casework.casefile.cases)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from casework.casefile import cases
from casework.casefile.cases import (
    STATUS_LABELS,
    TRANSITIONS,
    case_detail,
    case_id_for_reference,
    change_status,
    new_reference,
    open_case,
)
from casework.casefile.people import create_person
from casework.kernel.errors import AccessRefused, EditConflict, InvalidInput, NotFound
from casework.kernel.models import Case, Person
from casework.kernel.records import Actor, CaseStatus
from tests.unit.conftest import WriteSession
from tests.unit.factories import person_input

REFERENCE = re.compile(r"AL-[0-9A-HJKMNP-TV-Z]{7}")  # Crockford: no I, L, O or U

PAIRS = list(itertools.product(CaseStatus, repeat=2))


def test_the_status_machine_is_complete() -> None:
    assert set(TRANSITIONS) == set(CaseStatus)
    assert set(STATUS_LABELS) == set(CaseStatus)
    for source, targets in TRANSITIONS.items():
        assert source not in targets, f"{source} should not move to itself"
    # A closed case can only be reopened; any live case can be closed.
    assert TRANSITIONS[CaseStatus.CLOSED] == {CaseStatus.OPEN}
    assert all(CaseStatus.CLOSED in TRANSITIONS[s] for s in CaseStatus if s != CaseStatus.CLOSED)


@pytest.fixture(scope="module")
def shared_person(shared_write: WriteSession, shared_actor: Callable[[str], Actor]) -> int:
    with shared_write() as session:
        return create_person(session, shared_actor("amira"), person_input())


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_status_move(
    shared_write: WriteSession,
    shared_actor: Callable[[str], Actor],
    shared_person: int,
    source: CaseStatus,
    target: CaseStatus,
) -> None:
    amira = shared_actor("amira")
    with shared_write() as session:
        case_id = open_case(session, amira, shared_person, "blue-badge", "Blue Badge")
        case = session.get(Case, case_id)
        assert case is not None
        case.status = source  # put it there directly: only the move is under test
        session.flush()
        version = case.version
    allowed = target in TRANSITIONS[source]
    if allowed:
        with shared_write() as session:
            new_version = change_status(session, amira, case_id, version, target.value)
        assert new_version == version + 1
    else:
        with pytest.raises(InvalidInput) as caught, shared_write() as session:
            change_status(session, amira, case_id, version, target.value)
        assert set(caught.value.fields) == {"status"}
        assert STATUS_LABELS[source] in caught.value.fields["status"]
        assert STATUS_LABELS[target] in caught.value.fields["status"]
    with shared_write() as session:
        detail = case_detail(session, amira, case_id)
    assert detail.status == (target if allowed else source).value
    assert detail.version == (version + 1 if allowed else version)
    moves = [e for e in detail.timeline if e.kind == "status_changed"]
    assert len(moves) == (1 if allowed else 0)
    if allowed:
        assert STATUS_LABELS[target] in moves[0].summary
        assert moves[0].worker == "Amira Hussain"


def test_an_unknown_status_is_invalid_input(write: WriteSession, amira: Actor, case_id: int):
    with pytest.raises(InvalidInput) as caught, write() as session:
        change_status(session, amira, case_id, 1, "archived")
    assert set(caught.value.fields) == {"status"}
    with write() as session:
        assert case_detail(session, amira, case_id).status == "open"


def test_closing_sets_closed_at_and_reopening_clears_it(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        assert case_detail(session, amira, case_id).closed_at is None
        v = change_status(session, amira, case_id, 1, "waiting_for_service")
        assert case_detail(session, amira, case_id).closed_at is None
        v = change_status(session, amira, case_id, v, "closed")
        closed = case_detail(session, amira, case_id)
        assert closed.closed_at is not None and closed.closed_at >= closed.opened_at
        assert closed.allowed_statuses == ("open",)
        change_status(session, amira, case_id, v, "open")
        reopened = case_detail(session, amira, case_id)
    assert reopened.closed_at is None
    assert reopened.allowed_statuses == ("closed", "waiting_for_person", "waiting_for_service")


def test_a_stale_status_change_is_refused(write: WriteSession, amira: Actor, case_id: int):
    with write() as session:
        change_status(session, amira, case_id, 1, "waiting_for_person")
    with pytest.raises(EditConflict) as caught, write() as session:
        change_status(session, amira, case_id, 1, "closed")
    assert caught.value.current_version == 2
    with write() as session:
        assert case_detail(session, amira, case_id).status == "waiting_for_person"


def test_another_team_cannot_change_a_case(write: WriteSession, sam: Actor, case_id: int):
    with pytest.raises(AccessRefused), write() as session:
        change_status(session, sam, case_id, 1, "closed")


# -- opening cases and references ------------------------------------------------


def test_open_case_records_who_and_when(write: WriteSession, amira: Actor, case_id: int):
    with write() as session:
        detail = case_detail(session, amira, case_id)
        case = session.get(Case, case_id)
        assert case is not None
    assert REFERENCE.fullmatch(detail.reference)
    assert detail.title == "Blue Badge renewal" and detail.service_id == "blue-badge"
    assert detail.status == "open" and detail.version == 1
    assert detail.person_name == "Nia Pritchard"
    assert detail.assigned_to == "Amira Hussain"
    assert case.team_id == amira.team_id
    assert [e.kind for e in detail.timeline] == ["case_opened"]
    assert detail.timeline[0].summary == "Case opened: Blue Badge renewal"


@pytest.mark.parametrize(
    ("service", "title", "fields"),
    [
        ("blue-badge", "   ", {"title"}),
        ("blue-badge", "x" * 201, {"title"}),
        ("  ", "Blue Badge", {"service_id"}),
        ("", "", {"title", "service_id"}),
    ],
)
def test_open_case_checks_its_fields(
    write: WriteSession, amira: Actor, person_id: int, service: str, title: str, fields: set[str]
) -> None:
    with pytest.raises(InvalidInput) as caught, write() as session:
        open_case(session, amira, person_id, service, title)
    assert set(caught.value.fields) == fields


def test_open_case_folds_spaces_in_the_title(write: WriteSession, amira: Actor, person_id: int):
    with write() as session:
        new = open_case(session, amira, person_id, " hc1-health-costs ", "  Help   with\tHC1 ")
        detail = case_detail(session, amira, new)
    assert (detail.title, detail.service_id) == ("Help with HC1", "hc1-health-costs")


def test_a_case_cannot_be_opened_for_another_teams_person(
    write: WriteSession, sam: Actor, person_id: int
) -> None:
    with pytest.raises(AccessRefused), write() as session:
        open_case(session, sam, person_id, "blue-badge", "Blue Badge")


def test_references_are_readable_and_numbered_ones_distinct() -> None:
    numbered = [new_reference(n) for n in range(1, 20_001)]
    assert len(set(numbered)) == len(numbered)
    assert all(REFERENCE.fullmatch(ref) for ref in numbered)
    assert new_reference(42) == new_reference(42)
    random_refs = {new_reference() for _ in range(500)}
    assert all(REFERENCE.fullmatch(ref) for ref in random_refs)
    assert len(random_refs) > 490  # 32^7 values: a clash here would be a broken generator


def test_open_case_draws_again_when_a_reference_is_taken(
    write: WriteSession,
    amira: Actor,
    person_id: int,
    case_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with write() as session:
        taken = case_detail(session, amira, case_id).reference
    draws: Iterator[str] = iter([taken, taken, "AL-0000001"])
    monkeypatch.setattr(cases, "new_reference", lambda number=None: next(draws))
    with write() as session:
        new = open_case(session, amira, person_id, "blue-badge", "Second case")
        assert case_detail(session, amira, new).reference == "AL-0000001"
        references = list(session.scalars(select(Case.reference)))
    assert len(references) == len(set(references))


def test_find_a_case_by_its_printed_reference(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int
) -> None:
    with write() as session:
        reference = case_detail(session, amira, case_id).reference
        assert case_id_for_reference(session, amira, f"  {reference.lower()} ") == case_id
        with pytest.raises(NotFound, match="AL-ZZZZZZZ"):
            case_id_for_reference(session, amira, "AL-ZZZZZZZ")
        with pytest.raises(AccessRefused):
            case_id_for_reference(session, sam, reference)


def test_case_detail_of_a_seeded_case_lists_its_notes_and_tasks(
    write: WriteSession, amira: Actor
) -> None:
    with write() as session:
        case = session.scalars(
            select(Case)
            .join(Person, Person.id == Case.person_id)
            .where(Person.team_id == amira.team_id)
            .order_by(Case.id)
        ).first()
        assert case is not None
        detail = case_detail(session, amira, case.id)
    assert detail.notes, "every seeded case has at least one note"
    assert detail.person_id == case.person_id
    assert [n.created_at for n in detail.notes] == sorted(
        (n.created_at for n in detail.notes), reverse=True
    )


def test_my_open_cases_put_overdue_work_first(
    write: WriteSession, amira: Actor, sam: Actor, person_id: int
) -> None:
    from datetime import date

    from casework.casefile.tasks import add_task

    today = date(2026, 11, 22)
    with write() as session:
        quiet = open_case(session, amira, person_id, "blue-badge", "Blue Badge renewal")
        soon = open_case(session, amira, person_id, "pension-credit", "Pension Credit claim")
        late = open_case(session, amira, person_id, "attendance-allowance", "AA claim")
        closed = open_case(session, amira, person_id, "hc1", "HC1")
        add_task(session, amira, soon, "Ring DWP", date(2026, 11, 30))
        add_task(session, amira, late, "Send form", date(2026, 11, 1))
        add_task(session, amira, late, "Get GP letter", date(2026, 11, 20))
        change_status(session, amira, closed, 1, "closed")
    with write() as session:
        mine = [r for r in cases.my_open_cases(session, amira, today) if r.person_id == person_id]
        theirs = cases.my_open_cases(session, sam, today)
    assert [r.case_id for r in mine] == [late, soon, quiet]
    assert mine[0].overdue_tasks == 2 and mine[0].next_due == date(2026, 11, 1)
    assert mine[1].overdue_tasks == 0 and mine[1].next_due == date(2026, 11, 30)
    assert mine[2].next_due is None
    assert mine[0].person_name == "Nia Pritchard"
    assert all(r.case_id not in {quiet, soon, late, closed} for r in theirs)
