"""The wheel changes a combo box or spin box only when it has the focus;
passing over one while scrolling scrolls the page instead."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.application import create_application
from ui.qt import Qt, QtCore, QtGui, QtWidgets


def _wheel(widget: QtWidgets.QWidget, steps: int) -> None:
    """A real wheel event, one notch per step (down for positive steps)."""
    at = QtCore.QPointF(widget.rect().center())
    event = QtGui.QWheelEvent(
        at,
        QtCore.QPointF(widget.mapToGlobal(at)),
        QtCore.QPoint(),
        QtCore.QPoint(0, -120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QtWidgets.QApplication.sendEvent(widget, event)


def _page(qtbot: QtBot) -> tuple[QtWidgets.QScrollArea, QtWidgets.QComboBox, QtWidgets.QDateEdit]:
    create_application([])  # puts the wheel guard on the running application
    area = QtWidgets.QScrollArea()
    page = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(page)
    first = QtWidgets.QLineEdit()
    first.setAccessibleName("First")
    layout.addWidget(first)
    service = QtWidgets.QComboBox()
    service.setAccessibleName("Service")
    service.addItems(["Attendance Allowance", "Blue Badge", "Register to vote"])
    layout.addWidget(service)
    born = QtWidgets.QDateEdit(QtCore.QDate(1950, 3, 27))
    born.setAccessibleName("Born")
    layout.addWidget(born)
    layout.addSpacing(3000)  # a long page, to scroll
    area.setWidget(page)
    area.resize(400, 300)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, service, born


def test_the_wheel_over_an_unfocused_box_scrolls_the_page_not_the_box(qtbot: QtBot) -> None:
    area, service, born = _page(qtbot)
    qtbot.waitUntil(lambda: QtWidgets.QApplication.focusWidget() is not None)
    assert not service.hasFocus() and not born.hasFocus()
    assert service.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert born.focusPolicy() == Qt.FocusPolicy.StrongFocus
    _wheel(service, 1)
    _wheel(born, 1)
    assert service.currentText() == "Attendance Allowance"
    assert born.date() == QtCore.QDate(1950, 3, 27)
    assert area.verticalScrollBar().value() > 0, "the page should have scrolled"


def test_the_wheel_changes_a_box_that_has_the_focus(qtbot: QtBot) -> None:
    _area, service, born = _page(qtbot)
    qtbot.waitUntil(lambda: QtWidgets.QApplication.focusWidget() is not None)
    qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(service.hasFocus)
    _wheel(service, 1)
    assert service.currentText() == "Blue Badge"
    qtbot.keyClick(service, Qt.Key.Key_Tab)
    qtbot.waitUntil(born.hasFocus)
    before = born.date()
    _wheel(born, 1)
    assert born.date() != before
