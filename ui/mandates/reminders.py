"""Mandates ending within 30 days, shown to the worker at sign-in: a status
bar message and a small list beside "My cases", with Renew one step away
(the list's Renew button, or Enter on a row, opens the renew dialog for that
mandate)."""

from __future__ import annotations

from datetime import datetime, timedelta

from casework.kernel.i18n import _, ngettext
from delegation.records import EndingSoon
from ui.mandates.labels import until
from ui.mandates.rows_panel import MandateRowsPanel
from ui.qt import QtWidgets, Signal

REMIND_DAYS = 30  # as delegation.reminders.REMIND_BEFORE


def ending_soon_message(rows: list[EndingSoon]) -> str:
    """The status-bar line at sign-in ("" when nothing ends soon)."""
    if not rows:
        return ""
    return ngettext(
        "{n} mandate ends within 30 days: renew it with the person (see Mandates ending soon).",
        "{n} mandates end within 30 days: renew them with the people (see Mandates ending soon).",
        len(rows),
    ).format(n=len(rows))


def days_left_text(days: int) -> str:
    if days < 1:
        return _("Ends today")
    return ngettext("{n} day left", "{n} days left", days).format(n=days)


def ends_soon(ends_at: datetime, now: datetime) -> int | None:
    """Days left when ``ends_at`` is within the reminder window, else None."""
    left = ends_at - now
    if timedelta(0) < left <= timedelta(days=REMIND_DAYS):
        return left.days
    return None


class EndingSoonPanel(MandateRowsPanel):
    """The list of mandates ending soon; hidden when there are none.

    Emits ``renew_requested(mandate id, person id)``."""

    renew_requested = Signal(int, int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            ("endingSoonPanel", "endingSoon", "renewEndingSoon"),
            _("Mandates ending soon"),
            _("Mandates ending within 30 days"),
            [_("Person"), _("Ends"), _("Left")],
            (_("Re&new the chosen mandate…"), _("Renew the chosen mandate")),
            120,
            parent,
        )
        self.renew_button = self.button
        self.chosen.connect(self.renew_requested)
        self.rows: list[EndingSoon] = []

    def show_rows(self, rows: list[EndingSoon]) -> None:
        self.rows = list(rows)
        self.fill(
            [
                (
                    [row.person_name, until(row.ends_at), days_left_text(row.days_left)],
                    (row.mandate_id, row.person_id),
                )
                for row in rows
            ]
        )
