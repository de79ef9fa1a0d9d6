"""Case notes and tasks (``casefile.notes``, ``casefile.tasks``) and their timeline lines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from casework.casefile.cases import case_detail
from casework.casefile.notes import MAX_NOTE_LENGTH, add_note, edit_note, note_records
from casework.casefile.tasks import add_task, set_task_done, task_records
from casework.kernel.errors import AccessRefused, EditConflict, InvalidInput, NotFound
from casework.kernel.models import Note, Task
from casework.kernel.records import Actor
from casework.kernel.timeline import entries
from tests.unit.conftest import WriteSession

# -- notes ------------------------------------------------------------------------


def test_a_note_is_trimmed_and_lands_on_the_timeline(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        body = "\n  Phoned the council.\nThey will call back. "
        note_id = add_note(session, amira, case_id, body)
        notes = note_records(session, case_id)
        timeline = entries(session, case_id)
    assert [(n.id, n.body, n.author, n.version) for n in notes] == [
        (note_id, "Phoned the council.\nThey will call back.", "Amira Hussain", 1)
    ]
    assert timeline[0].kind == "note_added"
    assert timeline[0].summary == "Note: Phoned the council."
    assert timeline[0].worker == "Amira Hussain"


def test_a_long_first_line_is_shortened_on_the_timeline(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        add_note(session, amira, case_id, "word " * 40)
        summary = entries(session, case_id)[0].summary
    assert summary.startswith("Note: word word")
    assert summary.endswith("…")
    assert len(summary) == len("Note: ") + 80


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n"])
def test_an_empty_note_is_refused(
    write: WriteSession, amira: Actor, case_id: int, body: str
) -> None:
    with pytest.raises(InvalidInput) as caught, write() as session:
        add_note(session, amira, case_id, body)
    assert "Write something" in caught.value.fields["body"]


def test_notes_have_a_length_limit(write: WriteSession, amira: Actor, case_id: int) -> None:
    with write() as session:
        add_note(session, amira, case_id, "a" * MAX_NOTE_LENGTH)
    with pytest.raises(InvalidInput) as caught, write() as session:
        add_note(session, amira, case_id, "a" * (MAX_NOTE_LENGTH + 1))
    assert f"{MAX_NOTE_LENGTH + 1} characters" in caught.value.fields["body"]
    with write() as session:
        assert len(note_records(session, case_id)) == 1


def test_notes_are_listed_newest_first(write: WriteSession, amira: Actor, case_id: int):
    with write() as session:
        first = add_note(session, amira, case_id, "first")
        second = add_note(session, amira, case_id, "second")
        assert [n.id for n in note_records(session, case_id)] == [second, first]


def test_editing_a_note(write: WriteSession, amira: Actor, case_id: int) -> None:
    with write() as session:
        note_id = add_note(session, amira, case_id, "draft")
    with write() as session:
        assert edit_note(session, amira, note_id, 1, "  final  ") == 2
        timeline = entries(session, case_id)
    with write() as session:
        note = session.get(Note, note_id)
        assert note is not None and (note.body, note.version) == ("final", 2)
    assert timeline[0].kind == "note_edited"


def test_a_stale_note_edit_keeps_the_other_text(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        note_id = add_note(session, amira, case_id, "draft")
        edit_note(session, amira, note_id, 1, "their change")
    with pytest.raises(EditConflict) as caught, write() as session:
        edit_note(session, amira, note_id, 1, "my change")
    assert caught.value.current_version == 2
    with write() as session:
        assert session.get(Note, note_id).body == "their change"  # type: ignore[union-attr]


def test_notes_follow_the_caseload(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int
) -> None:
    with write() as session:
        note_id = add_note(session, amira, case_id, "private")
    with pytest.raises(AccessRefused), write() as session:
        add_note(session, sam, case_id, "from another team")
    with pytest.raises(AccessRefused), write() as session:
        edit_note(session, sam, note_id, 1, "from another team")
    with pytest.raises(NotFound), write() as session:
        edit_note(session, amira, 999_999, 1, "nothing there")


# -- tasks ------------------------------------------------------------------------


def test_a_task_is_added_with_its_due_date_on_the_timeline(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        task_id = add_task(session, amira, case_id, "  Send   GP letter ", date(2026, 3, 9))
        records = task_records(session, case_id, today=date(2026, 3, 1))
        timeline = entries(session, case_id)
    assert [(t.id, t.title, t.due_on, t.done, t.assigned_to, t.overdue) for t in records] == [
        (task_id, "Send GP letter", date(2026, 3, 9), False, "Amira Hussain", False)
    ]
    assert timeline[0].kind == "task_added"
    assert timeline[0].summary == "Task added: Send GP letter (due 9 March 2026)"


@pytest.mark.parametrize(("title", "words"), [("  ", "Say what needs doing"), ("x" * 201, "200")])
def test_a_task_needs_a_short_title(
    write: WriteSession, amira: Actor, case_id: int, title: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as caught, write() as session:
        add_task(session, amira, case_id, title)
    assert words in caught.value.fields["title"]


def test_marking_a_task_done_and_reopening_it(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        task_id = add_task(session, amira, case_id, "Post the form")
    with write() as session:
        assert set_task_done(session, amira, task_id, 1, True) == 2
        task = session.get(Task, task_id)
        assert task is not None and task.done and task.done_at is not None
        assert set_task_done(session, amira, task_id, 2, False) == 3
        assert not task.done and task.done_at is None
        kinds = [e.kind for e in entries(session, case_id)]
    assert kinds[:2] == ["task_reopened", "task_done"]


def test_a_stale_task_change_is_refused(write: WriteSession, amira: Actor, case_id: int):
    with write() as session:
        task_id = add_task(session, amira, case_id, "Post the form")
        set_task_done(session, amira, task_id, 1, True)
    with pytest.raises(EditConflict) as caught, write() as session:
        set_task_done(session, amira, task_id, 1, False)
    assert caught.value.current_version == 2
    with write() as session:
        assert session.get(Task, task_id).done  # type: ignore[union-attr]


def test_tasks_follow_the_caseload(
    write: WriteSession, amira: Actor, sam: Actor, case_id: int
) -> None:
    with write() as session:
        task_id = add_task(session, amira, case_id, "Post the form")
    with pytest.raises(AccessRefused), write() as session:
        add_task(session, sam, case_id, "Peek")
    with pytest.raises(AccessRefused), write() as session:
        set_task_done(session, sam, task_id, 1, True)
    with pytest.raises(NotFound), write() as session:
        set_task_done(session, amira, 999_999, 1, True)


def test_overdue_means_past_its_date_and_not_done(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    today = date(2026, 3, 10)
    with write() as session:
        late = add_task(session, amira, case_id, "Late", today - timedelta(days=1))
        due_today = add_task(session, amira, case_id, "Due today", today)
        undated = add_task(session, amira, case_id, "Whenever")
        done_late = add_task(session, amira, case_id, "Done late", today - timedelta(days=5))
        set_task_done(session, amira, done_late, 1, True)
        later = add_task(session, amira, case_id, "Later", today + timedelta(days=7))
        records = task_records(session, case_id, today=today)
    overdue = {t.id: t.overdue for t in records}
    assert overdue == {late: True, due_today: False, undated: False, done_late: False, later: False}
    # Open tasks first by date, undated after them, done ones last.
    assert [t.id for t in records] == [late, due_today, later, undated, done_late]


def test_the_case_view_shows_tasks_and_notes(
    write: WriteSession, amira: Actor, case_id: int
) -> None:
    with write() as session:
        add_task(session, amira, case_id, "Chase the department")
        add_note(session, amira, case_id, "Called them")
        detail = case_detail(session, amira, case_id)
    assert [t.title for t in detail.tasks] == ["Chase the department"]
    assert [n.body for n in detail.notes] == ["Called them"]
    assert [e.kind for e in detail.timeline] == ["note_added", "task_added", "case_opened"]
