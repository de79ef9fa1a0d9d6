"""The case's line of why help was needed, the time spent and the outcome,
with keyboard ways to pick reasons, add minutes and set the outcome."""

from __future__ import annotations

from casework.kernel.i18n import _
from casework.performance.reasons import OUTCOMES, outcome_words, reason_words
from casework.performance.records import CaseDemand
from ui.labels import day as day_words
from ui.qt import QtWidgets, Signal
from ui.widgets import message_label


def demand_words(shown: CaseDemand) -> str:
    """One plain line: the reasons, the time spent and the outcome."""
    reasons = "; ".join(reason_words(r) for r in shown.reasons) or _("none recorded")
    parts = [_("Why help was needed: {reasons}.").format(reasons=reasons)]
    parts.append(_("Time spent: {minutes} minutes.").format(minutes=shown.minutes))
    if shown.outcome is None:
        parts.append(_("Outcome: not yet."))
    else:
        words = outcome_words(shown.outcome)
        day = day_words(shown.outcome_on)
        if shown.outcome_derived:
            parts.append(
                _("Outcome: {outcome}, {day} (from the case's forms).").format(
                    outcome=words, day=day
                )
            )
        else:
            parts.append(_("Outcome: {outcome}, {day}.").format(outcome=words, day=day))
    return " ".join(parts)


class DemandRow(QtWidgets.QWidget):
    """Shows a case's ``CaseDemand``; asks for changes, never makes them."""

    reasons_requested = Signal(int)  # case id
    time_requested = Signal(int, int)  # case id, minutes
    outcome_requested = Signal(int, str)  # case id, outcome key

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseDemand")
        self.shown: CaseDemand | None = None
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.line = QtWidgets.QLabel()
        self.line.setObjectName("caseDemandLine")
        self.line.setWordWrap(True)
        column.addWidget(self.line)
        row = QtWidgets.QHBoxLayout()
        self.reasons_button = QtWidgets.QPushButton()
        self.reasons_button.setObjectName("caseDemandReasons")
        self.minutes = QtWidgets.QSpinBox()
        self.minutes.setObjectName("caseDemandMinutes")
        self.minutes.setRange(1, 600)
        self.minutes.setValue(15)
        self.minutes_label = QtWidgets.QLabel()
        self.minutes_label.setBuddy(self.minutes)
        self.time_button = QtWidgets.QPushButton()
        self.time_button.setObjectName("caseDemandAddTime")
        self.outcome = QtWidgets.QComboBox()
        self.outcome.setObjectName("caseDemandOutcome")
        self.outcome_label = QtWidgets.QLabel()
        self.outcome_label.setBuddy(self.outcome)
        self.outcome_button = QtWidgets.QPushButton()
        self.outcome_button.setObjectName("caseDemandSetOutcome")
        for widget in (
            self.reasons_button,
            self.minutes_label,
            self.minutes,
            self.time_button,
            self.outcome_label,
            self.outcome,
            self.outcome_button,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        column.addLayout(row)
        self.message = message_label("caseDemandMessage")
        column.addWidget(self.message)
        self.translate_ui()
        self.reasons_button.clicked.connect(self._reasons)
        self.time_button.clicked.connect(self._time)
        self.outcome_button.clicked.connect(self._outcome)
        self.hide()

    def translate_ui(self) -> None:
        self.reasons_button.setText(_("Why help was needed…"))
        self.reasons_button.setAccessibleName(_("Record why help was needed"))
        self.minutes_label.setText(_("Minutes"))
        self.minutes.setAccessibleName(_("Minutes spent helping"))
        self.minutes.setSuffix(_(" min"))
        self.time_button.setText(_("Add time"))
        self.time_button.setAccessibleName(_("Add the minutes to the time spent"))
        self.outcome_label.setText(_("Outcome"))
        self.outcome.setAccessibleName(_("Outcome of the case"))
        current = self.outcome.currentData()
        self.outcome.clear()
        for outcome in OUTCOMES:
            self.outcome.addItem(outcome_words(outcome), outcome.value)
        if current:
            self.outcome.setCurrentIndex(max(0, self.outcome.findData(current)))
        self.outcome_button.setText(_("Set outcome"))
        self.outcome_button.setAccessibleName(_("Set the outcome of the case"))
        if self.shown is not None:
            self.show_demand(self.shown)

    def show_demand(self, shown: CaseDemand) -> None:
        self.shown = shown
        self.message.hide()
        text = demand_words(shown)
        self.line.setText(text)
        self.line.setAccessibleName(text)
        if shown.outcome:
            self.outcome.setCurrentIndex(max(0, self.outcome.findData(shown.outcome)))
        self.time_button.setEnabled(True)
        self.outcome_button.setEnabled(True)
        self.show()

    def refuse(self, text: str) -> None:
        self.time_button.setEnabled(True)
        self.outcome_button.setEnabled(True)
        self.message.setText(text)
        self.message.show()

    def _reasons(self) -> None:
        if self.shown is not None:
            self.reasons_requested.emit(self.shown.case_id)

    def _time(self) -> None:
        if self.shown is not None:
            self.time_button.setEnabled(False)
            self.time_requested.emit(self.shown.case_id, self.minutes.value())

    def _outcome(self) -> None:
        if self.shown is not None:
            self.outcome_button.setEnabled(False)
            self.outcome_requested.emit(self.shown.case_id, str(self.outcome.currentData()))
