"""The QApplication: names (matching the desktop entry), and the main loop.

``ALONGSIDE_EXIT_AFTER_FIRST_PAINT=1`` makes the loop quit as soon as the
first window (the sign-in window, ``app.start``) has painted once, so the
cold-start benchmark can time a real start-up to a visible window; the
profile is then not loaded at all.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from casework.kernel.i18n import _
from ui import qt_words, widgets_wheel
from ui.qt import QtCore, QtWidgets

APP_NAME = "Alongside"
# The desktop entry's name without ``.desktop`` (packaging/linux/): Wayland
# uses it as the window's app id; on X11 the window class is APP_NAME, which
# the entry's StartupWMClass names.
APP_ID = "uk.org.alongside.Alongside"


def create_application(argv: Sequence[str]) -> QtWidgets.QApplication:
    """Make (or reuse) the one QApplication of this process."""
    existing = QtWidgets.QApplication.instance()
    if isinstance(existing, QtWidgets.QApplication):
        widgets_wheel.install(existing)
        return existing
    app = QtWidgets.QApplication(list(argv))
    widgets_wheel.install(app)  # the wheel changes no box it only passes over
    name_application(app)
    qt_words.install(app)  # Qt's own buttons and menus in Welsh too
    return app


def name_application(app: QtWidgets.QApplication) -> None:
    """Give the application the names the desktop entry and window manager match."""
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(_("Alongside"))
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)


class _FirstPaint(QtCore.QObject):
    """Quits the application once anything in the watched window has painted."""

    def __init__(self, window: QtWidgets.QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._done = False

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if (
            not self._done
            and event.type() == QtCore.QEvent.Type.Paint
            and isinstance(watched, QtWidgets.QWidget)
            and watched.window() is self._window
        ):
            self._done = True
            QtCore.QTimer.singleShot(0, QtWidgets.QApplication.quit)
        return False


def exits_after_first_paint() -> bool:
    """True when this run ends at the first paint (benchmarks and start-up tests)."""
    return bool(os.environ.get("ALONGSIDE_EXIT_AFTER_FIRST_PAINT"))


def exec_main(app: QtWidgets.QApplication, window: QtWidgets.QWidget) -> int:
    """Show the window and run the event loop until it closes."""
    if exits_after_first_paint():
        app.installEventFilter(_FirstPaint(window))
        # Never hang a benchmark or test run: no paint within a minute is a failure.
        QtCore.QTimer.singleShot(60_000, lambda: app.exit(3))
    window.show()
    return app.exec()
