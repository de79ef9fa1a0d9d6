"""Open a new case for a person: which service, and a short title."""

from __future__ import annotations

from casework.kernel.i18n import _
from ui.error_form import ErrorForm
from ui.qt import QtWidgets, Signal
from ui.widgets import dialog_buttons


class CaseDialog(QtWidgets.QDialog):
    """Emits ``open_requested(service_id, title)``."""

    open_requested = Signal(str, str)

    def __init__(
        self,
        person_name: str,
        services: list[tuple[str, str]],
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title = _("Open a case for {name}").format(name=person_name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QtWidgets.QVBoxLayout(self)
        self.form = ErrorForm()
        self.service = QtWidgets.QComboBox()
        self.service.addItem(_("Choose a service"), "")
        for service_id, label in services:
            self.service.addItem(label, service_id)
        self.form.add_field("service_id", _("&Service"), self.service)
        self.title = QtWidgets.QLineEdit()
        self.form.add_field(
            "title", _("&Title"), self.title, _("A few words, like 'Blue Badge renewal'")
        )
        layout.addWidget(self.form)
        buttons, self.open_button = dialog_buttons(
            self, _("&Open case"), _("Open case"), self._submit
        )
        layout.addWidget(buttons)
        self.service.currentIndexChanged.connect(self._suggest_title)

    def _suggest_title(self) -> None:
        if not self.title.text().strip() and self.service.currentData():
            self.title.setText(self.service.currentText())

    def _submit(self) -> None:
        self.open_button.setEnabled(False)
        self.open_requested.emit(str(self.service.currentData() or ""), self.title.text())

    def refused(self, fields: dict[str, str], general: str = "") -> None:
        self.open_button.setEnabled(True)
        self.form.show_errors(fields, general)
