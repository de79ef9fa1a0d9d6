"""Working-day arithmetic for escalation SLAs, on the UK's own calendars.

A facilitator promises a reply "within N working days". A working day is a
Monday to Friday that is not a bank holiday *in the nation the case is in*:
England and Wales share one list, Scotland and Northern Ireland have their
own (the ``holidays`` package carries the published lists, substitute days
included). Days are counted on the wall clock of Europe/London, so a case
raised at 00:30 BST on a Monday is a Monday case even though it is still
Sunday in UTC, and the clock changes never add or lose a day.

The rule: the day an escalation is raised does not count. The reply is due by
the end of the Nth working day after it (``due_on``); the SLA is breached at
the first local midnight after that day (``breach_at``, returned in UTC). A
reminder goes to the worker at the start of the last working day
(``reminder_at``), so they can chase before the breach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from casework.kernel.nations import Nation as Nation  # re-exported: the SLA speaks of nations
from casework.kernel.nations import nation_of_area as nation_of_area  # one rule, re-exported

LONDON = ZoneInfo("Europe/London")
MAX_WORKING_DAYS = 260  # a year of working days; longer SLAs are a data error


# The subdivision codes of the ``holidays`` package (ISO 3166-2:GB).
_SUBDIVISIONS = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@cache
def _calendar(nation: Nation, year: int) -> frozenset[date]:
    import holidays  # imported on first use: it is large and start-up is timed

    return frozenset(holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year))


def bank_holidays(nation: Nation, year: int) -> frozenset[date]:
    """The nation's bank holidays in ``year`` (substitute days included)."""
    return _calendar(Nation(nation), year)


def is_working_day(day: date, nation: Nation) -> bool:
    return day.weekday() < 5 and day not in _calendar(Nation(nation), day.year)


def local_date(moment: datetime) -> date:
    """The date on the wall in London at ``moment`` (which must be aware)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the SLA clock: pass UTC")
    return moment.astimezone(LONDON).date()


def add_working_days(start: date, days: int, nation: Nation) -> date:
    """The Nth working day after ``start`` (``start`` itself never counts)."""
    if not 0 <= days <= MAX_WORKING_DAYS:
        raise ValueError(f"an SLA of {days} working days is out of range")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            counted += 1
    return day


def working_days_between(start: date, end: date, nation: Nation) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start, nation)
    return sum(
        1
        for n in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=n), nation)
    )


def local_midnight(day: date) -> datetime:
    """00:00 on ``day`` in London, as UTC (midnight is never skipped or doubled in the UK)."""
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


@dataclass(frozen=True)
class Clock:
    """One SLA: raised at, due by the end of ``due_on``, breached at ``breach_at``."""

    nation: Nation
    working_days: int
    raised_at: datetime
    due_on: date
    breach_at: datetime  # UTC
    reminder_at: datetime  # UTC

    def working_days_left(self, now: datetime) -> int:
        """Working days from today (London) to the due day; 0 on the due day, negative after."""
        return working_days_between(local_date(now), self.due_on, self.nation)

    def breached(self, now: datetime) -> bool:
        return now >= self.breach_at


def clock(raised_at: datetime, working_days: int, nation: Nation) -> Clock:
    """The SLA clock for something raised at ``raised_at`` (aware) in ``nation``."""
    nation = Nation(nation)
    due = add_working_days(local_date(raised_at), working_days, nation)
    return Clock(
        nation=nation,
        working_days=working_days,
        raised_at=raised_at.astimezone(UTC),
        due_on=due,
        breach_at=local_midnight(due + timedelta(days=1)),
        reminder_at=max(raised_at.astimezone(UTC), local_midnight(due)),
    )
