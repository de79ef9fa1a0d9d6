"""The periods a worker picks figures for, as plain dates (no Qt)."""

from __future__ import annotations

import enum
from datetime import date, timedelta

from casework.kernel.i18n import N_, _
from casework.kernel.timeline import MONTHS


class Period(enum.Enum):
    LAST_4_WEEKS = N_("Last 4 weeks")
    THIS_MONTH = N_("This month")
    LAST_QUARTER = N_("Last quarter")
    CUSTOM = N_("Choose dates")


def period_dates(period: Period, today: date) -> tuple[date, date]:
    """The first and last day of ``period`` as seen on ``today`` (a custom
    period starts as the last 4 weeks)."""
    if period is Period.THIS_MONTH:
        return today.replace(day=1), today
    if period is Period.LAST_QUARTER:
        first_month = 3 * ((today.month - 1) // 3) + 1  # this quarter's first month
        this_quarter = today.replace(month=first_month, day=1)
        end = this_quarter - timedelta(days=1)
        return end.replace(month=3 * ((end.month - 1) // 3) + 1, day=1), end
    return today - timedelta(days=27), today


def day_words(value: date) -> str:
    """A date as the reader says it: 5 December 2026, 5 Rhagfyr 2026."""
    return f"{value.day} {_(MONTHS[value.month - 1])} {value.year}"


def period_words(start: date, end: date) -> str:
    return _("From {start} to {end}").format(start=day_words(start), end=day_words(end))
