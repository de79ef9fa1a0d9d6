"""One widget per question type, as GOV.UK's design system draws them.

Each ``QuestionField`` shows the label, hint, an error line and its inputs;
``raw()`` returns what the worker entered (text, bools, option values or an
address dict) for ``casework.forms.answers.read_answer``, and ``show_value`` puts a
stored answer (or text that could not be read yet) back on screen. Every
input has an accessible name made from the question's label.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from casework.forms.answers import AnswerError, format_money, read_answer
from casework.forms.articles import with_article
from casework.forms.definitions import Question
from casework.kernel.i18n import _
from ui.error_form import ERROR_STYLE
from ui.forms.keys import RadioArrows
from ui.qt import Qt, QtWidgets, Signal

if TYPE_CHECKING:
    from ui.forms.address_finder import Lookup
    from ui.operations import Operations

HINT_STYLE = "color: #505a5f;"


def _line(name: str, width: int | None = None) -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit()
    edit.setAccessibleName(name)
    if width:
        edit.setMaximumWidth(width)
    return edit


class QuestionField(QtWidgets.QFrame):
    """Label, hint, error and the inputs for one question."""

    changed = Signal()
    submitted = Signal()  # Enter in a single-line input

    def __init__(self, question: Question, language: str, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.question = question
        self.language = language
        self.setObjectName(f"field-{question.id}")
        self._layout = QtWidgets.QVBoxLayout(self)
        self._layout.setContentsMargins(0, 6, 0, 10)
        self.label = QtWidgets.QLabel(question.text("label", language))
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self._layout.addWidget(self.label)
        hint = question.text("hint", language)
        if not question.required:
            hint = f"{hint} {_('(optional)')}".strip()
        self.hint = QtWidgets.QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        # In the layout before it is shown: shown first, a label with no parent
        # flashes up as a window of its own and takes the focus from the form.
        self._layout.addWidget(self.hint)
        self.hint.setVisible(bool(hint))
        self.error = QtWidgets.QLabel()
        self.error.setObjectName(f"error-{question.id}")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self._layout.addWidget(self.error)
        self.offer = QtWidgets.QFrame()
        self.offer.setObjectName(f"offer-{question.id}")
        self.offer.setStyleSheet("QFrame { border-left: 5px solid #1d70b8; }")
        offer_row = QtWidgets.QHBoxLayout(self.offer)
        self.offer_text = QtWidgets.QLabel()
        self.offer_text.setWordWrap(True)
        self.offer_button = QtWidgets.QPushButton(_("Use this answer"))
        self.offer_button.setAccessibleName(
            _("Use the known answer for {label}").format(label=self.label.text())
        )
        offer_row.addWidget(self.offer_text, 1)
        offer_row.addWidget(self.offer_button)
        self.offer.hide()
        self._layout.addWidget(self.offer)
        self._offered: Any = None
        self.offer_button.clicked.connect(self._accept_offer)
        self.build()

    # -- to be provided by each kind -------------------------------------------------
    def build(self) -> None:
        self.edit = _line(self.label.text())
        self.edit.textChanged.connect(self.changed)
        self.edit.returnPressed.connect(self.submitted)
        self._layout.addWidget(self.edit)

    def raw(self) -> Any:
        return self.edit.text()

    def show_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus(self) -> None:
        self.edit.setFocus()

    # -- shared --------------------------------------------------------------------------
    def value(self) -> Any:
        """The stored form of what is on screen; raises AnswerError."""
        return read_answer(self.question, self.raw(), self.language)

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        border = (
            f"QFrame#{self.objectName()} {{ border-left: 5px solid #d4351c; padding-left: 8px; }}"
        )
        self.setStyleSheet(border if message else "")

    def offer_known(self, value: Any, shown: str, source: str) -> None:
        """Show a known answer with where it came from; nothing is filled until accepted."""
        self._offered = value
        self.offer_text.setText(
            _("Already known: {value} ({source}).").format(value=shown, source=source)
        )
        self.offer.show()

    def _accept_offer(self) -> None:
        self.show_value(self._offered)
        self.offer.hide()
        self.changed.emit()
        self.focus()


class LongTextField(QuestionField):
    def build(self) -> None:
        self.block = QtWidgets.QPlainTextEdit()
        self.block.setAccessibleName(self.label.text())
        self.block.setTabChangesFocus(True)
        self.block.setFixedHeight(110)
        self.block.textChanged.connect(self.changed)
        self._layout.addWidget(self.block)

    def raw(self) -> Any:
        return self.block.toPlainText()

    def show_value(self, value: Any) -> None:
        self.block.setPlainText("" if value is None else str(value))

    def focus(self) -> None:
        self.block.setFocus()


class MoneyField(QuestionField):
    def build(self) -> None:
        row = QtWidgets.QHBoxLayout()
        row.addWidget(QtWidgets.QLabel("£"))
        self.edit = _line(self.label.text(), 200)
        self.edit.textChanged.connect(self.changed)
        self.edit.returnPressed.connect(self.submitted)
        row.addWidget(self.edit)
        row.addStretch(1)
        self._layout.addLayout(row)

    def show_value(self, value: Any) -> None:
        if isinstance(value, int):
            self.edit.setText(format_money(value).lstrip("£"))
        else:
            super().show_value(value)


class DateField(QuestionField):
    def build(self) -> None:
        self.edit = _line(self.label.text(), 200)
        self.edit.setPlaceholderText(_("DD/MM/YYYY"))
        self.edit.textChanged.connect(self.changed)
        self.edit.returnPressed.connect(self.submitted)
        self._layout.addWidget(self.edit)
        self.approximate: QtWidgets.QCheckBox | None = None
        if self.question.raw.get("approximate_allowed"):
            self.approximate = QtWidgets.QCheckBox(_("This date is approximate"))
            self.approximate.setAccessibleName(
                _("{label}: the date is approximate").format(label=self.label.text())
            )
            self.approximate.toggled.connect(self.changed)
            self._layout.addWidget(self.approximate)

    def raw(self) -> Any:
        return {
            "date": self.edit.text(),
            "approximate": bool(self.approximate and self.approximate.isChecked()),
        }

    def show_value(self, value: Any) -> None:
        if isinstance(value, dict):
            text = str(value.get("date", ""))
            with contextlib.suppress(ValueError):
                text = date.fromisoformat(text).strftime("%d/%m/%Y")
            self.edit.setText(text)
            if self.approximate is not None:
                self.approximate.setChecked(bool(value.get("approximate")))
        else:
            super().show_value(value)


class _Choices(QuestionField):
    """Radios (one answer) or check boxes (several), with option hints."""

    multiple = False

    def build(self) -> None:
        self.group = QtWidgets.QButtonGroup(self)
        self.group.setExclusive(not self.multiple)
        self.buttons: dict[Any, QtWidgets.QAbstractButton] = {}
        for value, label, hint in self.choices():
            button: QtWidgets.QAbstractButton = (
                QtWidgets.QCheckBox(label) if self.multiple else QtWidgets.QRadioButton(label)
            )
            button.setAccessibleName(f"{self.label.text()}: {label}")
            if hint:
                button.setAccessibleDescription(hint)
                button.setToolTip(hint)
            if not self.multiple:
                # Check boxes stay out of the group: Qt keeps one button of a
                # group as its Tab stop, and its arrows never reach the others.
                self.group.addButton(button)
            self.buttons[value] = button
            self._layout.addWidget(button)
            if hint:
                note = QtWidgets.QLabel(hint)
                note.setWordWrap(True)
                note.setStyleSheet(HINT_STYLE + " margin-left: 24px;")
                self._layout.addWidget(note)
            button.toggled.connect(self._toggled(value))
        if not self.multiple:
            RadioArrows(list(self.buttons.values()), self)

    def choices(self) -> list[tuple[Any, str, str]]:
        return [
            (o["value"], o["label"][self.language], (o.get("hint") or {}).get(self.language, ""))
            for o in self.question.raw["options"]
        ]

    def _toggled(self, value: Any) -> Callable[[bool], None]:
        def toggled(on: bool) -> None:
            self.changed.emit()

        return toggled

    def raw(self) -> Any:
        chosen = [v for v, b in self.buttons.items() if b.isChecked()]
        if self.multiple:
            return chosen
        return chosen[0] if chosen else None

    def show_value(self, value: Any) -> None:
        wanted = set(value) if isinstance(value, list) else {value}
        self.group.setExclusive(False)
        for v, button in self.buttons.items():
            button.blockSignals(True)
            button.setChecked(v in wanted)
            button.blockSignals(False)
        self.group.setExclusive(not self.multiple)

    def focus(self) -> None:
        checked = [b for b in self.buttons.values() if b.isChecked()]
        (checked or list(self.buttons.values()))[0].setFocus()


class ChoiceField(_Choices):
    pass


class YesNoField(_Choices):
    def choices(self) -> list[tuple[Any, str, str]]:
        return [(True, _("Yes"), ""), (False, _("No"), "")]

    def raw(self) -> Any:
        value = super().raw()
        return value if isinstance(value, bool) else None


class MultiChoiceField(_Choices):
    multiple = True

    def _toggled(self, value: Any) -> Callable[[bool], None]:
        exclusive = {o["value"] for o in self.question.raw["options"] if o.get("exclusive")}

        def toggled(on: bool) -> None:
            if on:
                # "None of these" clears the others, and choosing one clears it.
                for other, button in self.buttons.items():
                    if other != value and (value in exclusive or other in exclusive):
                        button.setChecked(False)
            self.changed.emit()

        return toggled


class AddressField(QuestionField):
    def build(self) -> None:
        form = QtWidgets.QFormLayout()
        self.line1 = _line(_("Address line 1"))
        self.line2 = _line(_("Address line 2 (optional)"))
        self.town = _line(_("Town or city"), 320)
        self.postcode = _line(_("Postcode"), 140)
        for text, edit in (
            (_("Address line 1"), self.line1),
            (_("Address line 2 (optional)"), self.line2),
            (_("Town or city"), self.town),
            (_("Postcode"), self.postcode),
        ):
            form.addRow(text, edit)
            edit.textChanged.connect(self.changed)
            edit.returnPressed.connect(self.submitted)
        self._layout.addLayout(form)
        from ui.forms.address_finder import AddressFinder

        self.finder = AddressFinder(self.label.text())
        self.finder.picked.connect(self._pick)
        self.finder.undo_requested.connect(self._put_back)
        self._typed: Any = None
        self._picked: Any = None
        self._layout.addWidget(self.finder)

    def use_lookup(self, ops: Operations, lookup: Lookup) -> None:
        """Show "Find address": the operation ``lookup(postcode)`` makes runs on ``ops``."""
        self.finder.use(ops, lookup, self.postcode.text)

    def _pick(self, match: Any) -> None:
        # Kept, so "Put back what I typed" can restore it; a second pick over an
        # untouched first one keeps what was typed before either.
        if self._typed is None or self.raw() != self._picked:
            self._typed = self.raw()
        self.show_value(
            {"lines": list(match.lines), "town": match.town, "postcode": match.postcode}
        )
        self._picked = self.raw()
        self.changed.emit()
        self.line1.setFocus()

    def _put_back(self) -> None:
        if self._typed is not None:
            self.show_value(self._typed)
            self._typed = None
            self.changed.emit()
            self.line1.setFocus()

    def raw(self) -> Any:
        return {
            "lines": [self.line1.text(), self.line2.text()],
            "town": self.town.text(),
            "postcode": self.postcode.text(),
        }

    def show_value(self, value: Any) -> None:
        if not isinstance(value, dict):
            return
        lines = [*value.get("lines", []), "", ""]
        self.line1.setText(lines[0])
        self.line2.setText(", ".join(x for x in lines[1:] if x))
        self.town.setText(str(value.get("town", "")))
        self.postcode.setText(str(value.get("postcode", "")))

    def focus(self) -> None:
        self.line1.setFocus()


class GroupField(QuestionField):
    """A repeating group: a list of items, each edited in a small dialog."""

    def build(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.list = QtWidgets.QListWidget()
        self.list.setAccessibleName(self.label.text())
        self.list.setMaximumHeight(140)
        self._layout.addWidget(self.list)
        row = QtWidgets.QHBoxLayout()
        item_label = self.question.text("item_label", self.language)
        add = _("Add {an_item}").format(an_item=with_article(item_label, self.language))
        self.add_button = QtWidgets.QPushButton(add)
        self.add_button.setAccessibleName(add)
        self.change_button = QtWidgets.QPushButton(_("Change"))
        self.change_button.setAccessibleName(_("Change the chosen {item}").format(item=item_label))
        self.remove_button = QtWidgets.QPushButton(_("Remove"))
        self.remove_button.setAccessibleName(_("Remove the chosen {item}").format(item=item_label))
        for button in (self.add_button, self.change_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        self._layout.addLayout(row)
        self.add_button.clicked.connect(lambda: self.edit_item(None))
        self.change_button.clicked.connect(lambda: self.edit_item(self.list.currentRow()))
        self.remove_button.clicked.connect(self._remove)
        self.list.itemActivated.connect(lambda _item: self.edit_item(self.list.currentRow()))
        self.dialog: ItemDialog | None = None

    def raw(self) -> Any:
        return [dict(item) for item in self.items]

    def value(self) -> Any:
        return self.raw() or None

    def show_value(self, value: Any) -> None:
        self.items = [dict(i) for i in value] if isinstance(value, list) else []
        self._refresh()

    def _refresh(self) -> None:
        self.list.clear()
        first = self.question.children[0] if self.question.children else None
        for n, item in enumerate(self.items, start=1):
            name = str(item.get(first.id, "")) if first else ""
            self.list.addItem(f"{n}. {name}")
        self.change_button.setEnabled(bool(self.items))
        self.remove_button.setEnabled(bool(self.items))

    def _remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.items):
            del self.items[row]
            self._refresh()
            self.changed.emit()

    def edit_item(self, row: int | None) -> None:
        if row is not None and not 0 <= row < len(self.items):
            return
        existing = self.items[row] if row is not None else {}
        dialog = ItemDialog(self.question, existing, self.language, self)
        self.dialog = dialog

        def done() -> None:
            if row is None:
                self.items.append(dialog.item)
            else:
                self.items[row] = dialog.item
            self._refresh()
            self.changed.emit()

        dialog.accepted.connect(done)
        dialog.open()

    def focus(self) -> None:
        self.add_button.setFocus()


class ItemDialog(QtWidgets.QDialog):
    """One repeat of a group (a medicine, a household member)."""

    def __init__(
        self, group: Question, item: dict[str, Any], language: str, parent: QtWidgets.QWidget
    ):
        super().__init__(parent)
        from casework.forms.answers import check_item, question_shows

        self._check_item = check_item
        self._shows = question_shows
        self.group = group
        self.language = language
        self.item: dict[str, Any] = dict(item)
        title = group.text("item_label", language)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QtWidgets.QVBoxLayout(self)
        self.fields = [field_for(child, language) for child in group.children]
        for field in self.fields:
            layout.addWidget(field)
            if field.question.id in item:
                field.show_value(item[field.question.id])
            field.changed.connect(self._update)
        buttons = QtWidgets.QDialogButtonBox()
        self.save_button = buttons.addButton(
            _("Save this {item}").format(item=title),
            QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.save_button.setAccessibleName(_("Save this {item}").format(item=title))
        self.save_button.setDefault(True)
        cancel = buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(_("Cancel"))
        self.save_button.clicked.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update()

    def _current(self) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for field in self.fields:
            try:
                values[field.question.id] = field.value()
            except AnswerError as exc:
                errors[field.question.id] = str(exc)
        return values, errors

    def _update(self) -> None:
        values, _errors = self._current()
        for field in self.fields:
            field.setVisible(self._shows(field.question, values))

    def _save(self) -> None:
        values, errors = self._current()
        kept = {
            f.question.id: values.get(f.question.id)
            for f in self.fields
            if self._shows(f.question, values) and values.get(f.question.id) is not None
        }
        errors = {k: v for k, v in errors.items() if self._shows(self.group_child(k), values)}
        errors.update(
            {
                k: v
                for k, v in self._check_item(self.group, kept, self.language).items()
                if k not in errors
            }
        )
        for field in self.fields:
            field.set_error(errors.get(field.question.id, ""))
        if errors:
            next(f for f in self.fields if f.question.id in errors).focus()
            return
        self.item = kept
        self.accept()

    def group_child(self, child_id: str) -> Question:
        return next(c for c in self.group.children if c.id == child_id)


_KINDS: dict[str, type[QuestionField]] = {
    "long_text": LongTextField,
    "money": MoneyField,
    "date": DateField,
    "yes_no": YesNoField,
    "choice": ChoiceField,
    "multi_choice": MultiChoiceField,
    "address": AddressField,
    "group": GroupField,
}


def field_for(question: Question, language: str) -> QuestionField:
    """The widget for a question of any type."""
    field = _KINDS.get(question.type, QuestionField)(question, language)
    field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return field
