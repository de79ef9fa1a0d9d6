"""The assisted-session kiosk: a full-screen mode for helping a walk-in person
with one service at a public terminal.

Three pages: **start** (the person's name, the service, the task list they
agree to, the safeguarding questions), **session** (a countdown always in
view and the service's form, nothing else of the app reachable) and **end**
(keep the details, only if the person agrees to open a case, or wipe them).
At the time limit the session stops and asks keep-or-wipe; if nobody
answers within ``answer_seconds`` the person's data is wiped. Each step runs
off the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from casework.forms.definitions import Service
from casework.kernel.errors import AlongsideError, InvalidInput
from casework.kernel.i18n import _, current_language
from casework.kernel.records import DraftRecord
from delegation.records import AssistedStart, SessionRecord
from ui.backend import Backend
from ui.error_form import ErrorForm
from ui.forms.view import FormView
from ui.mandates.safeguarding import SafeguardingQuestions
from ui.operations import Op, Operations
from ui.operations import mandates as mandate_ops
from ui.operations import performance as performance_ops
from ui.performance.controller import ask as ask_reasons
from ui.performance.picker import ReasonsPicker
from ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal
from ui.widgets import heading, message_label, read_only_text

ANSWER_SECONDS = 120
MINUTE_CHOICES = (30, 60, 90, 120)


def utc_now() -> datetime:
    return datetime.now(UTC)


def countdown_text(seconds: int) -> str:
    seconds = max(0, seconds)
    return _("Time left: {h}:{m:02d}:{s:02d}").format(
        h=seconds // 3600, m=seconds % 3600 // 60, s=seconds % 60
    )


class KioskWindow(QtWidgets.QWidget):
    """Full screen; ``finished(outcome)`` when the session is kept or wiped."""

    finished = Signal(str)

    def __init__(
        self,
        backend: Backend,
        ops: Operations,
        services: list[tuple[str, str]],
        *,
        clock: Callable[[], datetime] = utc_now,
        answer_seconds: int = ANSWER_SECONDS,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.backend = backend
        self.ops = ops
        self.clock = clock
        self.answer_seconds = answer_seconds
        self.session: SessionRecord | None = None
        self.reasons: ReasonsPicker | None = None
        self.form_view: FormView | None = None
        self.timed_out = False
        self._answer_left = 0
        self.setObjectName("kioskWindow")
        self.setWindowTitle(_("Alongside — assisted session"))
        self.setAccessibleName(_("Assisted session"))
        self.setStyleSheet("QWidget#kioskWindow { background: #f3f2f1; }")
        outer = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        self.title = heading(_("Assisted session"), "kioskTitle", 1.6)
        top.addWidget(self.title, 1)
        self.countdown = QtWidgets.QLabel()
        self.countdown.setObjectName("kioskCountdown")
        font = self.countdown.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.countdown.setFont(font)
        self.countdown.setStyleSheet(
            "QLabel { background: #0b0c0c; color: #ffdd00; padding: 6px; }"
        )
        self.countdown.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.countdown.hide()
        top.addWidget(self.countdown)
        outer.addLayout(top)
        self.pages = QtWidgets.QStackedWidget()
        outer.addWidget(self.pages, 1)
        self.start_page = self._build_start(services)
        self.session_page = self._build_session()
        self.end_page = self._build_end()
        for page in (self.start_page, self.session_page, self.end_page):
            self.pages.addWidget(page)
        self.tick = QtCore.QTimer(self)
        self.tick.setObjectName("kioskTick")
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._tick)
        self.answer_timer = QtCore.QTimer(self)
        self.answer_timer.setInterval(1000)
        self.answer_timer.timeout.connect(self._answer_tick)
        self.task_list_language = current_language()  # the language the task list is in
        self._service_changed()

    # -- start -----------------------------------------------------------------------
    def _build_start(self, services: list[tuple[str, str]]) -> QtWidgets.QWidget:
        page = QtWidgets.QScrollArea()
        page.setWidgetResizable(True)
        self.start_form = ErrorForm()
        f = self.start_form
        self.given_name = f.add_field("given_name", _("&Given name"), QtWidgets.QLineEdit())
        self.family_name = f.add_field("family_name", _("&Family name"), QtWidgets.QLineEdit())
        self.service = f.add_field("service", _("&Service"), QtWidgets.QComboBox())
        for service_id, title in services:
            self.service.addItem(title, service_id)
        self.minutes = f.add_field("minutes", _("Lengt&h"), QtWidgets.QComboBox())
        for minutes in MINUTE_CHOICES:
            self.minutes.addItem(_("{n} minutes").format(n=minutes), minutes)
        self.minutes.setCurrentIndex(len(MINUTE_CHOICES) - 1)
        self.task_list = f.add_field(
            "task_list",
            _("What the person is agreeing to"),
            read_only_text(80),
            _(
                "Read this to the person. When the session ends their details are wiped, "
                "unless they agree to open a case."
            ),
        )
        self.seen_alone = f.add_field(
            "seen_alone", _("Seen alone"), QtWidgets.QCheckBox(_("The person is seen a&lone"))
        )
        self.interpreter = f.add_field(
            "interpreter_used", _("Interpreter"), QtWidgets.QCheckBox(_("An &interpreter is used"))
        )
        self.safeguarding = f.add_field(
            "safeguarding", _("Safeguarding"), SafeguardingQuestions("kiosk")
        )
        self.witness = f.add_field(
            "witness",
            _("&Witness"),
            QtWidgets.QLineEdit(),
            _("Needed when the person is not seen alone."),
        )
        self.start_button = QtWidgets.QPushButton(_("S&tart the session"))
        self.start_button.setObjectName("startSession")
        self.start_button.setAccessibleName(_("Start the session"))
        self.start_button.setDefault(True)
        self.leave_button = QtWidgets.QPushButton(_("Leave &kiosk mode"))
        self.leave_button.setObjectName("leaveKiosk")
        self.leave_button.setAccessibleName(_("Leave kiosk mode"))
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.start_button)
        row.addWidget(self.leave_button)
        row.addStretch(1)
        holder = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(holder)
        layout.addWidget(f)
        layout.addLayout(row)
        layout.addStretch(1)
        page.setWidget(holder)
        self.service.currentIndexChanged.connect(self._service_changed)
        self.start_button.clicked.connect(self.start)
        self.leave_button.clicked.connect(self.close)
        return page

    def _service_changed(self) -> None:
        service_id = self.service.currentData()
        if service_id is None:
            return
        self.start_button.setEnabled(False)
        language = current_language()

        def shown(text: str) -> None:
            if self.service.currentData() == service_id:
                self.task_list.setPlainText(text)
                self.task_list_language = language
                self.start_button.setEnabled(True)

        self.ops.run(
            mandate_ops.assisted_task_list(str(service_id), language),
            shown,
            lambda exc: self.start_form.show_errors({"service": exc.message}),
        )

    def collect(self) -> AssistedStart:
        problems = {}
        if not self.given_name.text().strip():
            problems["given_name"] = _("Enter the person's given name.")
        if not self.family_name.text().strip():
            problems["family_name"] = _("Enter the person's family name.")
        answers = self.safeguarding.answers()
        if answers is None:
            problems["safeguarding"] = _("Answer every safeguarding question.")
        if problems or answers is None:
            raise InvalidInput(problems)
        return AssistedStart(
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            service_id=str(self.service.currentData()),
            task_list_shown=self.task_list.toPlainText(),
            task_list_language=self.task_list_language,
            seen_alone=self.seen_alone.isChecked(),
            safeguarding_answers=answers,
            interpreter_used=self.interpreter.isChecked(),
            witness=self.witness.text(),
            minutes=int(self.minutes.currentData()),
        )

    def start(self) -> None:
        try:
            request = self.collect()
        except InvalidInput as exc:
            self.start_form.show_errors(exc.fields)
            return
        self.start_form.clear_errors()
        self.start_button.setEnabled(False)

        def refused(exc: AlongsideError) -> None:
            self.start_button.setEnabled(True)
            fields = exc.fields if isinstance(exc, InvalidInput) else {}
            self.start_form.show_errors(fields, "" if fields else exc.message)

        self.ops.run(
            mandate_ops.start_assisted_session_with_form(request),
            lambda found: self._started(*found),
            refused,
        )

    # -- the session -------------------------------------------------------------------
    def _build_session(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        self.session_layout = QtWidgets.QVBoxLayout(page)
        self.session_heading = heading("", "sessionHeading", 1.2)
        self.session_layout.addWidget(self.session_heading)
        self.end_button = QtWidgets.QPushButton(_("&End the session"))
        self.end_button.setObjectName("endSession")
        self.end_button.setAccessibleName(_("End the session"))
        self.end_button.clicked.connect(self.confirm_end)
        self.session_layout.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _started(self, record: SessionRecord, draft: DraftRecord, service: Service | None) -> None:
        self.session = record
        self.title.setText(_("Helping {name}").format(name=record.person_name))
        self.session_heading.setText(
            _(
                "Only this service is open in this session. "
                "Nothing else in Alongside can be reached."
            )
        )
        if service is not None:
            view = FormView(self.backend, self.ops, service, draft)
            view.closed.connect(lambda: self.ask_keep_or_wipe(timed_out=False))
            # There is no case to go back to here: "End the session" is the way out.
            view.close_button.hide()
            self.form_view = view
            self.session_layout.insertWidget(1, view, 1)
        self.pages.setCurrentWidget(self.session_page)
        self.countdown.show()
        self._tick()
        self.tick.start()

    def confirm_end(self) -> QtWidgets.QMessageBox | None:
        """Ask before ending the session ("End the session"): Enter and Esc carry on."""
        if self.session is None or self.pages.currentWidget() is not self.session_page:
            return None
        box = QtWidgets.QMessageBox(self)
        box.setObjectName("endQuestion")
        box.setIcon(QtWidgets.QMessageBox.Icon.Question)
        box.setWindowTitle(_("End the session?"))
        box.setText(_("End the session now?"))
        why = _(
            "The form cannot be carried on in this session after it ends. "
            "Next, the person chooses to keep their details or wipe everything."
        )
        box.setInformativeText(why)
        box.setAccessibleName(_("End the session?"))
        box.setAccessibleDescription(why)
        end = box.addButton(_("&End the session"), QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
        end.setAccessibleName(_("End the session"))
        carry_on = box.addButton(_("&Carry on"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
        carry_on.setAccessibleName(_("Carry on"))
        box.setDefaultButton(carry_on)
        box.setEscapeButton(carry_on)
        before = QtWidgets.QApplication.focusWidget()

        def answered() -> None:
            box.deleteLater()
            if box.clickedButton() is end:
                self.ask_keep_or_wipe(timed_out=False)
            elif before is not None and before.isVisible():
                self.activateWindow()
                before.setFocus(Qt.FocusReason.PopupFocusReason)

        box.finished.connect(answered)
        box.open()
        carry_on.setFocus()
        return box

    def seconds_left(self) -> int:
        if self.session is None:
            return 0
        return int((self.session.ends_at - self.clock()).total_seconds())

    def _tick(self) -> None:
        left = self.seconds_left()
        text = countdown_text(left)
        self.countdown.setText(text)
        self.countdown.setAccessibleName(text)
        if left <= 0 and self.pages.currentWidget() is self.session_page:
            self.ask_keep_or_wipe(timed_out=True)

    # -- the end -------------------------------------------------------------------------
    def _build_end(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(page)
        self.end_heading = heading(_("The session has ended"), "endHeading", 1.3)
        layout.addWidget(self.end_heading)
        self.end_text = QtWidgets.QLabel()
        self.end_text.setObjectName("endText")
        self.end_text.setWordWrap(True)
        layout.addWidget(self.end_text)
        self.agreed = QtWidgets.QCheckBox(
            _("The person &agrees to open a case, so their details are kept")
        )
        self.agreed.setObjectName("agreedToCase")
        self.agreed.setAccessibleName(_("The person agrees to open a case"))
        layout.addWidget(self.agreed)
        row = QtWidgets.QHBoxLayout()
        self.keep_button = QtWidgets.QPushButton(_("&Keep the details"))
        self.keep_button.setObjectName("keepSession")
        self.keep_button.setAccessibleName(_("Keep the details"))
        self.wipe_button = QtWidgets.QPushButton(_("&Wipe everything now"))
        self.wipe_button.setObjectName("wipeSession")
        self.wipe_button.setAccessibleName(_("Wipe everything now"))
        row.addWidget(self.keep_button)
        row.addWidget(self.wipe_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.end_message = message_label("endMessage")
        layout.addWidget(self.end_message)
        layout.addStretch(1)
        self.keep_button.clicked.connect(self.keep)
        self.wipe_button.clicked.connect(lambda: self.wipe(timed_out=False))
        return page

    def ask_keep_or_wipe(self, *, timed_out: bool) -> None:
        if self.session is None or self.pages.currentWidget() is self.end_page:
            return
        self.timed_out = timed_out
        self.tick.stop()
        if self.form_view is not None:
            # Answers typed so far are saved first (the write queue keeps the
            # order), so keeping keeps them and wiping wipes them too.
            if self.form_view.save_timer.isActive():
                self.form_view.save_now()
            self.form_view.setEnabled(False)
        self.pages.setCurrentWidget(self.end_page)
        self.end_heading.setText(_("The time is up") if timed_out else _("The session has ended"))
        self._answer_left = self.answer_seconds
        self._show_answer_time()
        self.answer_timer.start()
        self.wipe_button.setFocus()
        if not timed_out:
            self._ask_reasons(self.session)

    def _ask_reasons(self, record: SessionRecord) -> None:
        """Why the person needed help, before keep-or-wipe (Esc skips)."""

        def save(reasons: list[str], note: str) -> Op[int]:
            return performance_ops.record_session_end(record.case_id, record.id, reasons, note)

        picker = ask_reasons(
            self.ops, self, _("The session has ended. Why did the person need help?"), save
        )
        self.reasons = picker

    def _close_reasons(self) -> None:
        picker, self.reasons = self.reasons, None
        if picker is not None:
            try:
                if picker.isVisible():
                    picker.reject()
            except RuntimeError:  # already deleted (it deletes itself on closing)
                pass

    def _show_answer_time(self) -> None:
        assert self.session is not None
        self.end_text.setText(
            _(
                "Does {name} want to keep their details and open a case? If nobody answers "
                "in {seconds} seconds, everything about them is wiped from this computer."
            ).format(name=self.session.person_name, seconds=max(0, self._answer_left))
        )

    def _answer_tick(self) -> None:
        self._answer_left -= 1
        self._show_answer_time()
        if self._answer_left <= 0:
            self.answer_timer.stop()
            self.wipe(timed_out=True)

    def keep(self) -> None:
        if self.session is None:
            return
        self._close_reasons()
        if not self.agreed.isChecked():
            self.end_message.setText(
                _("Tick the box only if the person agrees to open a case. Otherwise wipe.")
            )
            self.end_message.show()
            self.agreed.setFocus()
            return
        session_id = self.session.id
        self.answer_timer.stop()
        self._busy(True)
        self.ops.run(
            mandate_ops.keep_assisted_session(session_id, person_agreed_to_case=True),
            lambda _record: self._ended("kept"),
            self._end_refused,
        )

    def wipe(self, *, timed_out: bool) -> None:
        if self.session is None:
            return
        self._close_reasons()
        session_id = self.session.id
        self.answer_timer.stop()
        self._busy(True)
        self.ops.run(
            mandate_ops.wipe_assisted_session(session_id, timed_out=timed_out),
            lambda _rows: self._ended("wiped"),
            self._end_refused,
        )

    def _busy(self, on: bool) -> None:
        self.keep_button.setEnabled(not on)
        self.wipe_button.setEnabled(not on)

    def _end_refused(self, exc: AlongsideError) -> None:
        self._busy(False)
        self.end_message.setText(exc.message)
        self.end_message.show()

    def _ended(self, outcome: str) -> None:
        self.session = None
        self.countdown.hide()
        self.finished.emit(outcome)
        self.close()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self.session is not None:
            # A session cannot be left open: ask instead of closing.
            event.ignore()
            self.ask_keep_or_wipe(timed_out=False)
            return
        self.tick.stop()
        self.answer_timer.stop()
        super().closeEvent(event)
