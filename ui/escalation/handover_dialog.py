"""Refer a case to another team or organisation, with the person's consent.

Only the summary typed here goes with the referral: the receiving team reads
nothing else until it accepts (and a new mandate is granted to it).
"""

from __future__ import annotations

from casework.kernel.i18n import _
from ui.error_form import ErrorForm
from ui.qt import QtWidgets, Signal
from ui.widgets import dialog_buttons


class HandoverDialog(QtWidgets.QDialog):
    """Emits ``refer_requested(team_id, summary, consent_note)``."""

    refer_requested = Signal(int, str, str)

    def __init__(
        self, case_label: str, teams: list[tuple[int, str]], parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        title = _("Refer case {case} to another team").format(case=case_label)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setObjectName("handoverDialog")
        layout = QtWidgets.QVBoxLayout(self)
        intro = QtWidgets.QLabel(
            _(
                "Only the summary below is shared until the other team accepts. Read it to the "
                "person and check they agree."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = ErrorForm()
        self.team = QtWidgets.QComboBox()
        self.team.setObjectName("handoverTeam")
        self.team.addItem(_("Choose a team"), 0)
        for team_id, name in teams:
            self.team.addItem(name, team_id)
        self.form.add_field("team", _("&Refer to"), self.team)
        self.summary = QtWidgets.QPlainTextEdit()
        self.summary.setObjectName("handoverSummary")
        self.summary.setTabChangesFocus(True)
        self.form.add_field("summary", _("&Summary the person agreed to share"), self.summary)
        self.consent = QtWidgets.QLineEdit()
        self.consent.setObjectName("handoverConsent")
        self.form.add_field(
            "consent",
            _("&How the person agreed"),
            self.consent,
            _("For example: in person today, with their daughter"),
        )
        layout.addWidget(self.form)
        buttons, self.refer_button = dialog_buttons(
            self, _("Re&fer"), _("Refer the case"), self._submit
        )
        layout.addWidget(buttons)

    def _submit(self) -> None:
        self.refer_button.setEnabled(False)
        self.refer_requested.emit(
            int(self.team.currentData() or 0), self.summary.toPlainText(), self.consent.text()
        )

    def refused(self, fields: dict[str, str], general: str = "") -> None:
        self.refer_button.setEnabled(True)
        self.form.show_errors(fields, general)
