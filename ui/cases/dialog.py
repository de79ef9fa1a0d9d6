"""Open a new case for a person: which service (the version for where they
live, with the reason shown), and a short title. At a border postcode the
dialog first asks which nation the person lives in."""

from __future__ import annotations

from casework.forms.versions import NATION_NAMES, Version, VersionTable
from casework.kernel.i18n import _, current_language, language_or_english
from casework.kernel.nations import Nation, Placement
from ui.error_form import ErrorForm
from ui.qt import QtWidgets, Signal
from ui.widgets import dialog_buttons
from ui.wrapped_label import WrappedLabel


class CaseDialog(QtWidgets.QDialog):
    """Emits ``open_requested(service_id, title)``: the version of the chosen
    service for the person's nation."""

    open_requested = Signal(str, str)

    def __init__(
        self,
        person_name: str,
        services: list[tuple[str, str]],
        parent: QtWidgets.QWidget | None = None,
        *,
        postcode: str | None = None,
        place: Placement | None = None,
        versions: VersionTable | None = None,
    ) -> None:
        super().__init__(parent)
        self.person_name = person_name
        self.place = place
        self.versions: VersionTable = versions or {}
        title = _("Open a case for {name}").format(name=person_name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QtWidgets.QVBoxLayout(self)
        self.form = ErrorForm()
        self.nation: QtWidgets.QComboBox | None = None
        if place is not None and place.uncertain:
            self.nation = QtWidgets.QComboBox()
            self.nation.addItem(_("Choose a nation"), "")
            for nation in place.candidates:
                self.nation.addItem(_(NATION_NAMES[nation]), nation.value)
            self.form.add_field(
                "nation",
                _("&Where does {name} live?").format(name=person_name),
                self.nation,
                _(
                    "{postcode} is a border postcode ({likely} / {other}): ask which nation "
                    "{name} lives in. Each nation has its own version of some services."
                ).format(
                    postcode=postcode or "",
                    likely=_(NATION_NAMES[place.nation]),
                    other=_(NATION_NAMES[place.other or place.nation]),
                    name=person_name,
                ),
            )
            self.nation.currentIndexChanged.connect(self._show_version)
        self.service = QtWidgets.QComboBox()
        self.service.addItem(_("Choose a service"), "")
        for service_id, label in services:
            self.service.addItem(label, service_id)
        self.form.add_field("service_id", _("&Service"), self.service)
        self.why = WrappedLabel()
        self.why.setObjectName("version-reason")
        self.why.setVisible(False)
        self.title = QtWidgets.QLineEdit()
        self.form.add_field(
            "title", _("&Title"), self.title, _("A few words, like 'Blue Badge renewal'")
        )
        layout.addWidget(self.form)
        layout.addWidget(self.why)
        buttons, self.open_button = dialog_buttons(
            self, _("&Open case"), _("Open case"), self._submit
        )
        layout.addWidget(buttons)
        self.service.currentIndexChanged.connect(self._show_version)
        self._suggested = ""

    def chosen_nation(self) -> Nation | None:
        """The nation the version follows: the worker's answer at a border, else the postcode's."""
        if self.nation is not None:
            value = self.nation.currentData()
            return Nation(value) if value else None
        return self.place.nation if self.place is not None else None

    def version(self) -> Version | None:
        """The version of the chosen service for the chosen nation (None: no form, or not known)."""
        service_id = str(self.service.currentData() or "")
        if self.nation is not None and self.chosen_nation() is None:
            return None
        table = self.versions.get(self.chosen_nation()) or self.versions.get(None) or {}
        return table.get(service_id)

    def _show_version(self) -> None:
        version = self.version()
        self.why.setText(version.reason if version is not None else "")
        self.why.setVisible(version is not None)
        self.service.setAccessibleDescription(version.reason if version is not None else "")
        if self.nation is not None and self.chosen_nation() is not None:
            self.form.clear_errors()  # the nation asked for is answered
        self._suggest_title(version)
        self.adjustSize()  # room for the reason

    def _suggest_title(self, version: Version | None) -> None:
        if not self.service.currentData():
            return
        current = self.title.text().strip()
        if current and current != self._suggested:
            return  # the worker's own words stay
        suggestion = self.service.currentText()
        if version is not None and version.service is not version.chosen:
            language = language_or_english(current_language())
            suggestion = version.service.text("title", language) or suggestion
        self._suggested = suggestion
        self.title.setText(suggestion)

    def _submit(self) -> None:
        if self.nation is not None and self.chosen_nation() is None:
            self.form.show_errors(
                {
                    "nation": _(
                        "Choose where {name} lives: the version of the service depends on it."
                    ).format(name=self.person_name)
                }
            )
            return
        version = self.version()
        service_id = version.service.id if version is not None else self.service.currentData()
        self.open_button.setEnabled(False)
        self.open_requested.emit(str(service_id or ""), self.title.text())

    def refused(self, fields: dict[str, str], general: str = "") -> None:
        self.open_button.setEnabled(True)
        self.form.show_errors(fields, general)
