"""Every interactive widget on the main screens, in the set-up and in the
person dialog has a name a screen reader can say."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.conftest import sign_in
from ui.people.dialog import PersonDialog
from ui.qt import QtGui, QtWidgets
from ui.setup_wizard import SetupDialog
from ui.window.main import MainWindow

INTERACTIVE = (
    QtWidgets.QAbstractButton,
    QtWidgets.QLineEdit,
    QtWidgets.QPlainTextEdit,
    QtWidgets.QComboBox,
    QtWidgets.QAbstractItemView,
    QtWidgets.QTabWidget,
)


def _inside_combo(widget: QtWidgets.QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QtWidgets.QComboBox):
            return True
        parent = parent.parentWidget()
    return False


def _unnamed(root: QtWidgets.QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QtWidgets.QWidget):
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QtWidgets.QHeaderView):
            continue
        if widget.objectName().startswith("qt_") or _inside_combo(widget):
            continue  # Qt's own parts of a compound control share its name
        if isinstance(widget, QtWidgets.QAbstractButton) and widget.parent().inherits("QLineEdit"):
            continue  # a line edit's own clear button
        face = QtGui.QAccessible.queryAccessibleInterface(widget)
        name = face.text(QtGui.QAccessible.Text.Name) if face is not None else ""
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_main_window_controls_are_named(qtbot: QtBot, window: MainWindow) -> None:
    assert _unnamed(window) == []
    sign_in(qtbot, window)
    window.show_person(window.people_model.person_id(0))
    qtbot.waitUntil(lambda: window.person_panel.person is not None)
    assert _unnamed(window) == []


def test_dialogs_are_named(qtbot: QtBot) -> None:
    for dialog in (PersonDialog(), SetupDialog(False, lambda _answers: None)):
        qtbot.addWidget(dialog)
        assert _unnamed(dialog) == []
