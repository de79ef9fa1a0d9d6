"""The Forms tab's "Record the decision…": what the department decided on
the chosen sent form (awarded, refused or still waiting) and on which day.

It opens in place under the list (no dialog), so it is reached and finished
by keyboard: the outcome, the day (today unless changed), Enter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from casework.entitlements.records import Outcome, outcome_words
from casework.kernel.i18n import _
from casework.kernel.records import DraftRecord
from ui.labels import format_date, parse_date
from ui.qt import Qt, QtWidgets, Signal
from ui.widgets import message_label


class DecisionRow(QtWidgets.QWidget):
    """A button for the chosen sent form, and the outcome and day to record."""

    decision_requested = Signal(int, str, object)  # draft id, outcome, date

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionRow")
        self.chosen: Callable[[], int | None] = lambda: None
        self.sent: set[int] = set()
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.button = QtWidgets.QPushButton(_("Record the decision…"))
        self.button.setObjectName("recordDecision")
        self.button.setAccessibleName(_("Record what was decided on the chosen sent form"))
        column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.box = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(self.box)
        self.outcome = QtWidgets.QComboBox()
        self.outcome.setObjectName("decisionOutcome")
        self.outcome.setAccessibleName(_("What was decided"))
        for outcome in Outcome:
            self.outcome.addItem(outcome_words(outcome), str(outcome))
        self.day = QtWidgets.QLineEdit()
        self.day.setObjectName("decisionDay")
        self.day.setAccessibleName(_("The day it was decided, as day/month/year"))
        form.addRow(_("What was decided"), self.outcome)
        form.addRow(_("On (day/month/year)"), self.day)
        buttons = QtWidgets.QHBoxLayout()
        self.save_button = QtWidgets.QPushButton(_("Record it"))
        self.save_button.setObjectName("saveDecision")
        self.save_button.setAccessibleName(_("Record the decision"))
        self.cancel_button = QtWidgets.QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("cancelDecision")
        self.cancel_button.setAccessibleName(_("Cancel recording the decision"))
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.box.hide()
        column.addWidget(self.box)
        self.message = message_label("decisionMessage")
        column.addWidget(self.message)
        self.button.clicked.connect(self._open)
        self.save_button.clicked.connect(self._save)
        self.cancel_button.clicked.connect(self.close_box)
        self.day.returnPressed.connect(self._save)
        self.update_button()

    def show_drafts(self, drafts: list[DraftRecord]) -> None:
        self.sent = {d.id for d in drafts if d.submitted}
        self.update_button()

    def update_button(self) -> None:
        """On only for a sent form (the chosen one)."""
        on = self.chosen() in self.sent
        self.button.setEnabled(on)
        if not on:
            self.close_box()

    def refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _open(self) -> None:
        self.message.hide()
        self.outcome.setCurrentIndex(0)
        self.day.setText(format_date(date.today()))
        self.box.show()
        self.outcome.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_box(self) -> None:
        self.box.hide()

    def _save(self) -> None:
        draft_id = self.chosen()
        if draft_id is None or not self.box.isVisible():
            return
        try:
            day = parse_date(self.day.text())
        except ValueError:
            day = None
        if day is None:
            self.refuse(_("Enter the day it was decided as day/month/year, like 5/12/2026."))
            self.day.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.message.hide()
        self.decision_requested.emit(draft_id, str(self.outcome.currentData()), day)

    def recorded(self) -> None:
        """The decision was recorded: close the box, back to the list."""
        self.close_box()
        self.button.setFocus(Qt.FocusReason.OtherFocusReason)
