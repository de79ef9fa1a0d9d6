"""A draft whose mandate has ended, shown read only in the form view.

It says why it is frozen and for whom it can still be printed, lists the
answers without Change links, and has "Print for the person…", which saves
the pre-filled form from ``ui.operations.paper.draft_pdf`` and offers to print it
(``ui.paper.keeper``). Nothing here saves or sends the draft.
"""

from __future__ import annotations

from collections.abc import Callable

from casework.kernel.i18n import _
from casework.kernel.records import DraftRecord
from ui.operations import Operations, paper
from ui.paper.keeper import PdfKeeper
from ui.qt import Qt, QtWidgets, Signal

WARNING_STYLE = (
    "QLabel { border: 0px; border-left: 8px solid #d4351c; padding: 8px; font-weight: bold; }"
)


def frozen_notice(person_name: str) -> str:
    """The line shown on the Forms tab and at the top of a frozen draft."""
    return _(
        "The mandate for this form has ended. You can print it for {name}, "
        "but not change or send it."
    ).format(name=person_name or _("the person"))


class FrozenPanel:
    """Fills the form view's body for a frozen draft.

    ``view`` is the form view (the parent of the save dialog), ``answers`` the
    answer grid without Change links, laid out here under the notice."""

    def __init__(
        self,
        view: QtWidgets.QWidget,
        column: QtWidgets.QVBoxLayout,
        answers: QtWidgets.QLayout,
        *,
        ops: Operations,
        person_name: str,
        file_name: str,
        draft_id: int,
    ) -> None:
        self.view = view
        self.file_name = file_name
        self.draft_id = draft_id
        notice = QtWidgets.QLabel(frozen_notice(person_name))
        notice.setObjectName("frozenNotice")
        notice.setWordWrap(True)
        notice.setStyleSheet(WARNING_STYLE)
        notice.setAccessibleName(notice.text())
        column.addWidget(notice)
        column.addLayout(answers)
        self.print_button = QtWidgets.QPushButton(_("&Print for the person…"))
        self.print_button.setObjectName("printFrozenDraft")
        self.print_button.setAccessibleName(_("Save and print this form for the person"))
        self.print_button.clicked.connect(self.print_for_person)
        column.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.status = QtWidgets.QLabel()
        self.status.setObjectName("frozenStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Printing status"))
        column.addWidget(self.status)
        self.keeper = PdfKeeper(ops, view)
        self.keeper.saved.connect(
            lambda path: self.status.setText(_("Saved to {path}.").format(path=path))
        )
        self.keeper.failed.connect(self.status.setText)
        self.keeper.printed.connect(
            lambda _pages: self.status.setText(_("The form was sent to the printer."))
        )

    def print_for_person(self) -> None:
        self.keeper.keep(
            self.view,
            _("Save the form for the person"),
            self.file_name,
            paper.draft_pdf(self.draft_id),
            _("Print the form for the person"),
        )


class FrozenRow(QtWidgets.QWidget):
    """On a case's Forms tab: which forms are frozen, and "Print for the person…".

    Emits ``print_requested(draft id)`` for the chosen frozen form (or the
    newest one when the chosen form is not frozen)."""

    print_requested = Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.notice = QtWidgets.QLabel()
        self.notice.setObjectName("frozenFormsNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(WARNING_STYLE)
        self.button = QtWidgets.QPushButton(_("Print for the &person…"))
        self.button.setObjectName("printFrozenForm")
        self.button.setAccessibleName(_("Save and print a frozen form for the person"))
        self.button.clicked.connect(self._clicked)
        row.addWidget(self.notice, 1)
        row.addWidget(self.button)
        self.frozen: list[int] = []
        self.chosen: Callable[[], int | None] = lambda: None
        self.hide()

    def show_drafts(self, drafts: list[DraftRecord], person_name: str) -> None:
        self.frozen = [d.id for d in drafts if d.frozen]
        self.notice.setText(frozen_notice(person_name))
        self.notice.setAccessibleName(self.notice.text())
        self.setVisible(bool(self.frozen))

    def _clicked(self) -> None:
        chosen = self.chosen()
        if chosen in self.frozen:
            self.print_requested.emit(chosen)
        elif self.frozen:
            self.print_requested.emit(self.frozen[0])
