"""The case's "Text me updates" row, driven from the keyboard in the real
window: the number shown, the person's choice recorded, the reason no text
will go shown once, in Welsh too."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.backend import LocalBackend
from offline_sync.text_updates import template
from tests.ui.conftest import sign_in
from tests.unit.factories import person_input
from ui.operations import cases as cases_ops
from ui.operations import people as people_ops
from ui.qt import Qt
from ui.window.main import MainWindow

ALT = Qt.KeyboardModifier.AltModifier


def _case(win: MainWindow, backend: LocalBackend, qtbot: QtBot, **person: object) -> int:
    person_id = people_ops.create_person(person_input(**person)).call(backend)
    case_id = cases_ops.open_case(person_id, "blue-badge", "Blue Badge renewal").call(backend)
    win.open_case(case_id)
    row = win.case_view.text_updates
    qtbot.waitUntil(lambda: row.shown is not None and row.shown.case_id == case_id)
    return case_id


def test_turn_text_updates_on_from_the_keyboard(
    qtbot: QtBot, window: MainWindow, fresh_backend: LocalBackend
) -> None:
    fresh_backend._profile.settings.extra[template.SETTING] = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    sign_in(qtbot, window)
    _case(window, fresh_backend, qtbot)
    row = window.case_view.text_updates
    assert row.isVisible() and not row.toggle.isChecked() and row.toggle.isEnabled()
    assert row.number.text() == "Texts go to 07700 900 982"
    assert row.toggle.accessibleName() == "Text updates to the person"
    assert row.why.isHidden()

    qtbot.waitUntil(window.isActiveWindow)  # access keys only work in the active window
    qtbot.keyClick(window, Qt.Key.Key_X, ALT)
    qtbot.waitUntil(lambda: row.shown is not None and row.shown.enabled)
    assert row.toggle.isChecked() and row.toggle.isEnabled()
    qtbot.waitUntil(
        lambda: "Text updates turned on" in window.case_view.timeline.topLevelItem(0).text(2)
    )


def test_why_no_text_will_go_is_said_once_in_welsh(
    qtbot: QtBot, window: MainWindow, fresh_backend: LocalBackend
) -> None:
    sign_in(qtbot, window)
    _case(window, fresh_backend, qtbot, phone="029 2087 2087")
    row = window.case_view.text_updates
    assert not row.toggle.isEnabled()
    assert row.why.text() == (
        "The number on the person's record is not a UK mobile, so texts cannot go to it."
    )
    assert row.why.text() in row.toggle.accessibleDescription()

    window.switch_language("cy")
    row = window.case_view.text_updates
    qtbot.waitUntil(lambda: row.why.text().startswith("Nid yw'r rhif"))
    assert row.toggle.text() == "Anfon diweddariadau i &mi drwy neges destun"
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_M, ALT)  # refused: the reason stays, nothing changes
    assert not row.toggle.isChecked()
    window.switch_language("en")
