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
from datetime import UTC, date, datetime, timedelta

from casework.kernel.nations import Nation as Nation  # re-exported: the SLA speaks of nations
from casework.kernel.nations import nation_of_area as nation_of_area  # one rule, re-exported
from casework.kernel.working_days import (  # re-exported: the SLA clock counts with these
    LONDON as LONDON,
)
from casework.kernel.working_days import MAX_WORKING_DAYS as MAX_WORKING_DAYS
from casework.kernel.working_days import add_working_days as add_working_days
from casework.kernel.working_days import bank_holidays as bank_holidays
from casework.kernel.working_days import is_working_day as is_working_day
from casework.kernel.working_days import local_date as local_date
from casework.kernel.working_days import local_midnight as local_midnight
from casework.kernel.working_days import working_days_between as working_days_between


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
