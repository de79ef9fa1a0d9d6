"""The one door into Qt: every ui module imports the binding from here.

Keeping PySide6 behind a single module (as qutebrowser's ``qt/`` and Anki's
``aqt/qt`` do) means a binding change, a version check or a work-around for a
Qt quirk happens in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Signal, Slot

if TYPE_CHECKING:
    from PySide6 import QtPrintSupport
    from PySide6.QtCore import Qt

__all__ = ["Qt", "QtCore", "QtGui", "QtPrintSupport", "QtWidgets", "Signal", "Slot"]


def __getattr__(name: str) -> Any:
    # The ``Qt`` namespace makes its hundred-odd Python enums the first time it
    # is touched (~15 ms): the sign-in window paints without it, so it is
    # fetched when a module first asks for it (``from ui.qt import Qt``).
    if name == "Qt":
        return QtCore.Qt
    # Printing is loaded when the paper dialogs are first opened, not at start-up.
    if name == "QtPrintSupport":
        from PySide6 import QtPrintSupport

        return QtPrintSupport
    raise AttributeError(name)
