"""The coercion screen's questions as one widget, shared by the grant dialog
and the kiosk: each question needs an answer (none is chosen for the worker)."""

from __future__ import annotations

from casework.kernel.i18n import _
from ui.mandates.labels import safeguarding_questions
from ui.qt import QtWidgets


class SafeguardingQuestions(QtWidgets.QWidget):
    def __init__(self, prefix: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Safeguarding questions"))
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.combos: dict[str, QtWidgets.QComboBox] = {}
        for key, question in safeguarding_questions().items():
            label = QtWidgets.QLabel(question)
            label.setWordWrap(False)  # a wrapped label in a form row gets clipped
            combo = QtWidgets.QComboBox()
            combo.setObjectName(f"{prefix}_{key}")
            combo.setAccessibleName(question)
            combo.addItem(_("Choose an answer"), None)
            combo.addItem(_("Yes"), True)
            combo.addItem(_("No"), False)
            label.setBuddy(combo)
            column.addWidget(label)
            column.addWidget(combo)
            self.combos[key] = combo
        if self.combos:
            self.setFocusProxy(next(iter(self.combos.values())))

    def answers(self) -> dict[str, bool] | None:
        """Every answer, or None while any question is unanswered."""
        chosen = {key: combo.currentData() for key, combo in self.combos.items()}
        if any(value is None for value in chosen.values()):
            return None
        return {key: bool(value) for key, value in chosen.items()}

    def answer(self, key: str, value: bool) -> None:
        combo = self.combos[key]
        combo.setCurrentIndex(combo.findData(value))
