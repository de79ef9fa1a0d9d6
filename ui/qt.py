"""The one door into Qt: every ui module imports the binding from here.

Keeping PySide6 behind a single module (as qutebrowser's ``qt/`` and Anki's
``aqt/qt`` do) means a binding change, a version check or a work-around for a
Qt quirk happens in one place.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets
from PySide6.QtCore import Qt, Signal, Slot

__all__ = ["Qt", "QtCore", "QtGui", "QtPrintSupport", "QtWidgets", "Signal", "Slot"]
