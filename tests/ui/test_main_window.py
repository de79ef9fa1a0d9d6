"""The main window driven as a worker would: sign in, find, open, write, lock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from app.backend import LocalBackend
from app.demo.people import DEMO_PASSWORD
from app.profile import OpenProfile
from casework.casefile import cases as casefile_cases
from casework.casefile import people as casefile_people
from casework.kernel.records import PersonInput
from tests.ui.conftest import screenshot, sign_in
from ui.operations import Changes
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops
from ui.operations.runner import on_write_worker
from ui.qt import Qt
from ui.window.main import MainWindow


def test_demo_sign_in_screen_is_labelled_demo(window: MainWindow, artifacts: Path) -> None:
    assert window.stack.currentWidget() is window.sign_in_page
    banner = window.findChild(type(window.sign_in_page.message), "demoBanner")
    assert banner is not None and "DEMO" in banner.text()
    assert not window.lock_action.isEnabled()
    screenshot(window, artifacts, "01-sign-in")


def test_good_password_shows_the_caseload(
    qtbot: QtBot, window: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    sign_in(qtbot, window)
    expected = len(people_ops.list_person_ids().call(fresh_backend))
    assert window.people_model.rowCount() == expected
    assert str(expected) in window.list_label.text()
    assert "Amira" in window.signed_in_label.text()
    first = window.people_model.index(0, 0).data()
    assert first and first != "…"
    assert window.people_model.pages_fetched == 0  # the first page came with the list
    window.people_view.setFocus()
    window.people_view.selectRow(0)
    qtbot.waitUntil(lambda: window.person_panel.person is not None)
    screenshot(window, artifacts, "02-people")


def test_wrong_password_keeps_username_and_says_what_to_do(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.sign_in_page
    page.username.setText("amira")
    page.password.setText("not-the-password")
    page.button.click()
    qtbot.waitUntil(lambda: page.message.isVisible())
    assert "password" in page.message.text().lower()
    assert page.username.text() == "amira"
    assert page.password.text() == ""
    assert window.stack.currentWidget() is window.sign_in_page


def test_five_failures_lock_the_account(qtbot: QtBot, window: MainWindow, artifacts: Path) -> None:
    page = window.sign_in_page
    for _attempt in range(5):
        page.username.setText("tom")
        page.password.setText("wrong-password")
        page.button.click()
        qtbot.waitUntil(lambda: page.button.isEnabled())
    page.password.setText(DEMO_PASSWORD)
    page.button.click()
    qtbot.waitUntil(lambda: page.button.isEnabled())
    assert window.stack.currentWidget() is window.sign_in_page
    assert "locked" in page.message.text().lower()
    screenshot(window, artifacts, "03-locked-account")


def test_empty_sign_in_is_refused_on_screen(qtbot: QtBot, window: MainWindow) -> None:
    window.sign_in_page.button.click()
    assert "Enter your username" in window.sign_in_page.message.text()


def test_search_finds_a_person_and_opens_them(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = signed_in
    row = people_ops.person_rows(people_ops.list_person_ids().call(fresh_backend)[:1]).call(
        fresh_backend
    )[0]
    qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert win.search_edit.hasFocus()
    qtbot.keyClicks(win.search_edit, row.family_name)
    qtbot.waitUntil(lambda: win.list_stack.currentWidget() is win.results_view, timeout=5000)
    assert win.results_model.rowCount() >= 1
    titles = [win.results_model.hit(i).title for i in range(win.results_model.rowCount())]
    assert any(row.family_name in t for t in titles)
    screenshot(win, artifacts, "04-search")
    person_row = next(
        i
        for i in range(win.results_model.rowCount())
        if win.results_model.hit(i).person_id == row.id
        and win.results_model.hit(i).kind == "person"
    )
    win.results_view.setCurrentIndex(win.results_model.index(person_row))
    win.results_view.setFocus()
    qtbot.keyClick(win.results_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.person_panel.person is not None)
    assert win.person_panel.person.id == row.id


def test_nonsense_search_says_nothing_found(qtbot: QtBot, signed_in: MainWindow) -> None:
    win = signed_in
    win.search_edit.setText('"zzqx NEAR( OR *')
    qtbot.waitUntil(lambda: "Nothing found" in win.list_label.text(), timeout=5000)
    win.search_edit.clear()
    qtbot.waitUntil(lambda: win.list_stack.currentWidget() is win.people_view)


def _open_first_case(qtbot: QtBot, win: MainWindow, backend: LocalBackend) -> int:
    for person_id in people_ops.list_person_ids().call(backend):
        detail = people_ops.person_detail(person_id).call(backend)
        if detail.cases:
            win.show_person(person_id)
            qtbot.waitUntil(lambda: win.person_panel.person is not None)
            item = win.person_panel.cases.topLevelItem(0)
            win.person_panel.cases.setCurrentItem(item)
            win.person_panel.cases.setFocus()
            qtbot.keyClick(win.person_panel.cases, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: win.case_view.case is not None)
            return detail.cases[0].id
    raise AssertionError("demo data has no case")


def test_add_a_note_with_the_keyboard_only(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = signed_in
    case_id = _open_first_case(qtbot, win, fresh_backend)
    before = len(win.case_view.case.notes)
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert win.case_view.note_edit.hasFocus()
    qtbot.keyClicks(win.case_view.note_edit, "Rang the council; form posted today.")
    qtbot.keyClick(win.case_view.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(win.case_view.case.notes) == before + 1)
    assert win.case_view.note_edit.toPlainText() == ""
    assert any(
        "form posted today" in n.body
        for n in cases_ops.case_detail(case_id).call(fresh_backend).notes
    )
    kinds = [e.kind for e in win.case_view.case.timeline]
    assert "note_added" in kinds
    screenshot(win, artifacts, "05-case-notes")


def test_empty_note_is_refused_and_nothing_saved(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend
) -> None:
    win = signed_in
    _open_first_case(qtbot, win, fresh_backend)
    before = len(win.case_view.case.notes)
    win.case_view.note_edit.setPlainText("   ")
    win.case_view.note_button.click()
    assert win.case_view.note_message.isVisible()
    assert len(win.case_view.case.notes) == before


def test_tasks_documents_and_status(
    qtbot: QtBot,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
    tmp_path: Path,
    artifacts: Path,
) -> None:
    win = signed_in
    case_id = _open_first_case(qtbot, win, fresh_backend)
    cv = win.case_view
    cv.tabs.setCurrentIndex(2)
    cv.task_title.setText("Send GP letter")
    cv.task_due.setText("31/02/2026")
    cv.task_button.click()
    assert "due date" in cv.task_message.text()
    assert cv.task_title.text() == "Send GP letter"
    cv.task_due.setText("01/01/2020")
    cv.task_button.click()
    qtbot.waitUntil(lambda: any(t.title == "Send GP letter" for t in cv.case.tasks))
    task = next(t for t in cv.case.tasks if t.title == "Send GP letter")
    assert task.overdue
    item = next(
        cv.tasks.topLevelItem(i)
        for i in range(cv.tasks.topLevelItemCount())
        if cv.tasks.topLevelItem(i).text(0) == "Send GP letter"
    )
    item.setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: any(t.done for t in cv.case.tasks if t.title == "Send GP letter"))

    letter = tmp_path / "letter from DWP.txt"
    letter.write_text("Your claim has been received.", encoding="utf-8")
    cv.attach_requested.emit(case_id, letter)
    qtbot.waitUntil(lambda: any(d.name.startswith("letter from DWP") for d in cv.case.documents))
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    cv.attach_requested.emit(case_id, empty)
    qtbot.waitUntil(lambda: cv.document_message.isVisible())
    assert cv.document_message.text()

    target = next(s for s in cv.case.allowed_statuses)
    cv.status.setCurrentIndex(cv.status.findData(target))
    cv.status_button.click()
    qtbot.waitUntil(lambda: cv.case.status == target)
    cv.tabs.setCurrentIndex(3)
    screenshot(win, artifacts, "06-case-documents")
    cv.tabs.setCurrentIndex(0)
    screenshot(win, artifacts, "07-case-timeline")


def test_lock_by_keyboard_and_unlock_keeps_typing(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = signed_in
    _open_first_case(qtbot, win, fresh_backend)
    win.case_view.note_edit.setPlainText("half-written note")
    qtbot.keyClick(win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert win.stack.currentWidget() is win.lock_screen
    assert not win.new_person_action.isEnabled()
    screenshot(win, artifacts, "08-lock-screen")
    win.lock_screen.password.setText("wrong-password")
    win.lock_screen.unlock_button.click()
    qtbot.waitUntil(lambda: win.lock_screen.message.isVisible())
    assert win.stack.currentWidget() is win.lock_screen
    qtbot.keyClicks(win.lock_screen.password, DEMO_PASSWORD)
    qtbot.keyClick(win.lock_screen.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.work_page)
    assert win.case_view.note_edit.toPlainText() == "half-written note"


def test_idle_lock(qtbot: QtBot, signed_in: MainWindow) -> None:
    win = signed_in
    assert win.idle_timer.interval() == 5 * 60 * 1000
    win.set_idle_interval(150)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.lock_screen, timeout=5000)


def test_sign_out_from_lock_screen(qtbot: QtBot, signed_in: MainWindow) -> None:
    win = signed_in
    win.lock()
    win.lock_screen.sign_out_button.click()
    assert win.stack.currentWidget() is win.sign_in_page
    assert win.people_model.rowCount() == 0
    qtbot.waitUntil(lambda: win.backend.current_actor is None)


def test_a_save_queued_before_signing_out_runs_and_late_answers_stay_quiet(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend
) -> None:
    """Signing out waits, on the write worker, for the saves already asked for;
    a read that answers after the worker has gone shows nothing."""
    win = signed_in
    case_id = _open_first_case(qtbot, win, fresh_backend)
    before = len(win.case_view.case.notes)
    shown: list[BaseException] = []
    win.ops.failed.disconnect(win.unexpected)  # no modal dialog: count what would show
    win.ops.failed.connect(shown.append)
    win.case_view.note_requested.emit(case_id, "Saved as I left.")
    win.ops.run(cases_ops.case_detail(case_id))  # its answer is for a worker who has gone
    win.sign_out()
    assert win.stack.currentWidget() is win.sign_in_page
    win.ops.wait_idle()
    assert fresh_backend.current_actor is None
    assert shown == []
    sign_in(qtbot, win)
    notes = cases_ops.case_detail(case_id).call(fresh_backend).notes
    assert len(notes) == before + 1 and notes[0].body == "Saved as I left."


def test_new_person_with_bad_identifiers_keeps_typing(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = signed_in
    qtbot.keyClick(
        win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: win.person_dialog is not None and win.person_dialog.isVisible())
    dialog = win.person_dialog
    dialog.given_name.setText("Olwen")
    dialog.family_name.setText("Pryce-Jones")
    dialog.nhs_number.setText("485 777 3456")
    dialog.ni_number.setText("AB 12 34 56 C")
    dialog.postcode.setText("not a postcode")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.form.summary.isVisible())
    assert dialog.form.error_text("nhs_number")
    assert dialog.form.error_text("postcode")
    assert dialog.given_name.text() == "Olwen"
    assert dialog.nhs_number.text() == "485 777 3456"
    screenshot_path = artifacts / "09-person-errors.png"
    assert dialog.grab().save(str(screenshot_path))
    dialog.nhs_number.setText("485 777 3457")
    dialog.postcode.setText("cf10 1ep")
    dialog.save_button.click()
    qtbot.waitUntil(
        lambda: (
            win.person_panel.person is not None
            and win.person_panel.person.family_name == "Pryce-Jones"
        )
    )
    assert win.person_panel.person.postcode == "CF10 1EP"
    qtbot.waitUntil(
        lambda: win.people_model.rowCount() == len(people_ops.list_person_ids().call(fresh_backend))
    )


def test_edit_conflict_keeps_what_was_typed(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend
) -> None:
    win = signed_in
    person_id = people_ops.list_person_ids().call(fresh_backend)[0]
    win.show_person(person_id)
    qtbot.waitUntil(lambda: win.person_panel.person is not None)
    win.edit_person()
    dialog = win.person_dialog
    # Someone else saves first.
    current = people_ops.person_detail(person_id).call(fresh_backend)
    people_ops.update_person(
        person_id,
        current.version,
        PersonInput(
            given_name=current.given_name, family_name=current.family_name, phone="01632 960001"
        ),
    ).call(fresh_backend)
    dialog.access_needs.setPlainText("Step-free access")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.form.summary.isVisible())
    assert "Someone else" in dialog.form.summary.text()
    assert dialog.access_needs.toPlainText() == "Step-free access"


def test_new_case_from_the_keyboard(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend
) -> None:
    win = signed_in
    person_id = people_ops.list_person_ids().call(fresh_backend)[1]
    win.show_person(person_id)
    qtbot.waitUntil(
        lambda: win.person_panel.person is not None and win.person_panel.person.id == person_id
    )
    before = len(win.person_panel.person.cases)
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert "Open a case first" in win.statusBar().currentMessage()
    qtbot.keyClick(win, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.case_dialog is not None)  # the choices load off the UI thread
    dialog = win.case_dialog
    assert dialog is not None
    dialog.open_button.click()
    qtbot.waitUntil(lambda: dialog.form.summary.isVisible())
    assert dialog.form.error_text("service_id")
    dialog.service.setCurrentIndex(1)
    assert dialog.title.text()
    dialog.open_button.click()
    qtbot.waitUntil(
        lambda: win.case_view.case is not None and win.case_view.case.person_id == person_id
    )
    assert len(people_ops.person_detail(person_id).call(fresh_backend).cases) == before + 1


def test_full_disk_keeps_the_note_on_screen(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, demo_profile: OpenProfile
) -> None:
    """SQLite's own "database or disk is full" (capped with max_page_count)."""
    win = signed_in
    case_id = _open_first_case(qtbot, win, fresh_backend)
    before = len(cases_ops.case_detail(case_id).call(fresh_backend).notes)
    engine = demo_profile.engine
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    def cap(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", cap)
    engine.dispose()
    long_note = "Went through the whole form with her. " * 500
    win.case_view.note_edit.setPlainText(long_note)
    win.case_view.note_button.click()
    qtbot.waitUntil(lambda: win.case_view.note_message.isVisible(), timeout=10000)
    assert "disk is full" in win.case_view.note_message.text()
    assert win.case_view.note_edit.toPlainText() == long_note
    assert win.case_view.note_button.isEnabled()
    event.remove(engine, "connect", cap)
    engine.dispose()
    assert len(cases_ops.case_detail(case_id).call(fresh_backend).notes) == before


def test_guessing_at_the_lock_screen_locks_the_account(qtbot: QtBot, signed_in: MainWindow) -> None:
    win = signed_in
    win.lock()
    for attempt in range(5):
        win.lock_screen.password.setText(f"guess-{attempt}")
        win.lock_screen.unlock_button.click()
        # The backend signs out on its worker before the window hears of it: wait for the window.
        qtbot.waitUntil(
            lambda: (
                win.lock_screen.unlock_button.isEnabled()
                or win.stack.currentWidget() is win.sign_in_page
            )
        )
    # The backend signs out on its worker thread before the window hears of it.
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.sign_in_page)
    assert win.backend.current_actor is None
    assert "locked" in win.sign_in_page.message.text().lower()
    assert win.people_model.rowCount() == 0


