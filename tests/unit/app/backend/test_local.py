"""The facade the UI calls (app.backend.local.LocalBackend), on a real encrypted profile."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from app.backend import LocalBackend
from app.backend.local import CATALOGUE
from app.database import session_factory
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from casework.casefile.documents import attach_document
from casework.kernel.errors import (
    AccessRefused,
    AccountLocked,
    DocumentRejected,
    EditConflict,
    InvalidInput,
    SignInFailed,
)
from casework.kernel.i18n import set_language
from casework.kernel.models import DocumentContent
from tests.unit.factories import person_input
from ui.operations import Changes, Work
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops


@pytest.fixture
def sam_backend(demo_profile: OpenProfile) -> LocalBackend:
    live = LocalBackend(demo_profile)
    live.sign_in("sam", DEMO_PASSWORD)
    return live


def test_sign_in_and_out(demo_profile: OpenProfile) -> None:
    live = LocalBackend(demo_profile)
    assert live.current_actor is None
    with pytest.raises(AccessRefused, match="Sign in first"):
        people_ops.list_person_ids().call(live)
    actor = live.sign_in("amira", DEMO_PASSWORD)
    assert live.current_actor == actor
    assert live.verify_password(DEMO_PASSWORD)
    assert not live.verify_password("wrong password")
    live.sign_out()
    assert live.current_actor is None
    with pytest.raises(AccessRefused, match="Sign in first"):
        people_ops.search("smith").call(live)


def test_failed_sign_ins_are_saved_even_though_they_raise(demo_profile: OpenProfile) -> None:
    live = LocalBackend(demo_profile)
    for _attempt in range(4):
        with pytest.raises(SignInFailed):
            live.sign_in("tom", "wrong password")
    with pytest.raises(AccountLocked):
        live.sign_in("tom", "wrong password")
    # Locked now, so the right password is refused too: the count was committed.
    with pytest.raises(AccountLocked):
        live.sign_in("tom", DEMO_PASSWORD)
    assert live.current_actor is None


def test_profile_facts(backend: LocalBackend) -> None:
    assert backend.profile_label == "Alongside"
    assert not backend.is_demo
    assert backend.idle_lock_minutes == 5


def test_a_person_round_trip(backend: LocalBackend) -> None:
    person_id = people_ops.create_person(person_input(given_name="Carys")).call(backend)
    assert person_id in people_ops.list_person_ids().call(backend)
    [row] = people_ops.person_rows([person_id]).call(backend)
    assert row.full_name == "Carys Pritchard"
    version = people_ops.update_person(person_id, 1, person_input(given_name="Carys Mai")).call(
        backend
    )
    assert version == 2
    assert people_ops.person_detail(person_id).call(backend).given_name == "Carys Mai"
    with pytest.raises(EditConflict):
        people_ops.update_person(person_id, 1, person_input(given_name="Stale")).call(backend)
    with pytest.raises(InvalidInput) as caught:
        people_ops.create_person(person_input(postcode="nowhere")).call(backend)
    assert set(caught.value.fields) == {"postcode"}


def test_saving_a_person_answers_their_id_and_names_them(backend: LocalBackend) -> None:
    """The person dialog's one operation: a new person or an edit, either way
    the id, and the people list and that person announced as changed."""
    added = people_ops.save_person(None, person_input(given_name="Carys"))
    person_id = added.call(backend)
    assert added.writes and added.changes_for(person_id) == Changes(
        people=True, person_ids=frozenset({person_id})
    )
    person = people_ops.person_detail(person_id).call(backend)
    edited = people_ops.save_person(person, person_input(given_name="Carys Mai"))
    assert edited.call(backend) == person_id
    assert edited.writes and edited.changes_for(person_id) == Changes(
        people=True, person_ids=frozenset({person_id})
    )
    assert people_ops.person_detail(person_id).call(backend).version == person.version + 1


def test_reads_that_audit_run_on_the_write_worker_and_a_page_of_rows_does_not() -> None:
    """As the facade's transactions were: the people list, a person, a case,
    search and my cases write an audit entry; a page of list rows does not."""
    for audited in (
        people_ops.list_person_ids(),
        people_ops.person_detail(1),
        people_ops.search("smith"),
        cases_ops.case_detail(1),
        cases_ops.my_cases(),
    ):
        assert audited.writes and not audited.changes_for(None)
    assert people_ops.person_rows([1]).work is Work.READ


def test_a_case_round_trip(backend: LocalBackend) -> None:
    person_id = people_ops.create_person(person_input()).call(backend)
    case_id = cases_ops.open_case(person_id, "blue-badge", "Blue Badge renewal").call(backend)
    cases_ops.add_note(case_id, "First visit").call(backend)
    task_id = cases_ops.add_task(case_id, "Scan proof of address", None).call(backend)
    cases_ops.set_task_done(case_id, task_id, 1, True).call(backend)
    version = cases_ops.change_status(case_id, None, 1, "closed").call(backend)
    detail = cases_ops.case_detail(case_id).call(backend)
    assert (detail.status, detail.version) == ("closed", version)
    assert [n.body for n in detail.notes] == ["First visit"]
    assert [t.done for t in detail.tasks] == [True]
    note_id = detail.notes[0].id
    assert cases_ops.edit_note(case_id, note_id, 1, "First visit, with daughter").call(backend) == 2


def test_the_caseload_wall_holds_through_the_facade(
    backend: LocalBackend, sam_backend: LocalBackend
) -> None:
    person_id = people_ops.create_person(person_input(family_name="Vanderbilt-Ystrad")).call(
        backend
    )
    case_id = cases_ops.open_case(person_id, "blue-badge", "Blue Badge").call(backend)
    assert {h.person_id for h in people_ops.search("ystrad").call(backend).hits} == {person_id}
    assert people_ops.search("ystrad").call(sam_backend).hits == ()
    assert person_id not in people_ops.list_person_ids().call(sam_backend)
    assert people_ops.person_rows([person_id]).call(sam_backend) == []
    with pytest.raises(AccessRefused):
        people_ops.person_detail(person_id).call(sam_backend)
    with pytest.raises(AccessRefused):
        cases_ops.case_detail(case_id).call(sam_backend)
    with pytest.raises(AccessRefused):
        cases_ops.add_note(case_id, "peek").call(sam_backend)


# -- documents ------------------------------------------------------------------


@pytest.fixture
def case_id(backend: LocalBackend) -> int:
    return cases_ops.open_case(
        people_ops.create_person(person_input()).call(backend), "blue-badge", "Blue Badge"
    ).call(backend)


def test_export_writes_the_checked_bytes_under_a_safe_name(
    backend: LocalBackend, case_id: int, tmp_path: Path
) -> None:
    data = b"letter from the council\n" * 50
    source = tmp_path / "in" / "CON.txt"
    source.parent.mkdir()
    source.write_bytes(data)
    doc_id = cases_ops.attach_document(case_id, source).call(backend)
    [record] = cases_ops.case_detail(case_id).call(backend).documents
    assert record.name == "_CON.txt"

    out = tmp_path / "out"
    first = backend.export_document(doc_id, out)
    second = backend.export_document(doc_id, out)
    assert first == out / "_CON.txt"
    assert second == out / "_CON (1).txt"
    for exported in (first, second):
        assert hashlib.sha256(exported.read_bytes()).hexdigest() == record.sha256


def test_a_long_odd_name_exports_inside_the_folder(
    backend: LocalBackend, demo_profile: OpenProfile, case_id: int, tmp_path: Path
) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF-1.4")
    actor = backend.current_actor
    assert actor is not None
    with session_factory(demo_profile.engine, write=True).begin() as session:
        doc_id = attach_document(
            session, actor, case_id, source, name="../../" + "😀" * 300 + "\x07.pdf"
        )
    out = tmp_path / "out"
    exported = backend.export_document(doc_id, out)
    assert exported.parent == out
    assert exported.name.endswith(".pdf")
    assert exported.read_bytes() == b"%PDF-1.4"
    assert list(out.iterdir()) == [exported]


def test_a_damaged_document_is_not_exported(
    backend: LocalBackend, demo_profile: OpenProfile, case_id: int, tmp_path: Path
) -> None:
    source = tmp_path / "proof.txt"
    source.write_bytes(b"original")
    doc_id = cases_ops.attach_document(case_id, source).call(backend)
    with session_factory(demo_profile.engine, write=True).begin() as session:
        content = session.get(DocumentContent, doc_id)
        assert content is not None
        content.data = b"tampered"
    out = tmp_path / "out"
    with pytest.raises(DocumentRejected, match="damaged"):
        backend.export_document(doc_id, out)
    assert not out.exists() or list(out.iterdir()) == []


def test_an_export_goes_beside_a_pipe_or_link_of_its_name_never_through_it(
    backend: LocalBackend, case_id: int, tmp_path: Path
) -> None:
    """A named pipe, or a link to nowhere, already called like the document
    is left as it is; the copy takes the next free name, written whole."""
    source = tmp_path / "proof.txt"
    source.write_bytes(b"original")
    doc_id = cases_ops.attach_document(case_id, source).call(backend)
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "proof.txt")
    (out / "proof (1).txt").symlink_to(tmp_path / "elsewhere.txt")
    exported = backend.export_document(doc_id, out)
    assert exported == out / "proof (2).txt" and exported.read_bytes() == b"original"
    assert stat.S_ISFIFO((out / "proof.txt").lstat().st_mode)
    assert (out / "proof (1).txt").is_symlink() and not (tmp_path / "elsewhere.txt").exists()


def test_attach_refuses_a_pipe_without_waiting_for_it(
    backend: LocalBackend, case_id: int, tmp_path: Path
) -> None:
    """Nothing writes to the pipe: were it opened and read, this would block."""
    pipe = tmp_path / "scan.pdf"
    os.mkfifo(pipe)
    with pytest.raises(DocumentRejected, match="is a named pipe"):
        cases_ops.attach_document(case_id, pipe).call(backend)
    with pytest.raises(DocumentRejected, match="is a folder"):
        cases_ops.attach_document(case_id, tmp_path).call(backend)
    assert cases_ops.case_detail(case_id).call(backend).documents == ()


def test_attach_refuses_an_empty_file(backend: LocalBackend, case_id: int, tmp_path: Path):
    empty = tmp_path / "empty.pdf"
    empty.touch()
    with pytest.raises(DocumentRejected, match="empty"):
        cases_ops.attach_document(case_id, empty).call(backend)
    assert cases_ops.case_detail(case_id).call(backend).documents == ()


# -- services ---------------------------------------------------------------------


def test_service_choices_follow_the_language(backend: LocalBackend) -> None:
    """Every service with a form (from its definition), then the listed ones
    without a form yet (general advice), in the worker's language."""
    listed = json.loads(CATALOGUE.read_text(encoding="utf-8"))["services"]
    defined = backend.catalogue.services
    english = backend.service_choices()
    ids = [service_id for service_id, _title in english]
    assert len(ids) == len(set(ids))
    assert ids[: len(defined)] == [s.id for s in defined]
    assert set(ids) == {s.id for s in defined} | {s["id"] for s in listed}
    assert dict(english)["general-advice"] == "General advice"
    for service in defined:
        assert dict(english)[service.id] == service.text("title", "en")
    set_language("cy")
    welsh = dict(backend.service_choices())
    assert welsh["general-advice"] == "Cyngor cyffredinol"
    for service in defined:
        assert welsh[service.id] == service.text("title", "cy")
