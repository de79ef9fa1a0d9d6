"""Words the screens show for core values (status names, sizes, times), and the
day/month/year dates a worker types."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from casework.kernel.i18n import _, current_language
from ui.qt import QtCore


def _locale() -> QtCore.QLocale:
    return QtCore.QLocale("cy_GB" if current_language() == "cy" else "en_GB")


def status_label(status: str) -> str:
    # The same message ids as casework.casefile.cases.STATUS_LABELS, so one translation serves both.
    labels = {
        "open": _("Open"),
        "waiting_for_person": _("Waiting for the person"),
        "waiting_for_service": _("Waiting for the service"),
        "closed": _("Closed"),
    }
    return labels.get(status, status)


def when(at: datetime) -> str:
    """A stored UTC time shown in the computer's local time."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    local = at.astimezone()
    stamp = QtCore.QDateTime(
        QtCore.QDate(local.year, local.month, local.day),
        QtCore.QTime(local.hour, local.minute),
    )
    return _locale().toString(stamp, "d MMM yyyy HH:mm")


def day(value: date | None) -> str:
    """A date as people write it: 7 Mar 1950 (Welsh month names in Welsh)."""
    if value is None:
        return ""
    return _locale().toString(QtCore.QDate(value.year, value.month, value.day), "d MMM yyyy")


def size(n: int) -> str:
    if n < 1024:
        return _("{n} bytes").format(n=n)
    if n < 1024 * 1024:
        return _("{n} KB").format(n=round(n / 1024))
    return _("{n:.1f} MB").format(n=n / (1024 * 1024))


_DATE = re.compile(r"^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})\s*$")


def parse_date(text: str) -> date | None:
    """Read a day/month/year date; empty is None; raises ValueError if wrong."""
    if not text.strip():
        return None
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    day, month, year = (int(part) for part in match.groups())
    return date(year, month, day)


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
