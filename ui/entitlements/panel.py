"""The case's Next claims tab: each open suggestion with its reason and
source, to start as a form or put aside with a reason.

Putting one aside happens in the tab itself (a reason from a short list and
an optional note), not in a dialog: it is reached and finished by keyboard.
"""

from __future__ import annotations

import html

from casework.entitlements.records import DismissReason, SuggestionRecord, dismiss_words
from casework.kernel.i18n import _
from ui.labels import when
from ui.qt import Qt, QtWidgets, Signal
from ui.widgets import fit_columns, message_label


class SuggestionsPanel(QtWidgets.QWidget):
    """The open suggestions on one case; the window loads them and runs what is asked."""

    reload_requested = Signal()
    start_requested = Signal(int, int, int)  # case id, suggestion id, version
    dismiss_requested = Signal(int, int, int, str, str)  # case, suggestion, version, reason, note
    count_changed = Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionsPanel")
        self.case_id: int | None = None
        self.rows: list[SuggestionRecord] = []
        column = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(
            _(
                "Claims the person may be able to make next, after what was sent or "
                "awarded. None is certain: check each one."
            )
        )
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setObjectName("suggestions")
        self.tree.setAccessibleName(_("Claims they may be able to make next"))
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([_("Claim"), _("Follows"), _("Suggested")])
        fit_columns(self.tree)
        column.addWidget(self.tree, 1)
        self.reason = QtWidgets.QLabel()
        self.reason.setObjectName("suggestionReason")
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName(_("Why it is suggested"))
        self.reason.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        column.addWidget(self.reason)
        self.source = QtWidgets.QLabel()
        self.source.setObjectName("suggestionSource")
        self.source.setTextFormat(Qt.TextFormat.RichText)
        self.source.setOpenExternalLinks(True)
        self.source.setAccessibleName(_("Where it says so"))
        self.source.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        column.addWidget(self.source)
        self.message = message_label("suggestionMessage")
        column.addWidget(self.message)
        row = QtWidgets.QHBoxLayout()
        self.start_button = QtWidgets.QPushButton(_("Start this claim no&w"))
        self.start_button.setObjectName("startSuggestion")
        self.start_button.setAccessibleName(_("Start this claim as a form"))
        self.dismiss_button = QtWidgets.QPushButton(_("Put &aside…"))
        self.dismiss_button.setObjectName("dismissSuggestion")
        self.dismiss_button.setAccessibleName(_("Put this suggestion aside, with a reason"))
        row.addWidget(self.start_button)
        row.addWidget(self.dismiss_button)
        row.addStretch(1)
        column.addLayout(row)
        self.dismiss_box = QtWidgets.QWidget()
        self.dismiss_box.setObjectName("dismissBox")
        form = QtWidgets.QFormLayout(self.dismiss_box)
        self.why = QtWidgets.QComboBox()
        self.why.setObjectName("dismissReason")
        self.why.setAccessibleName(_("Why put it aside"))
        for reason in DismissReason:
            self.why.addItem(dismiss_words(reason), str(reason))
        self.note = QtWidgets.QLineEdit()
        self.note.setObjectName("dismissNote")
        self.note.setAccessibleName(_("A note (optional)"))
        self.note.setMaxLength(500)
        why_label = QtWidgets.QLabel(_("W&hy"))
        why_label.setBuddy(self.why)
        note_label = QtWidgets.QLabel(_("No&te (optional)"))
        note_label.setBuddy(self.note)
        form.addRow(why_label, self.why)
        form.addRow(note_label, self.note)
        buttons = QtWidgets.QHBoxLayout()
        self.confirm_button = QtWidgets.QPushButton(_("Put it aside"))
        self.confirm_button.setObjectName("confirmDismiss")
        self.confirm_button.setAccessibleName(_("Put it aside"))
        self.confirm_button.setAutoDefault(True)
        self.cancel_button = QtWidgets.QPushButton(_("Keep it"))
        self.cancel_button.setObjectName("cancelDismiss")
        self.cancel_button.setAccessibleName(_("Keep the suggestion"))
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.dismiss_box.hide()
        column.addWidget(self.dismiss_box)
        self.note.returnPressed.connect(self._confirm)
        self.tree.currentItemChanged.connect(lambda *_args: self._show_chosen())
        self.tree.itemActivated.connect(lambda *_args: self._start())
        self.start_button.clicked.connect(self._start)
        self.dismiss_button.clicked.connect(self._open_dismiss)
        self.confirm_button.clicked.connect(self._confirm)
        self.cancel_button.clicked.connect(self._close_dismiss)
        self._show_chosen()

    def set_case(self, case_id: int | None) -> None:
        """Show ``case_id``'s suggestions (asked of the window)."""
        if case_id != self.case_id:
            self.rows = []
            self.tree.clear()
            self._close_dismiss()
        self.case_id = case_id
        self.message.hide()
        if case_id is not None:
            self.reload_requested.emit()

    def show_suggestions(self, rows: list[SuggestionRecord]) -> None:
        chosen = self.chosen()
        self.rows = list(rows)
        self.tree.clear()
        for record in rows:
            item = QtWidgets.QTreeWidgetItem(
                [record.title, record.from_title, when(record.created_at)]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, record.id)
            self.tree.addTopLevelItem(item)
            if chosen is not None and chosen.id == record.id:
                self.tree.setCurrentItem(item)
        for column in (0, 1):
            self.tree.resizeColumnToContents(column)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        self._show_chosen()
        self.count_changed.emit(len(rows))

    def chosen(self) -> SuggestionRecord | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        wanted = item.data(0, Qt.ItemDataRole.UserRole)
        return next((r for r in self.rows if r.id == wanted), None)

    def refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _show_chosen(self) -> None:
        record = self.chosen()
        if record is None:
            self.reason.setText(_("No open suggestions on this case."))
            self.source.clear()
        else:
            self.reason.setText(record.reason)
            url = html.escape(record.source, quote=True)
            self.source.setText(
                _("Source: {link}").format(link=f'<a href="{url}">{url}</a>') if url else ""
            )
        self.start_button.setEnabled(record is not None and record.can_start)
        self.dismiss_button.setEnabled(record is not None)
        if record is None:
            self._close_dismiss()

    def _start(self) -> None:
        record = self.chosen()
        if record is None or not record.can_start or self.case_id is None:
            return
        self.message.hide()
        self.start_requested.emit(self.case_id, record.id, record.version)

    def _open_dismiss(self) -> None:
        if self.chosen() is None:
            return
        self.why.setCurrentIndex(0)
        self.note.clear()
        self.dismiss_box.show()
        self.why.setFocus(Qt.FocusReason.OtherFocusReason)

    def _close_dismiss(self) -> None:
        self.dismiss_box.hide()

    def _confirm(self) -> None:
        record = self.chosen()
        if record is None or self.case_id is None or not self.dismiss_box.isVisible():
            return
        self.message.hide()
        self.dismiss_requested.emit(
            self.case_id, record.id, record.version, self.why.currentData(), self.note.text()
        )

    def dismissed(self) -> None:
        """The last put-aside succeeded: close the reason box."""
        self._close_dismiss()
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)


class MySuggestionsList(QtWidgets.QTreeWidget):
    """Open suggestions on the worker's own cases, under My cases, until acted on."""

    case_requested = Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mySuggestions")
        self.setAccessibleName(_("Claims to look at on my cases"))
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setHeaderLabels([_("Person"), _("Claim they may make"), _("Case")])
        fit_columns(self)
        self.itemActivated.connect(
            lambda item, _col: self.case_requested.emit(item.data(0, Qt.ItemDataRole.UserRole))
        )
        self.hide()

    def show_rows(self, rows: list[SuggestionRecord]) -> None:
        self.clear()
        for record in rows:
            item = QtWidgets.QTreeWidgetItem(
                [record.person_name, record.title, record.case_reference]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, record.case_id)
            item.setToolTip(1, record.reason)
            self.addTopLevelItem(item)
        for column in (0, 1):
            self.resizeColumnToContents(column)
        self.setVisible(bool(rows))
