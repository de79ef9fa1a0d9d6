"""The mouse wheel never changes a choice by accident.

Scrolling a long dialog with the wheel used to change whichever combo box or
spin box (a date box, the grant dialog's Service box) passed under the
pointer. One application-wide event filter makes every combo box and spin box
take the focus only by click or Tab (``StrongFocus``, never by wheel) and
ignore the wheel unless it has the focus: the wheel then scrolls the scroll
area the box sits in, as the person meant.
"""

from __future__ import annotations

# QtCore.Qt is reached only when a box is polished: touching the Qt namespace costs
# ~15 ms, which the sign-in window must not pay before its first paint (ui.qt).
from ui.qt import QtCore, QtGui, QtWidgets

_BOXES = (QtWidgets.QComboBox, QtWidgets.QAbstractSpinBox)


def _has_focus(box: QtWidgets.QWidget) -> bool:
    focus = QtWidgets.QApplication.focusWidget()
    return focus is not None and (focus is box or box.isAncestorOf(focus))


def _scroll_area(box: QtWidgets.QWidget) -> QtWidgets.QAbstractScrollArea | None:
    parent = box.parentWidget()
    while parent is not None:
        if isinstance(parent, QtWidgets.QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


class WheelGuard(QtCore.QObject):
    """Keeps the wheel off unfocused combo boxes and spin boxes (see the module)."""

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        kind = event.type()
        if kind == QtCore.QEvent.Type.Polish and isinstance(watched, _BOXES):
            watched.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        elif (
            kind == QtCore.QEvent.Type.Wheel
            and isinstance(watched, _BOXES)
            and isinstance(event, QtGui.QWheelEvent)
            and not _has_focus(watched)
        ):
            self._scroll_instead(watched, event)
            return True  # the box never sees it
        return False

    @staticmethod
    def _scroll_instead(box: QtWidgets.QWidget, event: QtGui.QWheelEvent) -> None:
        area = _scroll_area(box)
        if area is None:
            return
        viewport = area.viewport()
        at = viewport.mapFromGlobal(event.globalPosition())
        scroll = QtGui.QWheelEvent(
            at,
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
        )
        QtWidgets.QApplication.sendEvent(viewport, scroll)


def install(app: QtWidgets.QApplication) -> None:
    """Put the guard on ``app`` (once; a second call does nothing)."""
    if app.findChild(WheelGuard) is None:
        app.installEventFilter(WheelGuard(app))
        for widget in app.allWidgets():  # those polished before the guard came
            if isinstance(widget, _BOXES):
                widget.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
