"""Small building blocks the screens share: headings, a centred panel and a
dialog's button row."""

from __future__ import annotations

from collections.abc import Callable

from casework.i18n import _
from ui.forms import ERROR_STYLE
from ui.qt import QtWidgets


def message_label(name: str) -> QtWidgets.QLabel:
    """A hidden, red, wrapping line for a refusal shown beside the action."""
    label = QtWidgets.QLabel()
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def read_only_text(height: int) -> QtWidgets.QPlainTextEdit:
    """A fixed-height box of text to read, not edit, that Tab moves on from."""
    box = QtWidgets.QPlainTextEdit()
    box.setReadOnly(True)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def heading(text: str, name: str, scale: float = 1.5) -> QtWidgets.QLabel:
    """A bold, larger label that wraps (a page or section title)."""
    label = QtWidgets.QLabel(text)
    label.setObjectName(name)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def centred_panel(outer: QtWidgets.QVBoxLayout, width: int = 420) -> QtWidgets.QVBoxLayout:
    """Add a narrow column centred in ``outer``; returns the column's layout."""
    box = QtWidgets.QWidget()
    box.setMaximumWidth(width)
    column = QtWidgets.QVBoxLayout(box)
    row = QtWidgets.QHBoxLayout()
    row.addStretch(1)
    row.addWidget(box)
    row.addStretch(1)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    return column


def dialog_buttons(
    dialog: QtWidgets.QDialog, text: str, name: str, on_accept: Callable[[], None]
) -> tuple[QtWidgets.QDialogButtonBox, QtWidgets.QPushButton]:
    """The main button (default, runs ``on_accept``) and Cancel (closes)."""
    buttons = QtWidgets.QDialogButtonBox()
    main = buttons.addButton(text, QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
    main.setAccessibleName(name)
    main.setDefault(True)
    cancel = buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
    cancel.setAccessibleName(_("Cancel"))
    main.clicked.connect(on_accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, main
