"""Add or change a person's details.

The dialog never closes on a refused save: the core's messages appear beside
the fields and everything typed stays. Saving runs off the UI thread; the
dialog is told the outcome by ``saved`` or ``refused``.
"""

from __future__ import annotations

from casework.kernel.i18n import _
from casework.kernel.records import PersonDetail, PersonInput
from ui.error_form import ErrorForm
from ui.labels import format_date, parse_date
from ui.qt import QtWidgets, Signal
from ui.widgets import dialog_buttons


class PersonDialog(QtWidgets.QDialog):
    """Emits ``save_requested(PersonInput)``; the window does the saving."""

    save_requested = Signal(object)

    def __init__(
        self, person: PersonDetail | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.person = person
        title = _("Add a person") if person is None else _("Change {name}'s details")
        if person is not None:
            title = title.format(name=person.full_name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QtWidgets.QVBoxLayout(self)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        self.form = ErrorForm()
        f = self.form
        self.given_name = f.add_field("given_name", _("&Given name"), QtWidgets.QLineEdit())
        self.family_name = f.add_field("family_name", _("&Family name"), QtWidgets.QLineEdit())
        self.date_of_birth = f.add_field(
            "date_of_birth",
            _("&Date of birth"),
            QtWidgets.QLineEdit(),
            _("For example, 27/03/1950"),
        )
        self.ni_number = f.add_field(
            "ni_number",
            _("&National Insurance number"),
            QtWidgets.QLineEdit(),
            _("For example, QQ 12 34 56 C"),
        )
        self.nhs_number = f.add_field(
            "nhs_number", _("N&HS number"), QtWidgets.QLineEdit(), _("10 digits, like 485 777 3457")
        )
        self.address = f.add_field("address", _("&Address"), QtWidgets.QPlainTextEdit())
        self.postcode = f.add_field("postcode", _("&Postcode"), QtWidgets.QLineEdit())
        self.phone = f.add_field("phone", _("P&hone"), QtWidgets.QLineEdit())
        self.email = f.add_field("email", _("&Email"), QtWidgets.QLineEdit())
        language = QtWidgets.QComboBox()
        language.addItem(_("English"), "en")
        language.addItem(_("Welsh (Cymraeg)"), "cy")
        self.preferred_language = f.add_field(
            "preferred_language", _("Preferred &language"), language
        )
        self.communication_needs = f.add_field(
            "communication_needs",
            _("&Communication needs"),
            QtWidgets.QPlainTextEdit(),
            _("For example, needs an interpreter, uses BSL, prefers large print"),
        )
        self.access_needs = f.add_field(
            "access_needs", _("Access &needs"), QtWidgets.QPlainTextEdit()
        )
        for edit in (self.address, self.communication_needs, self.access_needs):
            assert isinstance(edit, QtWidgets.QPlainTextEdit)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(60)
        scroll.setWidget(self.form)
        layout.addWidget(scroll)
        buttons, self.save_button = dialog_buttons(self, _("&Save"), _("Save person"), self._submit)
        self.save_button.setObjectName("savePerson")
        layout.addWidget(buttons)
        self.resize(560, 640)
        if person is not None:
            self._fill(person)

    def _line(self, name: str) -> QtWidgets.QLineEdit:
        widget = getattr(self, name)
        assert isinstance(widget, QtWidgets.QLineEdit)
        return widget

    def _block(self, name: str) -> QtWidgets.QPlainTextEdit:
        widget = getattr(self, name)
        assert isinstance(widget, QtWidgets.QPlainTextEdit)
        return widget

    def _fill(self, p: PersonDetail) -> None:
        for name in ("given_name", "family_name", "ni_number", "nhs_number", "postcode"):
            self._line(name).setText(getattr(p, name) or "")
        self._line("phone").setText(p.phone or "")
        self._line("email").setText(p.email or "")
        self._line("date_of_birth").setText(format_date(p.date_of_birth))
        self._block("address").setPlainText(p.address)
        self._block("communication_needs").setPlainText(p.communication_needs)
        self._block("access_needs").setPlainText(p.access_needs)
        combo = self.preferred_language
        assert isinstance(combo, QtWidgets.QComboBox)
        combo.setCurrentIndex(max(0, combo.findData(p.preferred_language)))

    def collect(self) -> PersonInput:
        """What is on screen; raises ValueError naming a date that cannot be read."""
        combo = self.preferred_language
        assert isinstance(combo, QtWidgets.QComboBox)
        return PersonInput(
            given_name=self._line("given_name").text(),
            family_name=self._line("family_name").text(),
            date_of_birth=parse_date(self._line("date_of_birth").text()),
            ni_number=self._line("ni_number").text(),
            nhs_number=self._line("nhs_number").text(),
            address=self._block("address").toPlainText(),
            postcode=self._line("postcode").text(),
            email=self._line("email").text(),
            phone=self._line("phone").text(),
            preferred_language=str(combo.currentData()),
            communication_needs=self._block("communication_needs").toPlainText(),
            access_needs=self._block("access_needs").toPlainText(),
        )

    def _submit(self) -> None:
        try:
            data = self.collect()
        except ValueError:
            self.form.show_errors(
                {
                    "date_of_birth": _(
                        "Enter the date of birth as day, month and year, like 27/03/1950."
                    )
                }
            )
            return
        self.form.clear_errors()
        self.save_button.setEnabled(False)
        self.save_requested.emit(data)

    def refused(self, fields: dict[str, str], general: str = "") -> None:
        self.save_button.setEnabled(True)
        self.form.show_errors(fields, general)
