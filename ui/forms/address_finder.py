""" "Find address" under a UK address question: postcode to a list to pick from.

The lookup runs off the UI thread (an operation on ``ui.operations``) through the
facade's ``look_up_address``; while it runs a busy bar and Cancel show, and
a cancelled or late answer is dropped. Picking an address (Enter, a double
click or "Use this address") fills the address boxes; "Put back what I
typed" restores what was there before. Offline, or when the lookup fails,
the address is kept as typed and the form carries on: nothing here ever
blocks Continue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casework.kernel.i18n import _
from offline_sync.address.records import (
    AddressLookupResult,
    AddressMatch,
    LookupStatus,
    normalise_postcode,
)
from ui.error_form import ERROR_STYLE
from ui.operations import Op, Operations
from ui.qt import Qt, QtWidgets, Signal

HINT_STYLE = "color: #505a5f;"


def kept_as_typed() -> str:
    """What the form says when the lookup could not be made (offline, a refusal, a bug)."""
    return _("Kept as typed: it will be looked up when online.")


Lookup = Callable[[str], Op[AddressLookupResult]]  # postcode -> its lookup operation


class AddressFinder(QtWidgets.QFrame):
    """The button, the status line and the list of matches for one address question."""

    picked = Signal(object)  # the AddressMatch chosen
    undo_requested = Signal()

    def __init__(self, label: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addressFinder")
        self._lookup: Lookup | None = None
        self._ops: Operations | None = None
        self._generation = 0
        self._postcode: Callable[[], str] = lambda: ""
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        row = QtWidgets.QHBoxLayout()
        self.find_button = QtWidgets.QPushButton(_("&Find address"))
        self.find_button.setObjectName("findAddress")
        self.find_button.setAccessibleName(_("Find address for {label}").format(label=label))
        self.cancel_button = QtWidgets.QPushButton(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel the address lookup"))
        self.cancel_button.hide()
        self.busy = QtWidgets.QProgressBar()
        self.busy.setObjectName("addressLookupBusy")
        self.busy.setAccessibleName(_("Looking up addresses"))
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        row.addWidget(self.find_button)
        row.addWidget(self.busy)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        column.addLayout(row)
        self.status = QtWidgets.QLabel()
        self.status.setObjectName("addressLookupStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        column.addWidget(self.status)
        self.matches = QtWidgets.QListWidget()
        self.matches.setObjectName("addressMatches")
        self.matches.setAccessibleName(_("Addresses found: choose one"))
        self.matches.setMaximumHeight(150)
        self.matches.hide()
        column.addWidget(self.matches)
        choose = QtWidgets.QHBoxLayout()
        self.use_button = QtWidgets.QPushButton(_("&Use this address"))
        self.use_button.setAccessibleName(_("Use the chosen address"))
        self.use_button.hide()
        self.undo_button = QtWidgets.QPushButton(_("Put back what I typed"))
        self.undo_button.setAccessibleName(_("Put back the address as it was typed"))
        self.undo_button.hide()
        choose.addWidget(self.use_button)
        choose.addWidget(self.undo_button)
        choose.addStretch(1)
        column.addLayout(choose)
        self.find_button.clicked.connect(self.look_up)
        self.cancel_button.clicked.connect(self.cancel)
        self.use_button.clicked.connect(self._use_current)
        self.matches.itemActivated.connect(lambda _item: self._use_current())
        self.undo_button.clicked.connect(self._undo)
        self.setVisible(False)  # until the form gives it a way to look up

    def use(self, ops: Operations, lookup: Lookup, postcode: Callable[[], str]) -> None:
        """Turn the finder on: the operation ``lookup(postcode)`` makes runs on ``ops``."""
        self._ops, self._lookup, self._postcode = ops, lookup, postcode
        self.setVisible(True)

    # -- looking up -----------------------------------------------------------------------
    def look_up(self) -> None:
        if self._ops is None or self._lookup is None:
            return
        typed = self._postcode().strip()
        if normalise_postcode(typed) is None:
            self._say(_("Enter a real postcode, like CF10 1AA, then find the address."), error=True)
            return
        self._generation += 1
        generation, lookup = self._generation, self._lookup
        self._clear_matches()
        self._say(_("Looking up addresses at {postcode}…").format(postcode=typed.upper()))
        self._running(True)

        def failed(exc: BaseException) -> None:
            self._failed(generation, exc)

        self._ops.run(
            lookup(typed).named(_("Looking up an address")),
            lambda result: self._answered(generation, result),
            failed,
            on_failed=failed,
        )

    def cancel(self) -> None:
        self._generation += 1  # whatever comes back now is dropped
        self._running(False)
        self._say(_("Lookup cancelled. The address is kept as typed."))
        self.find_button.setFocus()

    def _running(self, on: bool) -> None:
        self.busy.setVisible(on)
        self.cancel_button.setVisible(on)
        self.find_button.setEnabled(not on)

    def _answered(self, generation: int, result: Any) -> None:
        if generation != self._generation:
            return
        self._running(False)
        assert isinstance(result, AddressLookupResult)
        if result.status == LookupStatus.FOUND and result.matches:
            for match in result.matches:
                item = QtWidgets.QListWidgetItem(match.single_line)
                item.setData(Qt.ItemDataRole.UserRole, match)
                self.matches.addItem(item)
            self.matches.setCurrentRow(0)
            self.matches.show()
            self.use_button.show()
            self._say(
                _("{n} addresses found at {postcode}. Choose one, or keep what you typed.").format(
                    n=len(result.matches), postcode=result.postcode
                )
            )
            self.matches.setFocus()
            return
        if result.status == LookupStatus.QUEUED:
            self._say(kept_as_typed())
            return
        if result.status == LookupStatus.UNAVAILABLE:  # refused (a key, a setting): not queued
            kept = _("The address is kept as typed.")
            self._say(f"{result.message} {kept}".strip())
            return
        problem = result.status in (LookupStatus.NOT_A_POSTCODE, LookupStatus.UNKNOWN_POSTCODE)
        self._say(result.message or kept_as_typed(), error=problem)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._running(False)
        self._say(kept_as_typed())

    # -- choosing -------------------------------------------------------------------------
    def _use_current(self) -> None:
        item = self.matches.currentItem()
        if item is None:
            return
        match = item.data(Qt.ItemDataRole.UserRole)
        assert isinstance(match, AddressMatch)
        self.picked.emit(match)
        self._clear_matches()
        self.undo_button.show()
        self._say(_("Address filled in: {address}.").format(address=match.single_line))

    def _undo(self) -> None:
        self.undo_requested.emit()
        self.undo_button.hide()
        self._say(_("Put back as typed."))

    def _clear_matches(self) -> None:
        self.matches.clear()
        self.matches.hide()
        self.use_button.hide()
        self.undo_button.hide()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)
        self.status.setText(text)
        self.status.setVisible(bool(text))
