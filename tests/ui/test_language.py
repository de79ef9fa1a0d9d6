"""Switching between English and Welsh at once, without losing anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.profile import OpenProfile
from app.settings import load_settings
from casework.escalation.records import EscalationRequest
from tests.ui.conftest import screenshot, sign_in
from tests.ui.test_main_window import _open_first_case
from tests.unit.factories import person_input
from ui.operations import cases as cases_ops
from ui.operations import escalation as escalation_ops
from ui.operations import forms as forms_ops
from ui.operations import people as people_ops
from ui.qt import Qt, QtWidgets
from ui.window.main import MainWindow


def test_switch_to_welsh_and_back_keeps_the_work(
    qtbot: QtBot,
    window: MainWindow,
    fresh_backend: LocalBackend,
    demo_profile: OpenProfile,
    artifacts: Path,
) -> None:
    window.sign_in_page.username.setText("amira")
    assert window.sign_in_page.language_button.text() == "Cymraeg"
    window.sign_in_page.language_button.click()
    assert window.backend.language == "cy"
    assert window.sign_in_page.button.text() == "&Mewngofnodi"
    assert window.sign_in_page.language_button.text() == "English"
    assert window.sign_in_page.username.text() == "amira"
    screenshot(window, artifacts, "11-sign-in-welsh")
    assert load_settings(demo_profile.paths.settings).language == "cy"

    sign_in(qtbot, window)
    assert "Wedi mewngofnodi fel" in window.signed_in_label.text()
    assert "o bobl yn eich llwyth achosion" in window.list_label.text()
    _open_first_case(qtbot, window, fresh_backend)
    window.case_view.note_edit.setPlainText("Ffoniodd y cyngor")
    screenshot(window, artifacts, "12-case-welsh")

    window.switch_language("en")
    assert window.case_view.case is not None
    assert window.detail_stack.currentWidget() is window.case_view
    assert window.case_view.note_edit.toPlainText() == "Ffoniodd y cyngor"
    assert window.case_view.note_button.text() == "&Add note"
    assert window.stack.currentWidget() is window.work_page
    assert "people in your caseload" in window.list_label.text()
    # Remembered in the profile for the next start.
    saved = load_settings(demo_profile.paths.settings)
    assert saved.language == "en"


def _language_menu_choose(qtbot: QtBot, win: MainWindow, name: str) -> None:
    """Open the Language menu with its access key and choose ``name`` with the arrows."""
    menu = next(
        a.menu()
        for a in win.menuBar().actions()
        if a.menu() is not None and any(x.text() == "Cymraeg" for x in a.menu().actions())
    )
    key = menu.title()[menu.title().index("&") + 1].upper()
    qtbot.keyClick(win, getattr(Qt.Key, f"Key_{key}"), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activePopupWidget() is menu)
    for _ in range(len(menu.actions()) + 1):
        if menu.activeAction() is not None and menu.activeAction().text() == name:
            break
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Return)


def _timeline(win: MainWindow) -> list[str]:
    tree = win.case_view.timeline
    return [tree.topLevelItem(n).text(2) for n in range(tree.topLevelItemCount())]


# The offscreen platform cannot raise a popup menu or let it grab the keyboard.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_a_live_switch_re_reads_every_open_view_and_keeps_the_rows(
    qtbot: QtBot, signed_in: MainWindow, fresh_backend: LocalBackend, artifacts: Path
) -> None:
    win = signed_in
    person_id = people_ops.create_person(person_input(given_name="Olwen")).call(fresh_backend)
    case_id = cases_ops.open_case(person_id, "blue-badge", "Badge").call(fresh_backend)
    draft, _service = forms_ops.start_form(case_id, "blue-badge").call(fresh_backend)
    escalation_ops.raise_escalation(
        EscalationRequest(case_id, "no_decision", "Applied in January; no reply.")
    ).call(fresh_backend)
    win.escalation.show_view()
    view = win.escalations_view
    qtbot.waitUntil(lambda: view.model.rowCount() >= 1)
    escalation_row = next(n for n, r in enumerate(view.model.rows) if r.case_id == case_id)
    view.table.selectRow(escalation_row)
    win.open_case(case_id)
    qtbot.waitUntil(lambda: win.case_view.case is not None and win.case_view.case.id == case_id)
    qtbot.waitUntil(lambda: win.case_view.forms.topLevelItemCount() == 1)
    win.case_view.tabs.setCurrentIndex(4)
    win.case_view.forms.setCurrentItem(win.case_view.forms.topLevelItem(0))
    qtbot.waitUntil(lambda: win.case_view.escalation.isVisible())
    assert any(line.startswith("Form started") for line in _timeline(win))

    _language_menu_choose(qtbot, win, "Cymraeg")
    assert win.backend.language == "cy"
    cv = win.case_view
    qtbot.waitUntil(lambda: not any(line.startswith("Form started") for line in _timeline(win)))
    assert any("Gwneud cais am Fathodyn Glas" in line for line in _timeline(win))
    qtbot.waitUntil(lambda: cv.forms.topLevelItemCount() == 1 and cv.form_service.count() > 0)
    assert cv.chosen_form() == draft.id and cv.tabs.currentIndex() == 4
    assert cv.forms.topLevelItem(0).text(0) == "Gwneud cais am Fathodyn Glas"
    assert cv.form_service.findText("Gwneud cais am Fathodyn Glas") >= 0
    qtbot.waitUntil(lambda: cv.escalation.isVisible())
    qtbot.waitUntil(lambda: win.escalations_view.model.rowCount() >= 1)
    chosen = win.escalations_view.selected()
    assert chosen is not None and chosen.case_id == case_id
    assert "Wedi mewngofnodi fel" in win.signed_in_label.text()
    screenshot(win, artifacts, "13-live-switch-welsh")

    # Back by code: in Welsh, Alt+I also names the Fee tab ("Ff&i") and "Cop&i papur…"
    # (access keys are lane K1's); the switch itself is what is checked here.
    win.switch_language("en")
    assert win.backend.language == "en"
    qtbot.waitUntil(lambda: any(line.startswith("Form started") for line in _timeline(win)))
    qtbot.waitUntil(lambda: win.case_view.forms.topLevelItemCount() == 1)
    assert win.case_view.chosen_form() == draft.id
    assert win.case_view.forms.topLevelItem(0).text(0) == "Apply for a Blue Badge"


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_switching_to_welsh_on_the_sign_in_page_by_keyboard_leaves_the_typing_in_the_right_box(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A keyboard user switches language before signing in, then types on:
    the keys land in the username box, then the password box, and Enter signs in."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    _language_menu_choose(qtbot, window, "Cymraeg")
    qtbot.waitUntil(lambda: window.backend.language == "cy")
    qtbot.waitUntil(window.isActiveWindow)
    page = window.sign_in_page
    qtbot.waitUntil(page.username.hasFocus)
    qtbot.keyClicks(QtWidgets.QApplication.focusWidget(), "amira")
    qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(page.password.hasFocus)
    qtbot.keyClicks(QtWidgets.QApplication.focusWidget(), "alongside-demo")
    qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.work_page)
    assert "Wedi mewngofnodi fel" in window.signed_in_label.text()
