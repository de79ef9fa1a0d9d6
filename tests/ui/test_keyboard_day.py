"""A day by keyboard alone, with real key presses (never setFocus): sign in,
Ctrl+K and a name, Down into the results and Enter to open, a case, a form
whose first question has the focus, Enter to continue, arrows to choose, Tab
kept on the form page; and no two access keys alike on any screen shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.demo.people import DEMO_PASSWORD
from tests.ui.access_keys import clashes
from tests.ui.conftest import sign_in
from tests.ui.reasons_driver import skip_reasons
from ui.forms.view import FormView
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow


def focused() -> QtWidgets.QWidget | None:
    return QtWidgets.QApplication.focusWidget()


def key(qtbot: QtBot, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    widget = focused()
    assert widget is not None, "nothing has the focus: typing would go nowhere"
    qtbot.keyClick(widget, k, mod)


def type_text(qtbot: QtBot, text: str) -> None:
    widget = focused()
    assert widget is not None, "nothing has the focus: typing would go nowhere"
    qtbot.keyClicks(widget, text)


def keyboard_sign_in(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: focused() is win.sign_in_page.username)
    type_text(qtbot, "amira")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, DEMO_PASSWORD)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.work_page)
    qtbot.waitUntil(lambda: win.people_model.rowCount() > 0)


def search_for(qtbot: QtBot, win: MainWindow, text: str) -> None:
    key(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert focused() is win.search_edit
    type_text(qtbot, text)


def start_form(qtbot: QtBot, win: MainWindow, backend: LocalBackend, service: str) -> FormView:
    person_id = people_ops.list_person_ids().call(backend)[0]
    case_id = cases_ops.open_case(person_id, service, "By keyboard").call(backend)
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.case.id == case_id)
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # the Forms tab
    qtbot.waitUntil(lambda: win.case_view.form_service.findData(service) >= 0)
    assert win.case_view.form_service.currentData() == service
    key(qtbot, Qt.Key.Key_Tab)  # into the Forms tab's page
    while focused() is not win.case_view.start_form_button:
        key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: win.form_view is not None and win.form_view.isVisible())
    skip_reasons(qtbot, win)
    assert win.form_view is not None
    return win.form_view


def test_search_down_and_enter_open_the_person(
    qtbot: QtBot, window: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = window
    keyboard_sign_in(qtbot, win)
    ids = people_ops.list_person_ids().call(fresh_backend)
    person = people_ops.person_detail(ids[3]).call(fresh_backend)
    search_for(qtbot, win, person.family_name)
    qtbot.waitUntil(lambda: win.results_model.rowCount() > 0)
    key(qtbot, Qt.Key.Key_Down)
    assert focused() is win.results_view
    assert win.results_view.currentIndex().row() == 0
    screenshot = win.grab()
    assert screenshot.save(str(artifacts / "keys-01-search-results.png"))
    wanted = win.results_model.hit(0).person_id
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.person_panel.person is not None)
    assert win.person_panel.person.id == wanted
    assert win.detail_stack.currentWidget() is win.person_panel


def test_enter_in_the_box_opens_the_first_result_and_tab_reaches_results_first(
    qtbot: QtBot, window: MainWindow, fresh_backend: LocalBackend
) -> None:
    win = window
    keyboard_sign_in(qtbot, win)
    ids = people_ops.list_person_ids().call(fresh_backend)
    person = people_ops.person_detail(ids[5]).call(fresh_backend)
    search_for(qtbot, win, f"{person.given_name} {person.family_name}")
    key(qtbot, Qt.Key.Key_Return)  # before the search has even run
    qtbot.waitUntil(lambda: win.person_panel.person is not None)
    assert win.person_panel.person.id == win.results_model.hit(0).person_id
    win.person_panel.person = None
    key(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, Qt.Key.Key_Return)  # the same text, the results shown: opens, no new search
    qtbot.waitUntil(lambda: win.person_panel.person is not None)
    key(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, Qt.Key.Key_Tab)
    assert focused() is win.results_view


def test_a_form_by_keyboard_focus_enter_arrows_and_tab_stay_on_the_page(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = signed_in
    view = start_form(qtbot, win, fresh_backend, "blue-badge")
    radios = list(view.fields["applicant"].buttons.values())
    qtbot.waitUntil(lambda: focused() is radios[0])
    key(qtbot, Qt.Key.Key_Down)
    assert focused() is radios[1] and radios[1].isChecked()  # the arrow chose
    key(qtbot, Qt.Key.Key_Up)
    assert radios[0].isChecked() and not radios[1].isChecked()
    key(qtbot, Qt.Key.Key_Down)
    assert view.grab().save(str(artifacts / "keys-02-form-radio-chosen.png"))
    # Tab goes round the page and never reaches the search box (Space once wiped it).
    win.search_edit.setText("kept")
    seen = []
    for _n in range(10):
        key(qtbot, Qt.Key.Key_Tab)
        seen.append(focused())
        assert focused() is not None and view.isAncestorOf(focused()), focused()
    assert view.continue_button in seen and radios[1] in seen
    for _n in range(3):
        key(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
        assert view.isAncestorOf(focused())
    while focused() is not radios[1]:
        key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Return)  # Enter continues from a radio
    qtbot.waitUntil(lambda: view.page_id == "your-details")
    name = view.fields["applicant-name"].edit
    qtbot.waitUntil(lambda: focused() is name)  # the first question of the new page
    type_text(qtbot, "Sam Jones")
    assert name.text() == "Sam Jones"
    assert win.search_edit.text() == "kept"
    key(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # shortcuts still reach out
    assert focused() is win.search_edit
    assert win.grab().save(str(artifacts / "keys-03-form-first-question.png"))


def test_a_resumed_form_focuses_its_first_question(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend
) -> None:
    win = signed_in
    view = start_form(qtbot, win, fresh_backend, "attendance-allowance")
    first = next(iter(view.fields.values()))
    qtbot.waitUntil(lambda: focused() is first.edit)
    type_text(qtbot, "Mr")
    key(qtbot, Qt.Key.Key_Escape)
    view.close_form()
    qtbot.waitUntil(lambda: win.form_view is None)
    qtbot.waitUntil(lambda: win.case_view.forms.topLevelItemCount() > 0)
    win.case_view.continue_form_button.click()
    qtbot.waitUntil(lambda: win.form_view is not None and win.form_view.isVisible())
    resumed = win.form_view
    assert resumed is not None
    qtbot.waitUntil(lambda: focused() is next(iter(resumed.fields.values())).edit)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_no_two_access_keys_alike_on_any_screen(
    qtbot: QtBot, window: MainWindow, fresh_backend: LocalBackend, language: str
) -> None:
    win = window
    found: dict[str, dict[str, list[str]]] = {}

    def check(screen: str) -> None:
        if clash := clashes(win):
            found[screen] = clash

    win.switch_language(language)
    try:
        check("sign-in")
        sign_in(qtbot, win)  # the keyboard journey is checked above; this walks screens
        check("people")
        win.left_tabs.setCurrentIndex(1)
        check("my cases")
        win.left_tabs.setCurrentIndex(0)
        person_id = people_ops.list_person_ids().call(fresh_backend)[0]
        win.show_person(person_id)
        qtbot.waitUntil(lambda: win.person_panel.person is not None)
        check("person")
        view = start_form(qtbot, win, fresh_backend, "blue-badge")
        check("form page")
        view.show_task_list()
        check("task list")
        view.go_on()
        check("check answers")
        view.close_form()
        qtbot.waitUntil(lambda: win.form_view is None)
        for n in range(win.case_view.tabs.count()):
            win.case_view.tabs.setCurrentIndex(n)
            check(f"case, tab {win.case_view.tabs.tabText(n)}")
    finally:
        win.switch_language("en")
    assert found == {}
