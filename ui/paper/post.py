"""Post it to them, in the paper dialog of a pre-filled form.

Once the preview is whole, the form is laid out again as a letter to the
person (their address in GOV.UK Notify's address block) and checked against
Notify's rules on a worker. When it passes, "Post it to them" is offered,
naming the address; when it does not, a line says why in plain words and
Print is offered instead. Posting queues the letter in the outbox: the line
then says it waits to go, never that it has been posted, which only GOV.UK
Notify can confirm (the case's timeline says so when it does).
"""

from __future__ import annotations

from casework.kernel.i18n import _
from casework.paper.post import LetterOffer, Queued
from ui.operations import Operations, letters
from ui.qt import QtWidgets, Signal


class PostRow(QtWidgets.QWidget):
    """The line saying whether the form can be posted, and the button that posts it."""

    checked = Signal(bool)  # the letter check is done: whether it can be posted
    queued = Signal(str)  # the outbox item's id

    def __init__(
        self, ops: Operations, draft_id: int, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.draft_id = draft_id
        self._generation = 0
        self._pdf: bytes | None = None
        self._options = ("en", False)  # the language and print size last checked
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.note = QtWidgets.QLabel("")
        self.note.setObjectName("paperPostNote")
        self.note.setAccessibleName(_("Whether the form can be posted to the person"))
        self.note.setWordWrap(True)
        # Two lines' room: a wrapped label beside a button is otherwise given one.
        self.note.setMinimumHeight(self.note.fontMetrics().lineSpacing() * 2 + 4)
        self.button = QtWidgets.QPushButton(_("P&ost it to them"))
        self.button.setObjectName("paperPost")
        self.button.setAccessibleName(_("Post the form to the person"))
        self.button.setEnabled(False)
        self.button.clicked.connect(self.post)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.button)

    def reset(self) -> None:
        """The options changed: forget the letter until the new preview is whole."""
        self._generation += 1
        self._pdf = None
        self.button.setEnabled(False)
        self.note.setText("")

    def check(self, language: str, large_print: bool) -> None:
        """Lay the form out as a letter and check it (on a worker)."""
        self.reset()
        self._options = (language, large_print)
        generation = self._generation
        self.note.setText(_("Checking whether it can be posted to them…"))

        def done(offer: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(offer, LetterOffer)
            self._pdf = offer.pdf
            if offer.pdf is None:
                self.note.setText(offer.reason)
                self.checked.emit(False)
                return
            self.note.setText(
                _("It can go by post to {address}, through GOV.UK Notify.").format(
                    address=", ".join(offer.address)
                )
            )
            self.button.setEnabled(True)
            self.checked.emit(True)

        def refused(error: BaseException) -> None:
            if generation == self._generation:
                self.note.setText(str(error))
                self.checked.emit(False)

        self.ops.run(
            letters.letter_offer(self.draft_id, language, large_print),
            done,
            refused,
            on_failed=refused,
        )

    def post(self) -> None:
        """Queue the letter, as checked, in the outbox (once): it is made again
        as a printed copy with its own reference."""
        if self._pdf is None:
            return
        self._pdf = None
        self.button.setEnabled(False)
        self.note.setText(_("Putting the letter in the outbox…"))
        generation = self._generation

        def done(queued: object) -> None:
            assert isinstance(queued, Queued)
            if generation == self._generation:
                self.note.setText(
                    _(
                        "The letter is in the outbox, waiting to go to GOV.UK Notify when "
                        "Alongside next syncs. The case will say when Notify has it."
                    )
                )
            self.queued.emit(queued.item_id)

        def refused(error: BaseException) -> None:
            if generation == self._generation:
                self.note.setText(str(error))

        language, large_print = self._options
        self.ops.run(
            letters.post_letter(self.draft_id, language, large_print),
            done,
            refused,
            on_failed=refused,
        )