def test_my_cases_lists_my_open_work_and_opens_it(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = signed_in
    expected = cases_ops.my_cases().call(fresh_backend)
    assert expected, "demo data assigns open cases to amira"
    qtbot.waitUntil(lambda: win.my_cases.topLevelItemCount() == len(expected))
    assert f"({len(expected)})" in win.left_tabs.tabText(1)
    win.left_tabs.setCurrentIndex(1)
    first = win.my_cases.topLevelItem(0)
    assert first.text(0) == expected[0].person_name
    win.my_cases.setCurrentItem(first)
    win.my_cases.setFocus()
    qtbot.keyClick(win.my_cases, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.case_view.case is not None)
    assert win.case_view.case.id == expected[0].case_id
    screenshot(win, artifacts, "13-my-cases")
    # Closing the case takes it off the list.
    cv = win.case_view
    cv.status.setCurrentIndex(cv.status.findData("closed"))
    cv.status_button.click()
    qtbot.waitUntil(lambda: win.my_cases.topLevelItemCount() == len(expected) - 1)


def test_a_note_reloads_its_case_and_not_the_people_list(
    qtbot: QtBot,
    signed_in: MainWindow,
    fresh_backend: LocalBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Changes are typed: a note names its case, so the case reloads and the
    people list (thousands of rows in a real office) is left alone."""
    win = signed_in
    case_id = _open_first_case(qtbot, win, fresh_backend)
    win.ops.wait_idle()
    calls: list[str] = []
    # The operations name the core functions: count the calls of those.
    list_person_ids = casefile_people.list_person_ids
    case_detail = casefile_cases.case_detail

    def counting_list(session: Any, actor: Any, **kwargs: Any) -> list[int]:
        calls.append("people list")
        return list_person_ids(session, actor, **kwargs)

    def counting_case(session: Any, actor: Any, wanted: int, **kwargs: Any) -> Any:
        calls.append(f"case {wanted}")
        return case_detail(session, actor, wanted, **kwargs)

    monkeypatch.setattr(casefile_people, "list_person_ids", counting_list)
    monkeypatch.setattr(casefile_cases, "case_detail", counting_case)
    refreshed: list[bool] = []
    monkeypatch.setattr(win.people_model, "refresh_rows", lambda: refreshed.append(True))
    before = len(win.case_view.case.notes)

    with qtbot.waitSignal(win.ops.changes_applied) as blocker:
        win.case_view.note_edit.setPlainText("Posted the form.")
        win.case_view.note_requested.emit(case_id, "Posted the form.")
    assert blocker.args == [Changes(case_ids=frozenset({case_id}))]
    qtbot.waitUntil(lambda: len(win.case_view.case.notes) == before + 1)
    win.ops.wait_idle()
    assert calls.count(f"case {case_id}") == 1
    assert "people list" not in calls and not refreshed

    # A change to the people list does reload it (and nothing else asked for it).
    with qtbot.waitSignal(win.people_model.modelReset):
        win.ops.changes_applied.emit(Changes(people=True))
    assert calls.count("people list") == 1


def test_every_write_transaction_runs_on_the_one_write_worker(
    qtbot: QtBot, window: MainWindow, fresh_backend: LocalBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a person or a case, and searching, write an audit entry: they
    are writes, so they run on the one write worker, never beside it on the
    read pool. (The test's own set-up calls run on the UI thread: left out.)"""
    seen: list[tuple[bool, bool, bool]] = []  # (write, on the write worker, on the UI thread)
    real_tx = fresh_backend._tx

    @contextmanager
    def watched(*, write: bool) -> Iterator[Any]:
        ui_thread = threading.current_thread() is threading.main_thread()
        seen.append((write, on_write_worker(), ui_thread))
        with real_tx(write=write) as session:
            yield session

    monkeypatch.setattr(fresh_backend, "_tx", watched)
    sign_in(qtbot, window)
    _open_first_case(qtbot, window, fresh_backend)
    window.search_edit.setText("Riverside")
    qtbot.waitUntil(lambda: window.list_stack.currentWidget() is not window.people_view)
    window.ops.wait_idle()
    window_work = [entry for entry in seen if not entry[2]]
    writes = [entry for entry in window_work if entry[0]]
    assert len(writes) >= 4  # sign-in, the people list, the person, the case, the search
    assert all(on_worker for _write, on_worker, _ui in writes), writes
