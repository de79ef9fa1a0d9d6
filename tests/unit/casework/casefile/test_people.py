"""People: create, edit, list and read within the caseload (casework.casefile.people)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casework.casefile.cases import change_status, open_case
from casework.casefile.people import (
    count_people,
    create_person,
    list_people,
    list_person_ids,
    person_detail,
    person_rows,
    update_person,
    validate_person,
)
from casework.kernel.errors import AccessRefused, EditConflict, InvalidInput
from casework.kernel.models import Person
from casework.kernel.records import Actor
from tests.unit.conftest import WriteSession
from tests.unit.factories import person_input


def _people(write: WriteSession) -> int:
    with write() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def test_a_new_person_is_stored_in_canonical_form(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    with write() as session:
        detail = person_detail(session, amira, person_id)
        stored = session.get(Person, person_id)
        assert stored is not None and stored.team_id == amira.team_id
    assert detail.version == 1
    assert detail.full_name == "Nia Pritchard"
    assert detail.ni_number == "AB123456C"
    # Health (the NHS number) needs a mandate that names it, even in the caseload.
    assert detail.nhs_number is None and detail.redacted == {"health"}
    assert stored.nhs_number == "9434765919"
    assert detail.postcode == "CF10 1AA"
    assert detail.email == "nia@example.com"
    assert detail.phone == "07700900982"
    assert detail.address == "1 Stryd Fawr\nCardiff"
    assert detail.cases == ()


def test_blank_optional_fields_are_stored_as_nothing(write: WriteSession, amira: Actor) -> None:
    data = person_input(ni_number="", nhs_number="", postcode="", email="", phone="", address="  ")
    with write() as session:
        new_id = create_person(session, amira, data)
        detail = person_detail(session, amira, new_id)
    assert detail.ni_number is None and detail.nhs_number is None
    assert detail.postcode is None and detail.email is None and detail.phone is None
    assert detail.address == "" and detail.date_of_birth is None


def test_every_wrong_field_gets_its_own_message_and_nothing_is_saved(
    write: WriteSession, amira: Actor
) -> None:
    before = _people(write)
    data = person_input(
        given_name="  ",
        family_name="x" * 101,
        date_of_birth=date.today() + timedelta(days=1),
        ni_number="GB 12 34 56 A",
        nhs_number="943 476 5918",
        postcode="SW1A",
        email="nia at example.com",
        phone="12345",
        preferred_language="fr",
        access_needs="a" * 2001,
    )
    with pytest.raises(InvalidInput) as caught, write() as session:
        create_person(session, amira, data)
    fields = caught.value.fields
    assert set(fields) == {
        "given_name",
        "family_name",
        "date_of_birth",
        "ni_number",
        "nhs_number",
        "postcode",
        "email",
        "phone",
        "preferred_language",
        "access_needs",
    }
    assert "Enter a name" in fields["given_name"]
    assert "100 characters" in fields["family_name"]
    assert "in the past" in fields["date_of_birth"]
    assert "two letters at the start" in fields["ni_number"]
    assert "NHS number is not valid" in fields["nhs_number"]
    assert "postcode" in fields["postcode"]
    assert "email" in fields["email"]
    assert "phone" in fields["phone"]
    assert "Welsh" in fields["preferred_language"]
    assert "2,000" in fields["access_needs"]
    # The summary a person sees holds every message.
    assert all(message in str(caught.value) for message in fields.values())
    assert _people(write) == before


def test_validate_person_uses_the_given_day_for_dates_of_birth() -> None:
    clean = validate_person(person_input(date_of_birth=date(1900, 1, 1)), today=date(2025, 1, 1))
    assert clean["date_of_birth"] == date(1900, 1, 1)
    with pytest.raises(InvalidInput) as caught:
        validate_person(person_input(date_of_birth=date(1894, 12, 31)), today=date(2025, 1, 1))
    assert set(caught.value.fields) == {"date_of_birth"}


def test_an_edit_against_the_current_version_saves(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    with write() as session:
        version = update_person(
            session, amira, person_id, 1, person_input(postcode="sa1 1aa", phone="")
        )
    assert version == 2
    with write() as session:
        detail = person_detail(session, amira, person_id)
    assert (detail.version, detail.postcode, detail.phone) == (2, "SA1 1AA", None)


def test_a_stale_edit_is_refused_and_changes_nothing(
    write: WriteSession, amira: Actor, person_id: int
) -> None:
    # Another terminal saves first...
    with write() as session:
        update_person(session, amira, person_id, 1, person_input(given_name="Nia Mai"))
    # ...then this one saves what it opened at version 1.
    with pytest.raises(EditConflict) as caught, write() as session:
        update_person(session, amira, person_id, 1, person_input(family_name="Jones"))
    assert caught.value.current_version == 2
    assert "still on screen" in caught.value.message
    with write() as session:
        detail = person_detail(session, amira, person_id)
    assert (detail.given_name, detail.family_name, detail.version) == ("Nia Mai", "Pritchard", 2)


def test_an_invalid_edit_changes_nothing(write: WriteSession, amira: Actor, person_id: int):
    with pytest.raises(InvalidInput) as caught, write() as session:
        update_person(session, amira, person_id, 1, person_input(nhs_number="1234567890"))
    assert set(caught.value.fields) == {"nhs_number"}
    with write() as session:
        stored = session.get(Person, person_id)
        assert stored is not None
        assert (stored.nhs_number, stored.version) == ("9434765919", 1)


def test_another_team_can_neither_read_nor_edit(
    write: WriteSession, sam: Actor, person_id: int
) -> None:
    with pytest.raises(AccessRefused), write() as session:
        person_detail(session, sam, person_id)
    with pytest.raises(AccessRefused), write() as session:
        update_person(session, sam, person_id, 1, person_input(given_name="Changed"))
    with write() as session:
        assert session.get(Person, person_id).given_name == "Nia"  # type: ignore[union-attr]


def test_lists_hold_only_the_caseload_in_name_order(
    write: WriteSession, amira: Actor, sam: Actor
) -> None:
    with write() as session:
        ids = list_person_ids(session, amira)
        assert count_people(session, amira) == len(ids)
        theirs = count_people(session, sam)
        rows = person_rows(session, amira, ids)
        team_of = {pid: tid for pid, tid in session.execute(select(Person.id, Person.team_id))}
    assert theirs > 0  # the seeded data has people in both teams
    assert len(ids) + theirs == 60
    assert all(team_of[i] == amira.team_id for i in ids)
    assert [r.id for r in rows] == ids
    names = [(r.family_name, r.given_name, r.id) for r in rows]
    assert names == sorted(names)


def test_person_rows_keep_the_order_asked_for_and_skip_what_is_not_visible(
    write: WriteSession, amira: Actor, sam: Actor
) -> None:
    with write() as session:
        mine = list_person_ids(session, amira)[:3]
        theirs = list_person_ids(session, sam)[:1]
        asked = [mine[2], 999_999, theirs[0], mine[0], mine[1]]
        rows = person_rows(session, amira, asked)
        assert person_rows(session, amira, []) == []
    assert [r.id for r in rows] == [mine[2], mine[0], mine[1]]


def test_person_rows_count_only_cases_still_open(
    write: WriteSession, amira: Actor, person_id: int, case_id: int
) -> None:
    with write() as session:
        second = open_case(session, amira, person_id, "pension-credit", "Pension Credit")
        assert person_rows(session, amira, [person_id])[0].open_cases == 2
        change_status(session, amira, second, 1, "closed")
        row = person_rows(session, amira, [person_id])[0]
        detail = person_detail(session, amira, person_id)
    assert row.open_cases == 1
    assert row.full_name == "Nia Pritchard" and row.postcode == "CF10 1AA"
    assert {c.id for c in detail.cases} == {case_id, second}


def test_list_people_gives_the_caseload_and_its_first_rows_in_one_audited_read(
    write: WriteSession, amira: Actor, sam: Actor
) -> None:
    with write() as session:
        ids = list_person_ids(session, amira, audited=False)
        listed, first = list_people(session, amira, 5)
        theirs, _ = list_people(session, sam, 5)
        expected = person_rows(session, amira, ids[:5])
        none_first = list_people(session, amira, 0)[1]
    assert listed == ids and first == expected and len(first) == 5
    assert not set(theirs) & set(ids)  # each worker's own caseload only
    assert none_first == []
