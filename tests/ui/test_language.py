"""Switching between English and Welsh at once, without losing anything."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from app.profile import OpenProfile
from app.settings import load_settings
from tests.ui.conftest import screenshot, sign_in
from tests.ui.test_main_window import _open_first_case
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
