"""Time limits of a complaint route, computed from the dates recorded.

A step's ``Limit`` counts months from one of two days: the final response
of the step before (the Independent Case Examiner takes a complaint within
6 months of the department's final response), or the problem itself. When
the problem began is not recorded, the case's opening (or the first step, if
earlier) stands in for it: the latest it can have begun, so the day shown is
the latest the body might accept, and the words say so. A month after 31 January is the last day of
February, as the bodies count it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from casework.complaints.routes import Step


def add_months(start: date, months: int) -> date:
    """``start`` moved on by ``months`` calendar months (to the month's end if shorter)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Deadline:
    """By when a step must be taken, and whether it can be taken yet."""

    can_start: bool  # what it needs first is recorded
    last_day: date | None  # None: no fixed limit, or the day it counts from is not known yet
    from_problem: bool  # the day counts from the problem (the case's opening at the latest)


def deadline(step: Step, previous_response: date | None, problem_on: date) -> Deadline:
    """The deadline of ``step`` given the final response of the step before
    (None when there is none yet) and the day the problem began (at the latest)."""
    can_start = previous_response is not None or not step.needs_previous_response
    if step.limit is None:
        return Deadline(can_start, None, False)
    if step.limit.start == "problem":
        return Deadline(can_start, add_months(problem_on, step.limit.months), True)
    if previous_response is None:
        return Deadline(can_start, None, False)
    return Deadline(can_start, add_months(previous_response, step.limit.months), False)
