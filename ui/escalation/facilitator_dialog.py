"""The administrator's dialog for adding a local facilitator to the directory.

A local entry for a service, area and level takes that rung of the ladder
(replacing the shipped person there); a new level extends the ladder. The
list at the top shows the local entries already made.
"""

from __future__ import annotations

from casework.escalation.directory import Facilitator, LocalFacilitatorInput
from casework.kernel.i18n import _
from ui.error_form import ErrorForm
from ui.qt import QtWidgets, Signal
from ui.widgets import dialog_buttons


class FacilitatorDialog(QtWidgets.QDialog):
    """Emits ``save_requested(LocalFacilitatorInput)``."""

    save_requested = Signal(object)

    def __init__(
        self,
        services: list[tuple[str, str]],
        existing: list[Facilitator],
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title = _("Add a local facilitator")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setObjectName("facilitatorDialog")
        layout = QtWidgets.QVBoxLayout(self)
        self.existing = QtWidgets.QListWidget()
        self.existing.setObjectName("localFacilitators")
        self.existing.setAccessibleName(_("Local facilitators already added"))
        for person in existing:
            self.existing.addItem(
                _("{service} in {area}, level {level}: {name} ({organisation})").format(
                    service=person.service_id,
                    area=person.area,
                    level=person.level,
                    name=person.name,
                    organisation=person.organisation,
                )
            )
        self.existing.setMaximumHeight(90)
        layout.addWidget(self.existing)
        self.form = ErrorForm()
        self.service = QtWidgets.QComboBox()
        for service_id, label in services:
            self.service.addItem(label, service_id)
        self.form.add_field("service_id", _("&Service"), self.service)
        self.area = QtWidgets.QLineEdit("england")
        self.form.add_field(
            "area", _("&Area"), self.area, _("A nation, or a council code like W06000015")
        )
        self.level = QtWidgets.QSpinBox()
        self.level.setRange(1, 5)
        self.form.add_field("level", _("&Level"), self.level, _("1 is asked first"))
        self.name = QtWidgets.QLineEdit()
        self.form.add_field("name", _("&Name"), self.name)
        self.role = QtWidgets.QLineEdit()
        self.form.add_field("role", _("&Role"), self.role)
        self.organisation = QtWidgets.QLineEdit()
        self.form.add_field("organisation", _("&Organisation"), self.organisation)
        self.email = QtWidgets.QLineEdit()
        self.form.add_field("email", _("&Email"), self.email)
        self.phone = QtWidgets.QLineEdit()
        self.form.add_field("phone", _("&Phone"), self.phone)
        self.hours = QtWidgets.QLineEdit("09:00-17:00")
        self.form.add_field(
            "hours", _("&Hours, Monday to Friday"), self.hours, _("Like 09:00-17:00")
        )
        self.languages = QtWidgets.QLineEdit("en")
        self.form.add_field("languages", _("Lan&guages"), self.languages, _("Codes, like: en, cy"))
        self.channel = QtWidgets.QComboBox()
        self.channel.addItem(_("Email"), "email")
        self.channel.addItem(_("Paper (post)"), "paper")
        self.form.add_field("channel", _("&Takes escalations by"), self.channel)
        self.address = QtWidgets.QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setMaximumHeight(80)
        self.form.add_field(
            "postal_address", _("Postal a&ddress"), self.address, _("For paper: one line each")
        )
        self.sla = QtWidgets.QSpinBox()
        self.sla.setRange(1, 60)
        self.sla.setValue(10)
        self.form.add_field("sla_working_days", _("Reply within (&working days)"), self.sla)
        layout.addWidget(self.form)
        buttons, self.save_button = dialog_buttons(
            self, _("&Add facilitator"), _("Add facilitator"), self._submit
        )
        layout.addWidget(buttons)

    def data(self) -> LocalFacilitatorInput:
        opens, _sep, closes = self.hours.text().partition("-")
        return LocalFacilitatorInput(
            service_id=str(self.service.currentData() or ""),
            area=self.area.text().strip(),
            level=self.level.value(),
            name=self.name.text(),
            role=self.role.text(),
            organisation=self.organisation.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            languages=tuple(c.strip() for c in self.languages.text().split(",") if c.strip()),
            channel=str(self.channel.currentData()),
            postal_address=tuple(self.address.toPlainText().splitlines()),
            sla_working_days=self.sla.value(),
            opens=opens.strip(),
            closes=closes.strip(),
        )

    def _submit(self) -> None:
        self.save_button.setEnabled(False)
        self.save_requested.emit(self.data())

    def refused(self, fields: dict[str, str], general: str = "") -> None:
        self.save_button.setEnabled(True)
        self.form.show_errors(fields, general)
