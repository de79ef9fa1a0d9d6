"""A case: opening one, reading it, and the changes made on its tabs (status,
notes, tasks, documents)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from casework.casefile import cases, documents, notes, tasks
from casework.forms import actions, drafts, place, versions
from casework.kernel.action import act
from casework.kernel.i18n import current_language
from casework.kernel.nations import Placement
from casework.kernel.records import CaseDetail, DraftRecord, WorkRow
from ui.operations.op import (
    Changes,
    Op,
    audited,
    audited_read,
    ids,
    query,
    reads,
    with_catalogue,
    writes,
)


def _case(case_id: int) -> Changes:
    return Changes(case_ids=ids(case_id))


def my_cases() -> Op[list[WorkRow]]:
    """The signed-in worker's open cases, overdue work first."""
    return audited(act(cases.my_open_cases))


def service_choices() -> Op[list[tuple[str, str]]]:
    return query(lambda b: b.service_choices())


def service_versions(
    person_name: str, postcode: str | None
) -> Op[tuple[Placement | None, versions.VersionTable]]:
    """Where the person lives (the address lookup's country when it is known)
    and each service's version for the nation, or for each nation a border
    postcode may be in."""
    return with_catalogue(
        lambda catalogue: reads(act(place.postcode_place, postcode)).then(
            lambda found: (
                found,
                versions.version_table(catalogue, found.candidates if found else (), person_name),
            )
        )
    )


def open_case(person_id: int, service_id: str, title: str) -> Op[int]:
    return writes(
        act(cases.open_case, person_id, service_id, title),
        lambda case_id: Changes(person_ids=ids(person_id), case_ids=ids(case_id)),
    )


def case_detail(case_id: int) -> Op[CaseDetail]:
    return audited(act(cases.case_detail, case_id))


def case_forms(case_id: int) -> Op[tuple[list[DraftRecord], dict[str, str]]]:
    """The case's drafts, with each service's title in the worker's language."""
    return with_catalogue(
        lambda catalogue: audited(act(drafts.case_drafts, case_id, catalogue.get)).then(
            lambda found: (found, actions.titles(catalogue, current_language()))
        )
    )


def change_status(case_id: int, person_id: int | None, version: int, status: str) -> Op[int]:
    """The person's row counts their open cases, so it changes too."""
    return writes(
        act(cases.change_status, case_id, version, status),
        Changes(person_ids=ids(person_id), case_ids=ids(case_id)),
    )


def add_note(case_id: int, body: str) -> Op[int]:
    return writes(act(notes.add_note, case_id, body), _case(case_id))


def edit_note(case_id: int, note_id: int, version: int, body: str) -> Op[int]:
    """Change a note of the case edited at ``version``; answers the new version."""
    return writes(act(notes.edit_note, note_id, version, body), _case(case_id))


def add_task(case_id: int, title: str, due: date | None) -> Op[int]:
    return writes(act(tasks.add_task, case_id, title, due), _case(case_id))


def set_task_done(case_id: int, task_id: int, version: int, done: bool) -> Op[int]:
    return writes(act(tasks.set_task_done, task_id, version, done), _case(case_id))


def attach_document(case_id: int, path: Path) -> Op[int]:
    return writes(act(documents.attach_document, case_id, path), _case(case_id))


def export_document(document_id: int, folder: Path) -> Op[Path]:
    """A copy of a document into ``folder`` (a file written, nothing in the database)."""
    return audited_read(lambda b: b.export_document(document_id, folder))
