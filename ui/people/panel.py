"""One person: their details and their cases."""

from __future__ import annotations

from casework.kernel.i18n import _
from casework.kernel.records import PersonDetail
from ui.labels import day, status_label, when
from ui.mandates.banner import PERSON_FIELD_CATEGORIES, withheld_notice, withheld_text
from ui.qt import Qt, QtWidgets, Signal
from ui.widgets import heading


def _spaced_nhs(number: str | None) -> str:
    """NHS numbers are read out in 3-3-4 groups, as printed on NHS letters."""
    if not number or len(number) != 10:
        return number or ""
    return f"{number[:3]} {number[3:6]} {number[6:]}"


class PersonPanel(QtWidgets.QWidget):
    edit_requested = Signal()
    new_case_requested = Signal()
    case_requested = Signal(int)
    mandates_requested = Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personPanel")
        self.person: PersonDetail | None = None
        layout = QtWidgets.QVBoxLayout(self)
        self.heading = heading(_("Choose a person from the list, or search."), "personHeading")
        layout.addWidget(self.heading)
        self.details = QtWidgets.QLabel()
        self.details.setObjectName("personDetails")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setWordWrap(True)
        self.details.setAccessibleName(_("Person's details"))
        layout.addWidget(self.details)
        buttons = QtWidgets.QHBoxLayout()
        self.edit_button = QtWidgets.QPushButton(_("C&hange details"))
        self.edit_button.setAccessibleName(_("Change details"))
        self.new_case_button = QtWidgets.QPushButton(_("Open a cas&e…"))
        self.new_case_button.setAccessibleName(_("Open a case"))
        self.new_case_button.setToolTip(_("Ctrl+O"))
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.new_case_button)
        self.mandates_button = QtWidgets.QPushButton(_("Man&dates…"))
        self.mandates_button.setObjectName("mandatesButton")
        self.mandates_button.setAccessibleName(_("Mandates and audit"))
        self.mandates_button.clicked.connect(self.mandates_requested)
        buttons.addWidget(self.mandates_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        cases_label = QtWidgets.QLabel(_("Cases"))
        cases_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(cases_label)
        self.cases = QtWidgets.QTreeWidget()
        self.cases.setObjectName("casesList")
        self.cases.setAccessibleName(_("Cases"))
        self.cases.setRootIsDecorated(False)
        self.cases.setHeaderLabels([_("Reference"), _("Title"), _("Status"), _("Opened")])
        layout.addWidget(self.cases, 1)
        self.edit_button.clicked.connect(self.edit_requested)
        self.new_case_button.clicked.connect(self.new_case_requested)
        self.cases.itemActivated.connect(
            lambda item, _col: self.case_requested.emit(item.data(0, Qt.ItemDataRole.UserRole))
        )
        self._enable(False)

    def _enable(self, on: bool) -> None:
        self.edit_button.setEnabled(on)
        self.new_case_button.setEnabled(on)
        self.mandates_button.setEnabled(on)

    def show_person(self, person: PersonDetail) -> None:
        self.person = person
        self.heading.setText(person.full_name)
        fields = [
            ("date_of_birth", _("Date of birth"), day(person.date_of_birth)),
            ("ni_number", _("National Insurance number"), person.ni_number or ""),
            ("nhs_number", _("NHS number"), _spaced_nhs(person.nhs_number)),
            (
                "address",
                _("Address"),
                ", ".join(x for x in (person.address, person.postcode or "") if x),
            ),
            ("phone", _("Phone"), person.phone or ""),
            ("email", _("Email"), person.email or ""),
            (
                "preferred_language",
                _("Preferred language"),
                _("Welsh") if person.preferred_language == "cy" else _("English"),
            ),
            ("communication_needs", _("Communication needs"), person.communication_needs),
            ("access_needs", _("Access needs"), person.access_needs),
        ]
        lines = [
            (label, withheld_text() if PERSON_FIELD_CATEGORIES[key] in person.redacted else value)
            for key, label, value in fields
        ]
        notice = withheld_notice(person.redacted)
        text = "\n".join(f"{label}: {value}" for label, value in lines if value)
        self.details.setText(f"{notice}\n{text}" if notice else text)
        self.cases.clear()
        for case in person.cases:
            item = QtWidgets.QTreeWidgetItem(
                [case.reference, case.title, status_label(case.status), when(case.opened_at)]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, case.id)
            self.cases.addTopLevelItem(item)
        for column in range(4):
            self.cases.resizeColumnToContents(column)
        self._enable(True)
