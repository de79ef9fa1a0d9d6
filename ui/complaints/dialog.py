"""Complain about this service: the route for the case's service and the
person's nation, in order, with what each step needs first and its time
limit (worked out from the dates recorded), buttons to record each step and
the person's consent, and the evidence pack.

The dialog only shows and asks: each button emits what the worker chose,
and the controller runs it through ``ui.operations``.
"""

from __future__ import annotations

from datetime import date

from casework.complaints.steps import Complaint, RouteStep
from casework.kernel.i18n import _, current_language
from ui.labels import day, format_date, parse_date
from ui.qt import QtCore, QtWidgets, Signal
from ui.widgets import message_label


def limit_words(item: RouteStep) -> str:
    """A step's time limit, with its last day when the dates recorded give one."""
    last = item.deadline.last_day
    if last is None:
        return item.step.time_limit
    if item.deadline.from_problem:
        return _("{limit} By {day} at the latest.").format(
            limit=item.step.time_limit, day=day(last)
        )
    return _("{limit} By {day}.").format(limit=item.step.time_limit, day=day(last))


class ComplaintDialog(QtWidgets.QDialog):
    """Emits what the worker asked for; ``show_complaint`` paints the route."""

    start_requested = Signal(str, object)  # step id, the day it was made
    response_requested = Signal(int, int, object)  # row id, version, day
    close_requested = Signal(int, int, object)  # row id, version, day
    consent_requested = Signal(object)  # the day the person said yes
    pack_requested = Signal(str, bool)  # language, large print

    COLUMNS = 5

    def __init__(self, reference: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        title = _("Complain about this service: case {case}").format(case=reference)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setObjectName("complaintDialog")
        self.complaint: Complaint | None = None
        layout = QtWidgets.QVBoxLayout(self)
        self.intro = QtWidgets.QLabel(_("Loading the complaint route…"))
        self.intro.setObjectName("complaintIntro")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = QtWidgets.QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("complaintSteps")
        self.table.setAccessibleName(_("Complaint route, step by step"))
        self.table.setHorizontalHeaderLabels(
            [_("Step"), _("Made on"), _("Final response"), _("Closed"), _("Time limit")]
        )
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        self.details = QtWidgets.QLabel()
        self.details.setObjectName("complaintStepDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(
            QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
            | QtCore.Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        layout.addWidget(self.details)

        form = QtWidgets.QFormLayout()
        self.day = QtWidgets.QLineEdit(format_date(date.today()))
        self.day.setObjectName("complaintDay")
        self.day.setAccessibleName(_("Date, as day, month and year"))
        day_label = QtWidgets.QLabel(_("&Date (day/month/year)"))
        day_label.setBuddy(self.day)
        form.addRow(day_label, self.day)
        layout.addLayout(form)

        steps_row = QtWidgets.QHBoxLayout()
        self.start_button = self._button(
            _("Record complaint &made"), _("Record that the complaint was made on this date")
        )
        self.response_button = self._button(
            _("Record final &response"), _("Record the final response received on this date")
        )
        self.close_button = self._button(
            _("Record step cl&osed"), _("Record that this step ended on this date")
        )
        self.consent_button = self._button(
            _("Record the person's &consent"),
            _("Record that the person agreed to an evidence pack on this date"),
        )
        for button in (
            self.start_button,
            self.response_button,
            self.close_button,
            self.consent_button,
        ):
            steps_row.addWidget(button)
        self.start_button.clicked.connect(self._start)
        self.response_button.clicked.connect(self._response)
        self.close_button.clicked.connect(self._close)
        self.consent_button.clicked.connect(self._consent)
        layout.addLayout(steps_row)

        pack_row = QtWidgets.QHBoxLayout()
        self.language = QtWidgets.QComboBox()
        self.language.setObjectName("complaintPackLanguage")
        self.language.setAccessibleName(_("Language of the evidence pack"))
        self.language.addItem(_("English"), "en")
        self.language.addItem(_("Welsh"), "cy")
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        language_label = QtWidgets.QLabel(_("Pack &language"))
        language_label.setBuddy(self.language)
        self.large_print = QtWidgets.QCheckBox(_("Lar&ge print"))
        self.large_print.setAccessibleName(_("Large print evidence pack"))
        self.pack_button = self._button(
            _("Build the evidence &pack…"), _("Build the evidence pack as a PDF")
        )
        self.pack_button.clicked.connect(self._pack)
        for widget in (language_label, self.language, self.large_print, self.pack_button):
            pack_row.addWidget(widget)
        pack_row.addStretch(1)
        layout.addLayout(pack_row)

        self.message = message_label("complaintMessage")
        layout.addWidget(self.message)
        self.status = QtWidgets.QLabel()
        self.status.setObjectName("complaintStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QtWidgets.QDialogButtonBox()
        closer = buttons.addButton(_("Close"), QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        closer.setAccessibleName(_("Close"))
        closer.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 560)
        self._enable()

    def _button(self, text: str, name: str) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        return button

    # -- painting ------------------------------------------------------------------
    def show_complaint(self, complaint: Complaint) -> None:
        """Paint the route; keep the selected step selected."""
        keep = max(self.table.currentRow(), 0)
        self.complaint = complaint
        intro = _("Take these steps in order. Each body needs the one before it to have finished.")
        if complaint.ladder_run_out:
            intro = (
                _("The escalation ladder has run out: nobody further up can be asked.")
                + " "
                + intro
            )
        if complaint.consent_on is not None:
            intro += " " + _("The person agreed to an evidence pack on {day}.").format(
                day=day(complaint.consent_on)
            )
        self.intro.setText(intro)
        self.table.setRowCount(len(complaint.steps))
        for row, item in enumerate(complaint.steps):
            rec = item.recorded
            cells = (
                f"{item.step.number}. {item.step.body.name}",
                day(rec.started_on) if rec else "",
                day(rec.final_response_on) if rec else "",
                day(rec.closed_on) if rec else "",
                limit_words(item),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QtWidgets.QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        for column in range(1, self.COLUMNS - 1):
            self.table.resizeColumnToContents(column)
        self.table.setColumnWidth(0, 260)
        header.setSectionResizeMode(self.COLUMNS - 1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        if complaint.steps:
            self.table.selectRow(min(keep, len(complaint.steps) - 1))
        self._enable()

    def selected(self) -> RouteStep | None:
        if self.complaint is None:
            return None
        row = self.table.currentRow()
        if 0 <= row < len(self.complaint.steps):
            return self.complaint.steps[row]
        return None

    def _selection_changed(self) -> None:
        item = self.selected()
        if item is None:
            self.details.clear()
        else:
            step = item.step
            self.details.setText(
                "\n".join(
                    [
                        step.body.what,
                        _("Needs first: {needs}").format(needs=step.needs_first),
                        _("How to contact: {contact}").format(contact=step.body.contact),
                        step.body.url,
                    ]
                )
            )
        self._enable()

    def _enable(self) -> None:
        item = self.selected()
        recorded = item.recorded if item else None
        self.start_button.setEnabled(
            item is not None and recorded is None and item.deadline.can_start
        )
        self.response_button.setEnabled(recorded is not None)
        self.close_button.setEnabled(recorded is not None)
        self.consent_button.setEnabled(self.complaint is not None)
        self.pack_button.setEnabled(self.complaint is not None)

    def refused(self, text: str) -> None:
        self.status.clear()
        self.message.setText(text)
        self.message.show()
        self._enable()

    def said(self, text: str) -> None:
        self.message.clear()
        self.message.hide()
        self.status.setText(text)

    # -- asking --------------------------------------------------------------------
    def _day(self) -> date | None:
        try:
            chosen = parse_date(self.day.text())
        except ValueError:
            chosen = None
        if chosen is None:
            self.refused(_("Enter the date as day, month and year, like 31/12/2026."))
            self.day.setFocus()
        return chosen

    def _start(self) -> None:
        item, chosen = self.selected(), self._day()
        if item is not None and chosen is not None:
            self.start_requested.emit(item.step.id, chosen)

    def _response(self) -> None:
        item, chosen = self.selected(), self._day()
        if item is not None and item.recorded is not None and chosen is not None:
            self.response_requested.emit(item.recorded.id, item.recorded.version, chosen)

    def _close(self) -> None:
        item, chosen = self.selected(), self._day()
        if item is not None and item.recorded is not None and chosen is not None:
            self.close_requested.emit(item.recorded.id, item.recorded.version, chosen)

    def _consent(self) -> None:
        chosen = self._day()
        if chosen is not None:
            self.consent_requested.emit(chosen)

    def _pack(self) -> None:
        self.pack_requested.emit(str(self.language.currentData()), self.large_print.isChecked())
