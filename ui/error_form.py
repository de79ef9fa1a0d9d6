"""A form with an error summary and inline errors, GOV.UK style.

Each field has a label, the widget and an error line under it. When a save
is refused, ``show_errors`` fills the summary at the top (read out by screen
readers), writes each message beside its field and moves focus to the first
wrong field. What the worker typed is never cleared.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from casework.kernel.i18n import _
from ui.qt import QtWidgets
from ui.wrapped_label import WrappedLabel

W = TypeVar("W", bound=QtWidgets.QWidget)

ERROR_STYLE = "color: #d4351c; font-weight: bold;"


class ErrorForm(QtWidgets.QWidget):
    """Labelled fields with per-field error lines and a summary."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QtWidgets.QVBoxLayout(self)
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("errorSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(
            "QLabel { border: 3px solid #d4351c; padding: 8px; color: #0b0c0c; }"
        )
        self.summary.setAccessibleName(_("There is a problem"))
        self.summary.hide()
        self._layout.addWidget(self.summary)
        self._form = QtWidgets.QFormLayout()
        self._form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._layout.addLayout(self._form)
        self._fields: dict[str, tuple[QtWidgets.QWidget, QtWidgets.QLabel]] = {}

    def add_field(self, name: str, label: str, widget: W, hint: str = "") -> W:
        box = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if hint:
            hint_label = WrappedLabel(hint)
            hint_label.setStyleSheet("color: #505a5f;")
            column.addWidget(hint_label)
        error = WrappedLabel()
        error.setObjectName(f"{name}Error")
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        column.addWidget(error)
        column.addWidget(widget)
        widget.setObjectName(name)
        if not widget.accessibleName():
            widget.setAccessibleName(label.replace("&", ""))
        if hint and not widget.accessibleDescription():
            widget.setAccessibleDescription(hint)
        self._form.addRow(label, box)
        row_label = self._form.labelForField(box)
        if isinstance(row_label, QtWidgets.QLabel):
            row_label.setBuddy(widget)
        self._fields[name] = (widget, error)
        return widget

    def error_text(self, name: str) -> str:
        return self._fields[name][1].text()

    def clear_errors(self) -> None:
        self.summary.hide()
        self.summary.clear()
        for _widget, error in self._fields.values():
            error.clear()
            error.hide()

    def show_errors(self, errors: Mapping[str, str], general: str = "") -> None:
        """Show messages by field name; unknown names go in the summary only."""
        self.clear_errors()
        lines = [general] if general else []
        first: QtWidgets.QWidget | None = None
        for name, message in errors.items():
            lines.append(message)
            if name in self._fields:
                widget, error = self._fields[name]
                error.setText(message)
                error.show()
                first = first or widget
        if lines:
            self.summary.setText(
                _("There is a problem") + "\n" + "\n".join(f"• {m}" for m in lines)
            )
            self.summary.show()
        if first is not None:
            first.setFocus()
