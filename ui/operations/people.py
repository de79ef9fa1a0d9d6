"""People: the caseload list, search, one person, and adding or changing one."""

from __future__ import annotations

from collections.abc import Sequence

from casework.casefile import people
from casework.casefile import search as casefile_search
from casework.kernel.action import act
from casework.kernel.records import PersonDetail, PersonInput, PersonRow, SearchResults
from ui.operations.op import Changes, Op, audited, ids, reads, writes


def _person(person_id: int | None) -> Changes:
    """The people list shows names, so a person's change is the list's too."""
    return Changes(people=True, person_ids=ids(person_id))


def list_person_ids() -> Op[list[int]]:
    """Every person in the caseload, in name order (ids only: fast)."""
    return audited(act(people.list_person_ids))


def list_people(first: int) -> Op[tuple[list[int], list[PersonRow]]]:
    """Every person in the caseload, in name order, with the rows of the
    first ``first`` (the page the list paints first): one transaction."""
    return audited(act(people.list_people, first))


def person_rows(person_ids: Sequence[int]) -> Op[list[PersonRow]]:
    """Row data for a page of ids, in the same order.

    The one operation run on the UI thread (``.call``): a page is one indexed
    query of at most ``ui.people.model.PAGE`` rows, read as the list scrolls
    (``make bench`` measures it at 100,000 people).
    """
    return reads(act(people.person_rows, person_ids))


def search(text: str, limit: int = 50) -> Op[SearchResults]:
    return audited(act(casefile_search.search, text, limit))


def person_detail(person_id: int) -> Op[PersonDetail]:
    return audited(act(people.person_detail, person_id))


def create_person(data: PersonInput) -> Op[int]:
    """Add a person; answers their id."""
    return writes(act(people.create_person, data), _person)


def update_person(person_id: int, version: int, data: PersonInput) -> Op[int]:
    """Change a person edited at ``version``; answers the new version."""
    return writes(act(people.update_person, person_id, version, data), _person(person_id))


def save_person(person: PersonDetail | None, data: PersonInput) -> Op[int]:
    """Add a person (``person`` None) or change one; answers the person's id."""
    if person is None:
        return create_person(data)
    person_id = person.id
    return update_person(person_id, person.version, data).then(lambda _version: person_id)
