"""The reasons picker in other screens' tests: wait for it, then skip it by Esc
as a worker in a hurry would (it opens on a new case, a new form and at the
end of an assisted session)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.performance.picker import ReasonsPicker
from ui.qt import Qt, QtWidgets


def shown_picker(qtbot: QtBot, parent: QtWidgets.QWidget) -> ReasonsPicker:
    """The picker open over ``parent``, once it has the keyboard."""
    found: list[ReasonsPicker] = []

    def shown() -> bool:
        found[:] = [p for p in parent.findChildren(ReasonsPicker) if p.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown)
    qtbot.waitUntil(
        lambda: (w := QtWidgets.QApplication.focusWidget()) is not None and w.window() is found[0]
    )
    return found[0]


def skip_reasons(qtbot: QtBot, parent: QtWidgets.QWidget) -> None:
    """Press Esc on the picker over ``parent``; it closes, recording nothing."""
    picker = shown_picker(qtbot, parent)
    focus = QtWidgets.QApplication.focusWidget()
    assert focus is not None
    window = parent.window()
    with qtbot.waitSignal(picker.finished):
        qtbot.keyClick(focus, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.isActiveWindow)  # the keyboard is back with the screen behind
