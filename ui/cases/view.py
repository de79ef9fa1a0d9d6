"""One case: status, timeline, notes, tasks and documents.

The view shows a ``CaseDetail`` and emits requests; the window runs them off
the UI thread and hands back the reloaded case (or the refusal). A note or
task being typed stays on screen until the save has succeeded.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from casework.kernel.i18n import _
from casework.kernel.records import CaseDetail, DraftRecord
from ui.cases.text_updates import TextUpdatesRow
from ui.entitlements.decision import DecisionRow
from ui.entitlements.panel import SuggestionsPanel
from ui.forms.frozen import FrozenRow
from ui.labels import day, parse_date, size, status_label, when
from ui.mandates.banner import withheld_notice
from ui.paper.came_back import CameBackPanel
from ui.paper.waiting import WaitingPanel
from ui.payments.panel import FeePanel
from ui.performance.case_row import DemandRow
from ui.qt import Qt, QtGui, QtWidgets, Signal
from ui.sync.outbox_view import OutboxPanel
from ui.widgets import fit_columns, heading, message_label


def _tree(name: str, headers: list[str]) -> QtWidgets.QTreeWidget:
    tree = QtWidgets.QTreeWidget()
    tree.setObjectName(name)
    tree.setRootIsDecorated(False)
    tree.setHeaderLabels(headers)
    tree.setAlternatingRowColors(True)
    fit_columns(tree)  # no column narrower than its title, in Welsh too
    return tree


class CaseView(QtWidgets.QWidget):
    back_requested = Signal()
    status_requested = Signal(int, int, str)  # case id, version, status
    note_requested = Signal(int, str)
    task_requested = Signal(int, str, object)  # case id, title, due date or None
    task_toggled = Signal(int, int, bool)  # task id, version, done
    attach_requested = Signal(int, object)  # case id, Path
    export_requested = Signal(int, object)  # document id, folder Path
    form_requested = Signal(int)  # draft id
    new_form_requested = Signal(int, str)  # case id, service id
    paper_requested = Signal(int)  # draft id: preview, print or save it on paper

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseView")
        self.case: CaseDetail | None = None
        self._kept_form: int | None = None  # chosen again when the forms arrive
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        self.back_button = QtWidgets.QPushButton(_("← &Back to person"))
        self.back_button.setAccessibleName(_("Back to person"))
        top.addWidget(self.back_button)
        top.addStretch(1)
        layout.addLayout(top)
        self.heading = heading("", "caseHeading", 1.4)
        layout.addWidget(self.heading)
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("caseSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        status_row = QtWidgets.QHBoxLayout()
        status_label_widget = QtWidgets.QLabel(_("Stat&us"))
        self.status = QtWidgets.QComboBox()
        self.status.setObjectName("caseStatus")
        self.status.setAccessibleName(_("Case status"))
        status_label_widget.setBuddy(self.status)
        self.status_button = QtWidgets.QPushButton(_("Change status"))
        self.status_button.setAccessibleName(_("Change status"))
        status_row.addWidget(status_label_widget)
        status_row.addWidget(self.status)
        status_row.addWidget(self.status_button)
        status_row.addStretch(1)
        self.escalate_button = QtWidgets.QPushButton(_("Escalate… (Ctrl+E)"))
        self.escalate_button.setObjectName("escalateButton")
        self.escalate_button.setAccessibleName(_("Escalate to the named facilitator"))
        self.refer_button = QtWidgets.QPushButton(_("Refer…"))
        self.refer_button.setObjectName("referButton")
        self.refer_button.setAccessibleName(_("Refer to another team"))
        self.complain_button = QtWidgets.QPushButton(_("Complain…"))
        self.complain_button.setObjectName("complainButton")
        self.complain_button.setAccessibleName(_("Complain about this service"))
        status_row.addWidget(self.escalate_button)
        status_row.addWidget(self.refer_button)
        status_row.addWidget(self.complain_button)
        layout.addLayout(status_row)
        self.escalation = QtWidgets.QLabel()
        self.escalation.setObjectName("caseEscalation")
        self.escalation.setWordWrap(True)
        self.escalation.hide()
        layout.addWidget(self.escalation)
        self.text_updates = TextUpdatesRow()
        layout.addWidget(self.text_updates)
        self.demand = DemandRow()
        layout.addWidget(self.demand)
        self.message = message_label("caseMessage")
        layout.addWidget(self.message)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setObjectName("caseTabs")
        self.tabs.setAccessibleName(_("Case sections"))
        layout.addWidget(self.tabs, 1)
        self._build_timeline()
        self._build_notes()
        self._build_tasks()
        self._build_documents()
        self._build_forms()
        self.outbox = OutboxPanel(per_case=True)
        self.tabs.addTab(self.outbox, _("Outbox"))
        self.fees = FeePanel()
        self.tabs.addTab(self.fees, _("Fe&e"))
        self.suggestions = SuggestionsPanel()
        self.tabs.addTab(self.suggestions, _("Next claims"))
        self.suggestions.count_changed.connect(self._suggestions_counted)
        self.back_button.clicked.connect(self.back_requested)
        self.status_button.clicked.connect(self._change_status)

    # -- building -------------------------------------------------------------
    def _build_timeline(self) -> None:
        self.timeline = _tree("timeline", [_("When"), _("Who"), _("What happened")])
        self.timeline.setAccessibleName(_("Timeline"))
        self.tabs.addTab(self.timeline, _("T&imeline"))

    def _build_notes(self) -> None:
        page = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(page)
        self.notes = _tree("notes", [_("When"), _("By"), _("Note")])
        self.notes.setAccessibleName(_("Notes"))
        self.notes.setWordWrap(True)
        column.addWidget(self.notes, 1)
        # The list cuts long notes short; the chosen note is here in full, to
        # read by keyboard (Tab from the list) and by screen reader.
        self.note_reader = QtWidgets.QPlainTextEdit()
        self.note_reader.setObjectName("noteReader")
        self.note_reader.setReadOnly(True)
        self.note_reader.setTabChangesFocus(True)
        self.note_reader.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.note_reader.setAccessibleName(_("The chosen note in full"))
        self.note_reader.setPlaceholderText(_("Choose a note above to read it in full here."))
        self.note_reader.setFixedHeight(110)
        column.addWidget(self.note_reader)
        self.notes.currentItemChanged.connect(self._show_note)
        self.note_message = message_label("noteMessage")
        column.addWidget(self.note_message)
        self.note_edit = QtWidgets.QPlainTextEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setAccessibleName(_("New note"))
        self.note_edit.setPlaceholderText(_("Write a note. Press Ctrl+Enter to add it."))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(90)
        column.addWidget(self.note_edit)
        self.note_button = QtWidgets.QPushButton(_("&Add note"))
        self.note_button.setObjectName("addNote")
        self.note_button.setAccessibleName(_("Add note"))
        self.note_button.setToolTip(_("Ctrl+Enter"))
        column.addWidget(self.note_button, 0, Qt.AlignmentFlag.AlignRight)
        self.note_button.clicked.connect(self._add_note)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QtGui.QShortcut(QtGui.QKeySequence(keys), self.note_edit)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._add_note)
        self.tabs.addTab(page, _("&Notes"))

    def _build_tasks(self) -> None:
        page = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(page)
        self.tasks = _tree("tasks", [_("Task"), _("Due"), _("Assigned to")])
        self.tasks.setAccessibleName(_("Tasks"))
        column.addWidget(self.tasks, 1)
        self.task_message = message_label("taskMessage")
        column.addWidget(self.task_message)
        row = QtWidgets.QHBoxLayout()
        self.task_title = QtWidgets.QLineEdit()
        self.task_title.setObjectName("taskTitle")
        self.task_title.setAccessibleName(_("New task"))
        self.task_title.setPlaceholderText(_("What needs doing"))
        self.task_due = QtWidgets.QLineEdit()
        self.task_due.setObjectName("taskDue")
        self.task_due.setAccessibleName(_("Due date"))
        self.task_due.setPlaceholderText(_("Due, like 31/12/2026"))
        self.task_due.setMaximumWidth(180)
        self.task_button = QtWidgets.QPushButton(_("Add &task"))
        self.task_button.setAccessibleName(_("Add task"))
        row.addWidget(self.task_title, 1)
        row.addWidget(self.task_due)
        row.addWidget(self.task_button)
        column.addLayout(row)
        self.task_button.clicked.connect(self._add_task)
        self.task_title.returnPressed.connect(self._add_task)
        self.task_due.returnPressed.connect(self._add_task)
        self.tasks.itemChanged.connect(self._task_changed)
        self.tabs.addTab(page, _("Tas&ks"))

    def _build_documents(self) -> None:
        page = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(page)
        self.documents = _tree("documents", [_("Name"), _("Size"), _("Added by"), _("When")])
        self.documents.setAccessibleName(_("Documents"))
        column.addWidget(self.documents, 1)
        self.document_message = message_label("documentMessage")
        column.addWidget(self.document_message)
        row = QtWidgets.QHBoxLayout()
        self.attach_button = QtWidgets.QPushButton(_("Attac&h a file…"))
        self.attach_button.setAccessibleName(_("Attach a file"))
        self.export_button = QtWidgets.QPushButton(_("Sa&ve a copy…"))
        self.export_button.setAccessibleName(_("Save a copy of the document"))
        row.addWidget(self.attach_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        column.addLayout(row)
        self.attach_button.clicked.connect(self._attach)
        self.export_button.clicked.connect(self._export)
        self.documents.itemActivated.connect(lambda _item, _col: self._export())
        self.tabs.addTab(page, _("&Documents"))

    def _build_forms(self) -> None:
        page = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(page)
        self.forms = _tree("forms", [_("Form"), _("Status"), _("Last saved"), _("By")])
        self.forms.setAccessibleName(_("Forms on this case"))
        column.addWidget(self.forms, 1)
        self.form_message = message_label("formListMessage")
        column.addWidget(self.form_message)
        self.frozen_row = FrozenRow()
        self.frozen_row.chosen = lambda: (
            item.data(0, Qt.ItemDataRole.UserRole) if (item := self.forms.currentItem()) else None
        )
        column.addWidget(self.frozen_row)
        self.decision_row = DecisionRow()  # what was decided on a sent form
        self.decision_row.chosen = self.chosen_form
        self.forms.currentItemChanged.connect(lambda *_a: self.decision_row.update_button())
        column.addWidget(self.decision_row)
        row = QtWidgets.QHBoxLayout()
        self.form_service = QtWidgets.QComboBox()
        self.form_service.setObjectName("formService")
        self.form_service.setAccessibleName(_("Service form to start"))
        self.start_form_button = QtWidgets.QPushButton(_("Start t&his form"))
        self.start_form_button.setObjectName("startForm")
        self.start_form_button.setAccessibleName(_("Start this form"))
        self.continue_form_button = QtWidgets.QPushButton(_("Con&tinue the chosen form"))
        self.continue_form_button.setObjectName("continueForm")
        self.continue_form_button.setAccessibleName(_("Continue the chosen form"))
        row.addWidget(self.form_service, 1)
        row.addWidget(self.start_form_button)
        row.addWidget(self.continue_form_button)
        self.paper_button = QtWidgets.QPushButton(_("Paper copy…"))
        self.paper_button.setObjectName("paperCopy")
        self.paper_button.setAccessibleName(_("Preview, print or save the chosen form on paper"))
        self.paper_button.clicked.connect(self._paper_copy)
        row.addWidget(self.paper_button)
        column.addLayout(row)
        self.paper_waiting = WaitingPanel()  # blank forms given out, not yet back
        column.addWidget(self.paper_waiting)
        self.paper_came_back = CameBackPanel()  # returned forms, to type up
        column.addWidget(self.paper_came_back)
        self.start_form_button.clicked.connect(self._start_form)
        self.continue_form_button.clicked.connect(self._continue_form)
        self.forms.itemActivated.connect(lambda _item, _col: self._continue_form())
        self.tabs.addTab(page, _("&Forms"))

    def chosen_form(self) -> int | None:
        """The draft chosen in the Forms list, if any."""
        item = self.forms.currentItem()
        found = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return found if isinstance(found, int) else None

    def keep_form(self, draft_id: int | None) -> None:
        """Choose ``draft_id`` again when the forms list is next filled."""
        self._kept_form = draft_id

    def show_forms(self, drafts: list[DraftRecord], titles: dict[str, str]) -> None:
        """The case's forms, and the services a new one can be started for; the
        chosen form stays chosen."""
        kept = self.chosen_form() or self._kept_form
        self._kept_form = None
        self.forms.clear()
        for draft in drafts:
            status = (
                _("Completed")
                if draft.submitted
                else _("Frozen: print only")
                if draft.frozen
                else _("In progress")
            )
            item = QtWidgets.QTreeWidgetItem(
                [
                    titles.get(draft.service_id, draft.service_id),
                    status,
                    when(draft.updated_at),
                    draft.updated_by,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, draft.id)
            self.forms.addTopLevelItem(item)
            if draft.id == kept:
                self.forms.setCurrentItem(item)
        self.forms.resizeColumnToContents(0)
        self.frozen_row.show_drafts(drafts, self.case.person_name if self.case else "")
        self.decision_row.show_drafts(drafts)
        self.continue_form_button.setEnabled(bool(drafts))
        self.paper_button.setEnabled(bool(drafts))
        chosen = self.form_service.currentData()
        self.form_service.clear()
        for service_id, title in sorted(titles.items(), key=lambda kv: kv[1]):
            self.form_service.addItem(title, service_id)
        if self.case is not None and self.form_service.findData(chosen) < 0:
            chosen = self.case.service_id
        index = self.form_service.findData(chosen)
        if index >= 0:
            self.form_service.setCurrentIndex(index)
        self.start_form_button.setEnabled(bool(titles))

    def _start_form(self) -> None:
        if self.case is not None and self.form_service.currentData():
            self.new_form_requested.emit(self.case.id, str(self.form_service.currentData()))

    def _form_for_button(self) -> int | None:
        """The chosen form's draft id (the first form when none is chosen), or
        None, said on the Forms tab, when the case has no form yet."""
        item = self.forms.currentItem() or self.forms.topLevelItem(0)
        if item is None:
            self.refuse(self.form_message, _("Start a form first."))
            return None
        return int(item.data(0, Qt.ItemDataRole.UserRole))

    def _paper_copy(self) -> None:
        if (draft_id := self._form_for_button()) is not None:
            self.paper_requested.emit(draft_id)

    def _continue_form(self) -> None:
        if (draft_id := self._form_for_button()) is not None:
            self.form_requested.emit(draft_id)

    # -- showing --------------------------------------------------------------
    def show_case(self, case: CaseDetail) -> None:
        same_case = self.case is not None and self.case.id == case.id
        self.case = case
        self.outbox.set_case(case.id)
        self.fees.set_case(case.id)
        self.paper_waiting.set_case(case.id)
        self.suggestions.set_case(case.id)
        self.paper_came_back.set_case(case.id)
        if not same_case:
            self.show_escalation("")
        self.heading.setText(f"{case.reference} — {case.title}")
        parts = [
            _("For {name}").format(name=case.person_name),
            _("Opened {when}").format(when=when(case.opened_at)),
        ]
        if case.assigned_to:
            parts.append(_("Assigned to {name}").format(name=case.assigned_to))
        if case.closed_at:
            parts.append(_("Closed {when}").format(when=when(case.closed_at)))
        notice = withheld_notice(case.redacted)
        self.summary.setText(" · ".join(parts) + (f"\n{notice}" if notice else ""))
        self.status.clear()
        self.status.addItem(status_label(case.status), case.status)
        for status in case.allowed_statuses:
            self.status.addItem(status_label(status), status)
        self.status_button.setEnabled(bool(case.allowed_statuses))
        self.message.hide()
        self._fill_timeline(case)
        self._fill_notes(case)
        self._fill_tasks(case)
        self._fill_documents(case)
        if not same_case:
            self.note_edit.clear()
            self.task_title.clear()
            self.task_due.clear()
            for label in (self.note_message, self.task_message, self.document_message):
                label.hide()

    def _suggestions_counted(self, n: int) -> None:
        index = self.tabs.indexOf(self.suggestions)
        self.tabs.setTabText(index, _("Next claims ({n})").format(n=n) if n else _("Next claims"))

    def _fill_timeline(self, case: CaseDetail) -> None:
        self.timeline.clear()
        for entry in case.timeline:
            self.timeline.addTopLevelItem(
                QtWidgets.QTreeWidgetItem([when(entry.at), entry.worker or "", entry.summary])
            )
        self.timeline.resizeColumnToContents(0)
        self.timeline.resizeColumnToContents(1)

    def _fill_notes(self, case: CaseDetail) -> None:
        self.notes.clear()
        for note in case.notes:
            item = QtWidgets.QTreeWidgetItem([when(note.created_at), note.author, note.body])
            item.setToolTip(2, note.body)
            item.setData(2, Qt.ItemDataRole.AccessibleTextRole, note.body)  # never cut short
            self.notes.addTopLevelItem(item)
        self.notes.resizeColumnToContents(0)
        self.notes.resizeColumnToContents(1)
        first = self.notes.topLevelItem(0)
        if first is not None:
            self.notes.setCurrentItem(first)
        self._show_note(first)

    def _show_note(self, item: QtWidgets.QTreeWidgetItem | None) -> None:
        """Show the chosen note in full below the list."""
        if item is None:
            self.note_reader.clear()
            self.note_reader.setAccessibleDescription("")
            return
        text = _("{when}, by {author}:").format(when=item.text(0), author=item.text(1))
        self.note_reader.setPlainText(f"{text}\n{item.text(2)}")
        self.note_reader.setAccessibleDescription(item.text(2))

    def _fill_tasks(self, case: CaseDetail) -> None:
        self.tasks.blockSignals(True)
        self.tasks.clear()
        for task in case.tasks:
            due = day(task.due_on)
            if task.overdue:
                due = _("{date} (overdue)").format(date=due)
            item = QtWidgets.QTreeWidgetItem([task.title, due, task.assigned_to or ""])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if task.done else Qt.CheckState.Unchecked)
            item.setData(0, Qt.ItemDataRole.UserRole, (task.id, task.version))
            if task.overdue:
                item.setForeground(1, QtGui.QBrush(QtGui.QColor("#d4351c")))
            self.tasks.addTopLevelItem(item)
        self.tasks.resizeColumnToContents(0)
        self.tasks.blockSignals(False)

    def _fill_documents(self, case: CaseDetail) -> None:
        self.documents.clear()
        for doc in case.documents:
            item = QtWidgets.QTreeWidgetItem(
                [doc.name, size(doc.size), doc.uploaded_by, when(doc.uploaded_at)]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, doc.id)
            self.documents.addTopLevelItem(item)
        self.documents.resizeColumnToContents(0)
        self.export_button.setEnabled(bool(case.documents))

    # -- requests -------------------------------------------------------------
    def _change_status(self) -> None:
        if self.case is None:
            return
        target = str(self.status.currentData())
        if target == self.case.status:
            self.show_message(_("Choose a new status first."))
            return
        self.status_requested.emit(self.case.id, self.case.version, target)

    def _add_note(self) -> None:
        if self.case is None:
            return
        if not self.note_edit.toPlainText().strip():
            self.refuse(self.note_message, _("Write something in the note before adding it."))
            self.note_edit.setFocus()
            return
        self.note_button.setEnabled(False)
        self.note_requested.emit(self.case.id, self.note_edit.toPlainText())

    def note_saved(self) -> None:
        self.note_edit.clear()
        self.note_message.hide()
        self.note_button.setEnabled(True)

    def _add_task(self) -> None:
        if self.case is None:
            return
        due: date | None
        try:
            due = parse_date(self.task_due.text())
        except ValueError:
            self.refuse(
                self.task_message, _("Enter the due date as day, month and year, like 31/12/2026.")
            )
            self.task_due.setFocus()
            return
        self.task_button.setEnabled(False)
        self.task_requested.emit(self.case.id, self.task_title.text(), due)

    def task_saved(self) -> None:
        self.task_title.clear()
        self.task_due.clear()
        self.task_message.hide()
        self.task_button.setEnabled(True)
        self.task_title.setFocus()

    def _task_changed(self, item: QtWidgets.QTreeWidgetItem, column: int) -> None:
        if column != 0:
            return
        task_id, version = item.data(0, Qt.ItemDataRole.UserRole)
        self.task_toggled.emit(task_id, version, item.checkState(0) == Qt.CheckState.Checked)

    def _attach(self) -> None:
        if self.case is None:
            return
        path, _filter = QtWidgets.QFileDialog.getOpenFileName(self, _("Attach a file"))
        if path:
            self.attach_requested.emit(self.case.id, Path(path))

    def _export(self) -> None:
        item = self.documents.currentItem()
        if item is None:
            self.refuse(self.document_message, _("Choose a document in the list first."))
            return
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, _("Save a copy in"))
        if folder:
            self.export_requested.emit(item.data(0, Qt.ItemDataRole.UserRole), Path(folder))

    # -- messages -------------------------------------------------------------
    def refuse(self, label: QtWidgets.QLabel, text: str) -> None:
        """Show a refusal beside what was being done, on its own tab."""
        label.setText(text)
        label.show()
        page = label.parentWidget()
        if page is not None and self.tabs.indexOf(page) >= 0:
            self.tabs.setCurrentWidget(page)
        self.note_button.setEnabled(True)
        self.task_button.setEnabled(True)

    def offer_complaint(self, run_out: bool) -> None:
        """Offer the complaint route loudly when the escalation ladder has run out."""
        if run_out:
            self.complain_button.setText(_("Ladder run out: complain…"))
            self.complain_button.setAccessibleName(
                _("The escalation ladder has run out. Complain about this service")
            )
        else:
            self.complain_button.setText(_("Complain…"))
            self.complain_button.setAccessibleName(_("Complain about this service"))

    def show_escalation(self, text: str) -> None:
        """The named facilitator of each escalation of this case (hidden when none)."""
        self.escalation.setText(text)
        self.escalation.setVisible(bool(text))

    def show_message(self, text: str) -> None:
        self.refuse(self.message, text)
