"""The escalations view: the team's open escalations, most urgent first, and
the referrals offered to the team.

``EscalationsModel`` is a plain table model over ``EscalationRecord`` rows. It
keeps them in urgency order (breached, due soon, waiting for
acknowledgement, acknowledged; then the earliest breach) whatever order they
arrive in. The view's buttons act on the selected row; the note box holds
the acknowledgement note or the outcome, and is kept if the action is refused.
"""

from __future__ import annotations

from typing import Any

from casework.escalation.records import (
    URGENCY,
    EscalationRecord,
    ReferralRecord,
    reason_label,
    urgency_label,
)
from casework.kernel.i18n import _
from ui.labels import day
from ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal
from ui.widgets import fit_columns, heading, message_label

_ROOT = QtCore.QModelIndex()
COLUMNS = ("urgency", "case", "person", "facilitator", "level", "due", "reason")
_URGENT = {"breached": QtGui.QColor("#b10e1e"), "due_soon": QtGui.QColor("#8a4b00")}


def urgency_key(row: EscalationRecord) -> tuple[int, Any, int]:
    order = URGENCY.index(row.urgency) if row.urgency in URGENCY else len(URGENCY)
    return (order, row.breach_at, row.id)


class EscalationsModel(QtCore.QAbstractTableModel):
    """Open escalations, sorted by urgency."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[EscalationRecord] = []

    def set_rows(self, rows: list[EscalationRecord]) -> None:
        self.beginResetModel()
        self.rows = sorted(rows, key=urgency_key)
        self.endResetModel()

    def rowCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QtCore.QModelIndex | QtCore.QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(COLUMNS):
            return None
        return (
            _("Urgency"),
            _("Case"),
            _("Person"),
            _("Facilitator"),
            _("Level"),
            _("Reply due"),
            _("Reason"),
        )[section]

    def data(
        self,
        index: QtCore.QModelIndex | QtCore.QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "urgency": urgency_label(row.urgency),
                "case": row.case_reference,
                "person": row.person_name,
                "facilitator": f"{row.facilitator.name} ({row.facilitator.organisation})",
                "level": str(row.level),
                "due": day(row.facilitator.due_on),
                "reason": reason_label(row.reason),
            }[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == "urgency":
            return _URGENT.get(row.urgency)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.description
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


class EscalationsView(QtWidgets.QWidget):
    """The list, its actions, and the incoming referrals."""

    refresh_requested = Signal()
    acknowledge_requested = Signal(int, int, str)  # escalation id, version, note
    resolve_requested = Signal(int, int, str)
    close_requested = Signal(int, int, str)
    case_requested = Signal(int)
    accept_requested = Signal(int, int)  # referral id, version
    reject_requested = Signal(int, int, str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("escalationsView")
        self._kept: int | None = None  # chosen again when the rows arrive
        self.model = EscalationsModel(self)
        self.referrals: list[ReferralRecord] = []
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("escalationsSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QtWidgets.QTableView()
        self.table.setObjectName("escalationsTable")
        self.table.setAccessibleName(_("Open escalations, most urgent first"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        fit_columns(self.table, (150, 100, 110, 220, 45, 95))
        layout.addWidget(self.table, 2)
        self.note = QtWidgets.QLineEdit()
        self.note.setObjectName("escalationNote")
        self.note.setAccessibleName(_("Note or outcome"))
        self.note.setPlaceholderText(_("Note or outcome (needed to resolve or close)"))
        layout.addWidget(self.note)
        row = QtWidgets.QHBoxLayout()
        self.acknowledge_button = self._button(_("&Acknowledged"), _("Record acknowledgement"))
        self.resolve_button = self._button(_("Resol&ved"), _("Record it as resolved"))
        self.close_button = self._button(_("Close (&withdrawn)"), _("Close the escalation"))
        self.open_button = self._button(_("&Go to case"), _("Open the case"))
        for button in (
            self.acknowledge_button,
            self.resolve_button,
            self.close_button,
            self.open_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = message_label("escalationsMessage")
        layout.addWidget(self.message)

        layout.addWidget(heading(_("Referrals offered to your team"), "referralsHeading", 1.1))
        self.referral_list = QtWidgets.QListWidget()
        self.referral_list.setObjectName("referralList")
        self.referral_list.setAccessibleName(_("Referrals offered to your team"))
        layout.addWidget(self.referral_list, 1)
        self.reject_reason = QtWidgets.QLineEdit()
        self.reject_reason.setObjectName("rejectReason")
        self.reject_reason.setAccessibleName(_("Reason for rejecting"))
        self.reject_reason.setPlaceholderText(_("Why you cannot take it (to reject)"))
        layout.addWidget(self.reject_reason)
        row = QtWidgets.QHBoxLayout()
        self.accept_button = self._button(_("Accep&t referral"), _("Accept the referral"))
        self.reject_button = self._button(_("Re&ject referral"), _("Reject the referral"))
        row.addWidget(self.accept_button)
        row.addWidget(self.reject_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.referral_message = message_label("referralMessage")
        layout.addWidget(self.referral_message)

        self.acknowledge_button.clicked.connect(lambda: self._act(self.acknowledge_requested))
        self.resolve_button.clicked.connect(lambda: self._act(self.resolve_requested))
        self.close_button.clicked.connect(lambda: self._act(self.close_requested))
        self.open_button.clicked.connect(self._open)
        self.table.activated.connect(lambda _index: self._open())
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._enable())
        self.accept_button.clicked.connect(self._accept)
        self.reject_button.clicked.connect(self._reject)
        self.referral_list.currentRowChanged.connect(lambda _row: self._enable())
        self._enable()

    def _button(self, text: str, name: str) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(text)
        button.setAccessibleName(name)
        return button

    # -- filled by the controller ------------------------------------------------
    def keep(self, escalation_id: int | None) -> None:
        """Choose ``escalation_id`` again when the rows next arrive (after a rebuild)."""
        self._kept = escalation_id

    def show_rows(self, rows: list[EscalationRecord]) -> None:
        selected = self.selected()
        kept = selected.id if selected is not None else self._kept
        self._kept = None
        self.model.set_rows(rows)
        counts = {u: sum(1 for r in self.model.rows if r.urgency == u) for u in URGENCY}
        self.summary.setText(
            _("Breached {b} · due soon {d} · waiting for acknowledgement {w}").format(
                b=counts["breached"], d=counts["due_soon"], w=counts["waiting"]
            )
        )
        for n, row in enumerate(self.model.rows):
            if kept is not None and row.id == kept:
                self.table.selectRow(n)
        self._enable()

    def show_referrals(self, referrals: list[ReferralRecord]) -> None:
        chosen = self.selected_referral()
        self.referrals = referrals
        self.referral_list.clear()
        for referral in referrals:
            item = QtWidgets.QListWidgetItem(
                _("{case} from {team}: {summary}").format(
                    case=referral.case_reference, team=referral.from_team, summary=referral.summary
                )
            )
            self.referral_list.addItem(item)
        for n, referral in enumerate(referrals):
            if chosen is not None and referral.id == chosen.id:
                self.referral_list.setCurrentRow(n)  # a refresh keeps the worker's choice
        self._enable()

    def acted(self) -> None:
        self.note.clear()
        self.message.hide()

    def referral_answered(self) -> None:
        self.reject_reason.clear()
        self.referral_message.hide()

    def refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self._enable()

    def refuse_referral(self, text: str) -> None:
        self.referral_message.setText(text)
        self.referral_message.show()
        self._enable()

    def selected(self) -> EscalationRecord | None:
        index = self.table.currentIndex()
        if not index.isValid() or not 0 <= index.row() < len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def selected_referral(self) -> ReferralRecord | None:
        row = self.referral_list.currentRow()
        return self.referrals[row] if 0 <= row < len(self.referrals) else None

    # -- buttons -----------------------------------------------------------------
    def _enable(self) -> None:
        row = self.selected()
        allowed = set(row.allowed_statuses) if row else set()
        self.acknowledge_button.setEnabled("acknowledged" in allowed)
        self.resolve_button.setEnabled("resolved" in allowed)
        self.close_button.setEnabled("closed" in allowed)
        self.open_button.setEnabled(row is not None)
        has_referral = self.selected_referral() is not None
        self.accept_button.setEnabled(has_referral)
        self.reject_button.setEnabled(has_referral)

    def _act(self, signal: Any) -> None:
        row = self.selected()
        if row is not None:
            signal.emit(row.id, row.version, self.note.text())

    def _open(self) -> None:
        row = self.selected()
        if row is not None:
            self.case_requested.emit(row.case_id)

    def _accept(self) -> None:
        referral = self.selected_referral()
        if referral is not None:
            self.accept_requested.emit(referral.id, referral.version)

    def _reject(self) -> None:
        referral = self.selected_referral()
        if referral is not None:
            self.reject_requested.emit(referral.id, referral.version, self.reject_reason.text())
