"""People: the caseload list, search, one person, and adding or changing one."""

from __future__ import annotations

from casework.kernel.records import PersonDetail, PersonInput, SearchResults
from ui.backend import Backend
from ui.operations.op import Changes, Op, audited_read, ids, write


def list_person_ids() -> Op[list[int]]:
    return audited_read(lambda b: b.list_person_ids())


def search(text: str) -> Op[SearchResults]:
    return audited_read(lambda b: b.search(text))


def person_detail(person_id: int) -> Op[PersonDetail]:
    return audited_read(lambda b: b.person_detail(person_id))


def save_person(person: PersonDetail | None, data: PersonInput) -> Op[int]:
    """Add a person (``person`` None) or change one; answers the person's id."""

    def call(b: Backend) -> int:
        if person is None:
            return b.create_person(data)
        b.update_person(person.id, person.version, data)
        return person.id

    return write(call, lambda person_id: Changes(people=True, person_ids=ids(person_id)))
