"""Collecting the access keys (Alt+letter) a window offers now, to find clashes."""

from __future__ import annotations

from collections import defaultdict

from ui.qt import QtGui, QtWidgets


def _key(text: str) -> str:
    return QtGui.QKeySequence.mnemonic(text).toString()


def access_keys(window: QtWidgets.QWidget) -> dict[str, list[str]]:
    """Each Alt+letter shown and usable in ``window`` now, with what it is on."""
    found: dict[str, list[str]] = defaultdict(list)

    def add(text: str, what: str) -> None:
        if key := _key(text):
            found[key].append(f"{what} {text!r}")

    for widget in [window, *window.findChildren(QtWidgets.QWidget)]:
        if widget.window() is not window or not widget.isVisible():
            continue
        if isinstance(widget, QtWidgets.QAbstractButton) and widget.isEnabled():
            add(widget.text(), type(widget).__name__)
        elif isinstance(widget, QtWidgets.QLabel) and widget.buddy() is not None:
            if widget.buddy().isVisible() and widget.buddy().isEnabled():
                add(widget.text(), "label")
        elif isinstance(widget, QtWidgets.QGroupBox) and widget.isCheckable():
            add(widget.title(), "group")
        elif isinstance(widget, QtWidgets.QTabBar):
            for n in range(widget.count()):
                if widget.isTabEnabled(n) and widget.isTabVisible(n):
                    add(widget.tabText(n), "tab")
        elif isinstance(widget, QtWidgets.QMenuBar):
            for action in widget.actions():
                if action.isVisible() and action.isEnabled():
                    add(action.text(), "menu")
    return found


def clashes(window: QtWidgets.QWidget) -> dict[str, list[str]]:
    return {k: v for k, v in access_keys(window).items() if len(v) > 1}
