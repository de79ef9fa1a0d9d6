"""Recording a review of a mandate, and the list of reviews due.

The review decides one of three things: keep it as it is (with the date of
the next review), narrow it (untick what the helper no longer needs, and the
next review date), or end it (it is revoked, with anything passed on from
it). A review never moves the end date: renewing is asked of the person.

``ReviewsDuePanel`` sits under "My cases": the live mandates of the team's
people whose review date is within 14 days or past, with Review one step away.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from casework.kernel.i18n import _
from delegation.records import MandateRecord
from delegation.scope import Scope
from ui.error_form import ErrorForm
from ui.labels import format_date, parse_date
from ui.mandates.dialog_parts import refuse, titled
from ui.mandates.grant_dialog import end_of_day
from ui.mandates.labels import until
from ui.mandates.rows_panel import MandateRowsPanel
from ui.mandates.scope_ticker import ScopeTicker
from ui.qt import QtWidgets, Signal
from ui.widgets import dialog_buttons

NEXT_REVIEW_DAYS = 90


def review_due_text(review_at: datetime, now: datetime) -> str:
    """ "Due 3 Jan" or "Overdue since 3 Jan"."""
    if review_at <= now:
        return _("Overdue since {day}").format(day=until(review_at))
    return _("Due {day}").format(day=until(review_at))


def within(moment: datetime, ends_at: datetime) -> datetime:
    """The end of a chosen day, or the mandate's end when it is that same day
    (a later day is left for the core to refuse, beside the field)."""
    same_day = moment.astimezone().date() == ends_at.astimezone().date()
    return min(moment, ends_at) if same_day else moment


class ReviewDialog(QtWidgets.QDialog):
    """Emits ``review_requested(outcome, next review (UTC) or None, scope or None)``;
    stays open until the window answers with ``reviewed`` or ``refused``."""

    review_requested = Signal(str, object, object)

    def __init__(
        self,
        mandate: MandateRecord,
        titles: dict[str, str],
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.mandate = mandate
        title = _("Review the mandate to {who}").format(who=mandate.grantee)
        layout = titled(
            self,
            title,
            ("reviewDialog", "reviewHeading"),
            _(
                "For {name}. It ends on {end}; the review was due on {due}. Check with the person "
                "that it is still what they want."
            ).format(
                name=mandate.person_name, end=until(mandate.ends_at), due=until(mandate.review_at)
            ),
        )
        self.form = ErrorForm()
        f = self.form
        choices = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(choices)
        column.setContentsMargins(0, 0, 0, 0)
        self.kept = QtWidgets.QRadioButton(_("&Keep it as it is"))
        self.narrowed = QtWidgets.QRadioButton(_("&Narrow it: the helper needs less"))
        self.ended = QtWidgets.QRadioButton(_("&End it now"))
        for name, radio in (
            ("reviewKept", self.kept),
            ("reviewNarrowed", self.narrowed),
            ("reviewEnded", self.ended),
        ):
            radio.setObjectName(name)
            radio.setAccessibleName(radio.text().replace("&", ""))
            column.addWidget(radio)
        self.kept.setChecked(True)
        choices.setAccessibleName(_("What the review decided"))
        choices.setFocusProxy(self.kept)
        f.add_field("outcome", _("Decision"), choices)
        suggested = min(
            mandate.ends_at.astimezone().date(),
            date.today() + timedelta(days=NEXT_REVIEW_DAYS),
        )
        self.next_review = f.add_field(
            "review_at",
            _("Ne&xt review"),
            QtWidgets.QLineEdit(format_date(suggested)),
            _("No later than {day}, when it ends.").format(day=until(mandate.ends_at)),
        )
        self.scope = f.add_field(
            "scope",
            _("What the helper may still do"),
            ScopeTicker(mandate.scope, titles, ticked=True),
            _("When narrowing, untick what the helper no longer needs."),
        )
        layout.addWidget(f, 1)
        self.buttons, self.confirm = dialog_buttons(
            self, _("Record the &review"), _("Record the review"), self._submit
        )
        self.confirm.setObjectName("confirmReview")
        layout.addWidget(self.buttons)
        for radio in (self.kept, self.narrowed, self.ended):
            radio.toggled.connect(lambda _on: self._outcome_changed())
        self._outcome_changed()

    def outcome(self) -> str:
        if self.ended.isChecked():
            return "ended"
        return "narrowed" if self.narrowed.isChecked() else "kept"

    def _outcome_changed(self) -> None:
        outcome = self.outcome()
        self.next_review.setEnabled(outcome != "ended")
        self.scope.setEnabled(outcome == "narrowed")
        self.confirm.setText(
            _("End the &mandate") if outcome == "ended" else _("Record the &review")
        )
        self.confirm.setAccessibleName(self.confirm.text().replace("&", ""))

    def _submit(self) -> None:
        outcome = self.outcome()
        problems: dict[str, str] = {}
        when: datetime | None = None
        scope: Scope | None = None
        if outcome != "ended":
            try:
                day = parse_date(self.next_review.text())
            except ValueError:
                day = None
            if day is None:
                problems["review_at"] = _(
                    "Enter the next review as day, month and year, like 27/03/2027."
                )
            else:
                when = within(end_of_day(day), self.mandate.ends_at)
        if outcome == "narrowed":
            try:
                scope = self.scope.chosen()
            except ValueError as exc:
                problems["scope"] = str(exc)
        if problems:
            self.form.show_errors(problems)
            return
        self.form.clear_errors()
        self.confirm.setEnabled(False)
        self.review_requested.emit(outcome, when, scope)

    def refused(self, fields: dict[str, str], general: str = "") -> None:
        refuse(self.form, self.confirm, fields, general)

    def reviewed(self) -> None:
        self.accept()


class ReviewsDuePanel(MandateRowsPanel):
    """Mandate reviews due within 14 days or past; hidden when there are none.

    Emits ``review_requested(mandate id, person id)``."""

    review_requested = Signal(int, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            ("reviewsDuePanel", "reviewsDue", "reviewChosen"),
            _("Mandate reviews &due"),
            _("Mandate reviews due within 14 days or overdue"),
            [_("Person"), _("Helper"), _("Review")],
            (_("Re&view the chosen mandate…"), _("Review the chosen mandate")),
            140,
            parent,
        )
        self.review_button = self.button
        self.chosen.connect(self.review_requested)
        self.rows: list[MandateRecord] = []

    def show_rows(self, rows: list[MandateRecord]) -> None:
        self.rows = list(rows)
        now = datetime.now(UTC)
        self.fill(
            [
                (
                    [row.person_name, row.grantee, review_due_text(row.review_at, now)],
                    (row.id, row.person_id),
                )
                for row in rows
            ]
        )
