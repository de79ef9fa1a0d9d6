"""The "Acting for NAME — scope" banner, and how the screens show withheld fields.

The banner is shown above everything on the work page while the worker works
for a person under a mandate (its scope and end date); it is hidden when the
person is reached through the team caseload alone. Withheld fields come from
``record.redacted`` (data-category names the policy decision held back).
"""

from __future__ import annotations

from casework.kernel.i18n import _
from delegation.records import MandateRecord
from ui.mandates.labels import category_label, scope_summary, until
from ui.qt import Qt, QtWidgets

# The person panel's fields and the data category each belongs to.
PERSON_FIELD_CATEGORIES = {
    "date_of_birth": "identity",
    "ni_number": "identity",
    "nhs_number": "health",
    "address": "address",
    "phone": "contact",
    "email": "contact",
    "preferred_language": "contact",
    "communication_needs": "care",
    "access_needs": "care",
}


def withheld_text() -> str:
    return _("Withheld: not covered by the mandate")


def withheld_notice(redacted: frozenset[str]) -> str:
    """One line naming what is withheld, or "" when nothing is."""
    if not redacted:
        return ""
    names = ", ".join(sorted(category_label(c) for c in redacted))
    return _("Some information is withheld because the mandate does not cover it: {what}.").format(
        what=names
    )


class ActingBanner(QtWidgets.QLabel):
    """A bold blue strip: who the worker is acting for, within what, until when."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actingBanner")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel { background: #1d70b8; color: white; font-weight: bold; padding: 6px; }"
        )
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a screen reader can reach it
        self.mandate: MandateRecord | None = None
        self.hide()

    def show_mandate(self, mandate: MandateRecord | None) -> None:
        self.mandate = mandate
        if mandate is None:
            self.clear()
            self.setAccessibleName(_("Not acting under a mandate"))
            self.hide()
            return
        text = _("Acting for {name} — {scope} — until {day}").format(
            name=mandate.person_name,
            scope=scope_summary(mandate.scope, mandate.names),
            day=until(mandate.ends_at),
        )
        self.setText(text)
        self.setAccessibleName(text)
        self.show()
