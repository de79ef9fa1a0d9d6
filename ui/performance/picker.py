"""The reasons picker: eight check boxes, each ticked by its number key,
an optional short note, Enter to save and Esc to skip.

It asks for a save (``save_requested``) and closes when told it is saved;
skipping records nothing. It never blocks the worker: it is a small dialog
over their work and Esc always leaves it.
"""

from __future__ import annotations

from casework.kernel.i18n import _
from casework.performance.demand import MAX_NOTE_LENGTH
from casework.performance.reasons import REASONS, reason_words
from ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal
from ui.widgets import message_label

_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 9)}


class ReasonsPicker(QtWidgets.QDialog):
    """Emits ``save_requested(reason keys, note)``; ``saved()`` closes it."""

    save_requested = Signal(list, str)

    def __init__(self, heading: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reasonsPicker")
        title = _("Why was help needed?")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setAccessibleDescription(
            _("Press 1 to 8 to tick reasons, Enter to save, Escape to skip.")
        )
        layout = QtWidgets.QVBoxLayout(self)
        self.heading = QtWidgets.QLabel(heading)
        self.heading.setObjectName("reasonsHeading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        hint = QtWidgets.QLabel(_("Press 1 to 8 to tick reasons, Enter to save, Esc to skip."))
        hint.setObjectName("reasonsHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.boxes: list[QtWidgets.QCheckBox] = []
        grid = QtWidgets.QGridLayout()
        for number, reason in enumerate(REASONS, start=1):
            key = QtWidgets.QLabel(str(number))
            key.setObjectName(f"reasonKey{number}")
            key.setAlignment(Qt.AlignmentFlag.AlignCenter)
            key.setMinimumWidth(key.fontMetrics().horizontalAdvance("00") + 8)
            key.setStyleSheet("border: 1px solid palette(mid); border-radius: 3px;")
            box = QtWidgets.QCheckBox(reason_words(reason))
            box.setObjectName(f"reason_{reason.value}")
            box.setProperty("reason", reason.value)
            box.setAccessibleName(
                _("{reason} (key {number})").format(reason=reason_words(reason), number=number)
            )
            key.setBuddy(box)
            grid.addWidget(key, number - 1, 0)
            grid.addWidget(box, number - 1, 1)
            self.boxes.append(box)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        note_label = QtWidgets.QLabel(_("&Note (optional)"))
        self.note = QtWidgets.QLineEdit()
        self.note.setObjectName("reasonsNote")
        self.note.setMaxLength(MAX_NOTE_LENGTH)
        self.note.setAccessibleName(_("Note (optional)"))
        self.note.setPlaceholderText(
            _("A few words, up to {max} characters").format(max=MAX_NOTE_LENGTH)
        )
        note_label.setBuddy(self.note)
        layout.addWidget(note_label)
        layout.addWidget(self.note)
        self.message = message_label("reasonsMessage")
        layout.addWidget(self.message)
        buttons = QtWidgets.QDialogButtonBox()
        self.save_button = buttons.addButton(
            _("&Save (Enter)"), QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("reasonsSave")
        self.save_button.setAccessibleName(_("Save the reasons"))
        self.save_button.setDefault(True)
        self.skip_button = buttons.addButton(
            _("S&kip (Esc)"), QtWidgets.QDialogButtonBox.ButtonRole.RejectRole
        )
        self.skip_button.setObjectName("reasonsSkip")
        self.skip_button.setAccessibleName(_("Skip: record no reasons"))
        layout.addWidget(buttons)
        self.save_button.clicked.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.boxes[0].setFocus()

    def picked(self) -> list[str]:
        return [str(box.property("reason")) for box in self.boxes if box.isChecked()]

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        number = _DIGITS.get(Qt.Key(event.key()))
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if number is not None and plain and not self.note.hasFocus():
            box = self.boxes[number - 1]
            box.toggle()
            box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        super().keyPressEvent(event)

    def _save(self) -> None:
        reasons = self.picked()
        if not reasons:
            self.refused(_("Tick at least one reason, or press Esc to skip."))
            return
        self.save_button.setEnabled(False)
        self.save_requested.emit(reasons, self.note.text())

    def refused(self, text: str) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(text)
        self.message.show()

    def saved(self) -> None:
        self.accept()

    def sizeHint(self) -> QtCore.QSize:
        return super().sizeHint().expandedTo(QtCore.QSize(420, 0))
