"""What a controller may ask of the window it works in.

The main window makes the controllers (mandates, escalation, sync, paper)
and hands each itself as a ``Host``. A controller sees only this narrow
face, never the window's class, its private methods or its other widgets;
the widgets a controller works on are handed to it when the window builds
them. So the window imports the controllers and nothing imports back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from casework.kernel.records import CaseDetail, PersonDetail
from ui.backend import Backend
from ui.operations import Operations
from ui.qt import QtGui, QtWidgets


class Host(Protocol):
    """The window, as a controller sees it."""

    @property
    def backend(self) -> Backend: ...

    @property
    def ops(self) -> Operations:
        """The app's one runner; its ``changes_applied`` says what each write changed."""
        ...

    def dialog_parent(self) -> QtWidgets.QWidget:
        """The widget a controller's dialogs belong to."""
        ...

    def show_status(self, text: str, msecs: int = 8000) -> None:
        """A line in the status bar for ``msecs``."""
        ...

    def unexpected(self, exc: BaseException) -> None:
        """Show a refusal nobody handled, or report a bug."""
        ...

    def add_action(
        self, menu: QtWidgets.QMenu, text: str, keys: list[str], slot: Callable[[], Any]
    ) -> QtGui.QAction:
        """A menu entry with window-wide shortcuts."""
        ...

    def is_working(self) -> bool:
        """True while the work page (not sign-in or the lock screen) is shown."""
        ...

    def shown_person(self) -> PersonDetail | None:
        """The person in the person panel, if any."""
        ...

    def shown_case(self) -> CaseDetail | None:
        """The case in the case view, if any (it may be behind a form)."""
        ...

    def showing_case(self) -> bool:
        """True when the case view is the detail on screen."""
        ...

    def open_case(self, case_id: int) -> None: ...

    def open_form(self, draft_id: int, then: Callable[[Any], object] | None = None) -> None:
        """Open the draft in the form view; ``then`` is handed the view once shown."""
        ...
