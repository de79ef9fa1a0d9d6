"""Printed copies: each has its own reference, recorded with the print decision,
and a blank one can be given out and expected back (issue 18, items 1 and 2).

Amira (Riverside) prints and gives out forms for her caseload; Sam
(Northgate) is another team and is refused, and a refused print records no
copy. Due dates count working days on the person's nation's calendar.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.backend import LocalBackend
from casework.casefile.cases import open_case
from casework.casefile.people import create_person
from casework.kernel.action import act
from casework.kernel.errors import AccessRefused, InvalidInput
from casework.kernel.models import TimelineEvent
from casework.kernel.records import Actor
from casework.paper import case_print, copies
from casework.paper.models import PaperCopy, PaperOffice
from casework.paper.reference import parse_copy_reference
from delegation.models import AuditEntry
from tests.unit.casework.paper.helpers import pdf_text, squash
from tests.unit.conftest import WriteSession
from tests.unit.factories import person_input

BLANK = "blue-badge"


def _count(write: WriteSession) -> int:
    with write() as session:
        return int(session.scalar(select(func.count()).select_from(PaperCopy)) or 0)


def _blank(backend: LocalBackend, service_id: str = BLANK, **kw: object) -> bytes:
    reserve = act(case_print.print_blank, backend.catalogue, service_id, "en", False, **kw)  # type: ignore[arg-type]
    return copies.print_recorded(backend, reserve, case_print.copy_id, case_print.render)


def _copies(write: WriteSession) -> list[PaperCopy]:
    with write() as session:
        rows = list(session.scalars(select(PaperCopy).order_by(PaperCopy.id)))
        session.expunge_all()
        return rows


def test_every_copy_and_every_service_has_its_own_reference(
    backend: LocalBackend, write: WriteSession
) -> None:
    first = _blank(backend)
    second = _blank(backend)
    other = _blank(backend, "attendance-allowance")
    rows = _copies(write)
    assert len(rows) == 3
    references = [row.reference for row in rows]
    assert len(set(references)) == 3
    with write() as session:
        office = session.scalars(select(PaperOffice.code)).one()
    for row, pdf in zip(rows, (first, second, other), strict=True):
        parsed = parse_copy_reference(row.reference)
        assert parsed.office == office != "0000"
        assert squash(row.reference) in pdf_text(pdf)  # the copy's own reference is printed
        assert row.pages > 0 and row.kind == "blank" and row.printed_by_id is not None
    assert parse_copy_reference(rows[0].reference).service_code == "BB"
    assert parse_copy_reference(rows[2].reference).service_code == "AA"


def test_a_clashing_serial_is_drawn_again(
    write: WriteSession, amira: Actor, backend: LocalBackend
) -> None:
    drawn: Iterator[str] = iter(["AAAAAA", "AAAAAA", "BBBBBB"])
    with write() as session:
        one = copies.record_copy(
            session, amira, service_id=BLANK, version="2026.1", language="en", pages=2,
            serial=lambda: next(drawn),
        )  # fmt: skip
        two = copies.record_copy(
            session, amira, service_id=BLANK, version="2026.1", language="en", pages=2,
            serial=lambda: next(drawn),
        )  # fmt: skip
    assert one.reference.endswith("-AAAAAA-" + one.reference[-2:])
    assert "-BBBBBB-" in two.reference


def test_recorded_in_the_transaction_of_the_print_decision(
    write: WriteSession, amira: Actor, case_id: int, backend: LocalBackend
) -> None:
    with pytest.raises(RuntimeError), write() as session:
        job = case_print.print_blank(session, amira, backend.catalogue, BLANK, case_id=case_id)
        assert job.copy is not None and session.get(PaperCopy, job.copy.id) is not None
        decisions = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "print")
        )
        assert decisions
        raise RuntimeError("the transaction fails after the decision")
    assert _count(write) == 0  # rolled back with its decision


def test_a_refused_print_records_no_copy(
    backend: LocalBackend, write: WriteSession, sam: Actor, case_id: int
) -> None:
    with write() as session:
        with pytest.raises(AccessRefused):
            case_print.print_blank(session, sam, backend.catalogue, BLANK, case_id=case_id)
        # The refusal is audited and kept; the copy is not there.
        refused = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "print", AuditEntry.outcome == "refuse")
        )
        assert refused == 1
    assert _count(write) == 0


def test_a_failed_rendering_takes_the_copy_back(backend: LocalBackend, write: WriteSession) -> None:
    def broken(_job: case_print.PaperJob) -> bytes:
        raise ValueError("the printer's paper ran out")

    reserve = act(case_print.print_blank, backend.catalogue, BLANK)
    with pytest.raises(ValueError):
        copies.print_recorded(backend, reserve, case_print.copy_id, broken)
    assert _count(write) == 0


def _person_case(write: WriteSession, amira: Actor, postcode: str) -> int:
    with write() as session:
        person = create_person(session, amira, person_input(postcode=postcode))
        return open_case(session, amira, person, BLANK, "Blue Badge")


def _blank_copy(write: WriteSession, amira: Actor) -> int:
    with write() as session:
        return copies.record_copy(
            session, amira, service_id=BLANK, version="2026.1", language="en", pages=3
        ).id


@pytest.mark.parametrize(
    ("postcode", "due"),
    [
        ("CF10 1AA", date(2026, 12, 10)),  # Wales: no bank holiday in those weeks
        ("EH1 1YZ", date(2026, 12, 11)),  # Scotland: St Andrew's Day, Monday 30 November
    ],
)
def test_given_out_due_back_in_14_working_days_of_the_persons_nation(
    write: WriteSession, amira: Actor, postcode: str, due: date
) -> None:
    case = _person_case(write, amira, postcode)
    copy_id = _blank_copy(write, amira)
    friday = date(2026, 11, 20)
    with write() as session:
        item = copies.give_out(session, amira, copy_id, case, today=friday)
        lines = [e.summary for e in session.scalars(select(TimelineEvent))]
    assert item.due_back_on == due and item.case_id == case and item.person_id is not None
    assert any(
        line.startswith("Paper form given out: AF-BB-") and "expected back by" in line
        for line in lines
    )


def test_the_due_date_can_be_changed_but_not_to_the_past(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    copy_id = _blank_copy(write, amira)
    today = copies.today_here()
    with write() as session, pytest.raises(InvalidInput):
        copies.give_out(session, amira, copy_id, case_id, today)
    with write() as session:
        item = copies.give_out(session, amira, copy_id, case_id, today + timedelta(days=3))
    assert item.due_back_on == today + timedelta(days=3)


def test_another_team_may_not_give_out_nor_see_the_copies(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int
) -> None:
    copy_id = _blank_copy(write, amira)
    with write() as session, pytest.raises(AccessRefused):
        copies.give_out(session, sam, copy_id, case_id)
    with write() as session:
        copies.give_out(session, amira, copy_id, case_id)
    with write() as session:
        assert [c.id for c in copies.copies_out(session, amira, case_id)] == [copy_id]
        assert copies.copies_out(session, sam, case_id) == []


def test_overdue_copies_are_those_past_their_date(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int
) -> None:
    late, on_time = _blank_copy(write, amira), _blank_copy(write, amira)
    today = copies.today_here()
    with write() as session:
        copies.give_out(session, amira, late, case_id, today + timedelta(days=1))
        copies.give_out(session, amira, on_time, case_id, today + timedelta(days=20))
    later = today + timedelta(days=5)
    with write() as session:
        overdue = copies.overdue_copies(session, amira, today=later)
        waiting = copies.copies_out(session, amira, case_id, today=later)
        assert copies.overdue_copies(session, sam, today=later) == []
    assert [c.id for c in overdue] == [late]
    assert [(c.id, c.overdue) for c in waiting] == [(late, True), (on_time, False)]


def test_a_print_killed_before_its_pages_were_saved_is_never_waiting_or_overdue(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    """The copy is reserved (0 pages) by the print decision and its page count
    saved after the layout; a process killed between the two leaves the
    reservation. It was never handed to anyone, so no list shows it."""
    today = copies.today_here()
    with write() as session:
        reserved = copies.record_copy(
            session, amira, service_id=BLANK, version="2026.1", language="en", pages=0
        ).id
        copies.give_out(session, amira, reserved, case_id, today + timedelta(days=1))
    later = today + timedelta(days=5)
    with write() as session:
        assert copies.copies_out(session, amira, case_id, today=later) == []
        assert copies.overdue_copies(session, amira, today=later) == []
