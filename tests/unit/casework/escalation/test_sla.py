"""Working days for SLA clocks: weekends, each nation's bank holidays, the clock
changes and Christmas/New Year, by example and by property."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from casework.escalation import sla
from casework.escalation.sla import Nation
from casework.kernel.models import utcnow

ALL = list(Nation)


def test_a_friday_case_skips_the_weekend() -> None:
    assert sla.add_working_days(date(2026, 3, 6), 1, Nation.ENGLAND) == date(2026, 3, 9)
    assert sla.add_working_days(date(2026, 3, 6), 5, Nation.ENGLAND) == date(2026, 3, 13)


def test_a_case_raised_on_saturday_counts_from_monday() -> None:
    assert sla.add_working_days(date(2026, 3, 7), 1, Nation.WALES) == date(2026, 3, 9)


@pytest.mark.parametrize(
    ("nation", "start", "days", "due"),
    [
        # Good Friday (3 April 2026) everywhere; Easter Monday everywhere but Scotland.
        (Nation.ENGLAND, date(2026, 4, 2), 2, date(2026, 4, 8)),
        (Nation.WALES, date(2026, 4, 2), 2, date(2026, 4, 8)),
        (Nation.NORTHERN_IRELAND, date(2026, 4, 2), 2, date(2026, 4, 8)),
        (Nation.SCOTLAND, date(2026, 4, 2), 2, date(2026, 4, 7)),
        # St Patrick's Day (Tue 17 March 2026) only in Northern Ireland.
        (Nation.NORTHERN_IRELAND, date(2026, 3, 16), 1, date(2026, 3, 18)),
        (Nation.ENGLAND, date(2026, 3, 16), 1, date(2026, 3, 17)),
        # The Battle of the Boyne (Mon 13 July 2026, observed) only in Northern Ireland.
        (Nation.NORTHERN_IRELAND, date(2026, 7, 10), 1, date(2026, 7, 14)),
        (Nation.SCOTLAND, date(2026, 7, 10), 1, date(2026, 7, 13)),
        # The summer holiday: first Monday of August in Scotland, last in the others.
        (Nation.SCOTLAND, date(2026, 7, 31), 1, date(2026, 8, 4)),
        (Nation.ENGLAND, date(2026, 7, 31), 1, date(2026, 8, 3)),
        (Nation.ENGLAND, date(2026, 8, 28), 1, date(2026, 9, 1)),
        (Nation.SCOTLAND, date(2026, 8, 28), 1, date(2026, 8, 31)),
        # St Andrew's Day (Mon 30 November 2026) only in Scotland.
        (Nation.SCOTLAND, date(2026, 11, 27), 1, date(2026, 12, 1)),
        (Nation.WALES, date(2026, 11, 27), 1, date(2026, 11, 30)),
    ],
)
def test_each_nations_bank_holidays(nation: Nation, start: date, days: int, due: date) -> None:
    assert sla.add_working_days(start, days, nation) == due


def test_christmas_and_new_year_2026() -> None:
    # 25 Dec is a Friday, Boxing Day (Sat) is observed on Mon 28 Dec; 1 Jan 2027 is a Friday.
    assert sla.add_working_days(date(2026, 12, 24), 1, Nation.ENGLAND) == date(2026, 12, 29)
    assert sla.add_working_days(date(2026, 12, 24), 4, Nation.ENGLAND) == date(2027, 1, 4)
    # Scotland also has 2 January (a Saturday in 2027, so observed on Monday 4 January).
    assert sla.add_working_days(date(2026, 12, 24), 4, Nation.SCOTLAND) == date(2027, 1, 5)


def test_the_raised_day_never_counts_even_if_it_is_a_working_day() -> None:
    assert sla.add_working_days(date(2026, 3, 9), 0, Nation.ENGLAND) == date(2026, 3, 9)
    assert sla.add_working_days(date(2026, 3, 9), 1, Nation.ENGLAND) == date(2026, 3, 10)


def test_days_are_counted_on_the_london_wall_clock_in_summer_time() -> None:
    # 23:30 UTC on Sunday 28 June 2026 is 00:30 BST on Monday: a Monday case.
    raised = datetime(2026, 6, 28, 23, 30, tzinfo=UTC)
    assert sla.local_date(raised) == date(2026, 6, 29)
    c = sla.clock(raised, 1, Nation.ENGLAND)
    assert c.due_on == date(2026, 6, 30)
    # Breached at midnight BST, which is 23:00 UTC.
    assert c.breach_at == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)


def test_a_clock_running_over_the_spring_change_breaches_at_local_midnight() -> None:
    # Clocks go forward on Sunday 29 March 2026.
    c = sla.clock(datetime(2026, 3, 26, 10, 0, tzinfo=UTC), 2, Nation.ENGLAND)
    assert c.due_on == date(2026, 3, 30)
    assert c.breach_at == datetime(2026, 3, 30, 23, 0, tzinfo=UTC)  # 00:00 BST on 31 March
    assert c.reminder_at == datetime(2026, 3, 29, 23, 0, tzinfo=UTC)  # 00:00 BST on 30 March


def test_a_clock_running_over_the_autumn_change_breaches_at_local_midnight() -> None:
    # Clocks go back on Sunday 25 October 2026.
    c = sla.clock(datetime(2026, 10, 22, 22, 30, tzinfo=UTC), 2, Nation.ENGLAND)  # 23:30 BST Thu
    assert c.due_on == date(2026, 10, 26)
    assert c.breach_at == datetime(2026, 10, 27, 0, 0, tzinfo=UTC)  # GMT again


def test_working_days_left_on_the_real_clock() -> None:
    # 22, 23, 24, 29, 30, 31 December: Christmas and Boxing Day (observed 28th) skipped.
    c = sla.clock(datetime(2026, 12, 21, 12, 0, tzinfo=UTC), 6, Nation.WALES)
    assert c.due_on == date(2026, 12, 31)
    with time_machine.travel(datetime(2026, 12, 24, 9, 0, tzinfo=UTC), tick=False):
        now = utcnow()
        assert c.working_days_left(now) == 3  # 29, 30, 31 December
        assert not c.breached(now)
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, tzinfo=UTC), tick=False):
        assert not c.breached(utcnow())
    with time_machine.travel(datetime(2027, 1, 1, 0, 0, tzinfo=UTC), tick=False):
        assert c.breached(utcnow())
        assert c.working_days_left(utcnow()) == 0  # New Year's Day is not a working day
    with time_machine.travel(datetime(2027, 1, 4, 9, 0, tzinfo=UTC), tick=False):
        assert c.working_days_left(utcnow()) == -1


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        sla.local_date(datetime(2026, 1, 1, 12, 0))


def test_area_codes_name_their_nation() -> None:
    assert sla.nation_of_area("W06000015") is Nation.WALES
    assert sla.nation_of_area("S12000036") is Nation.SCOTLAND
    assert sla.nation_of_area("N09000003") is Nation.NORTHERN_IRELAND
    assert sla.nation_of_area("E09000033") is Nation.ENGLAND
    assert sla.nation_of_area("scotland") is Nation.SCOTLAND
    assert sla.nation_of_area("X1") is None


days_strategy = st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31))


@given(start=days_strategy, n=st.integers(0, 40), nation=st.sampled_from(ALL))
def test_the_due_day_is_a_working_day_exactly_n_working_days_on(
    start: date, n: int, nation: Nation
) -> None:
    due = sla.add_working_days(start, n, nation)
    assert sla.working_days_between(start, due, nation) == n
    if n:
        assert sla.is_working_day(due, nation)
        assert due.weekday() < 5
        assert due not in sla.bank_holidays(nation, due.year)


@given(start=days_strategy, n=st.integers(0, 30), nation=st.sampled_from(ALL))
def test_one_more_working_day_is_always_later(start: date, n: int, nation: Nation) -> None:
    assert sla.add_working_days(start, n + 1, nation) > sla.add_working_days(start, n, nation)


@given(
    moment=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(UTC)
    ),
    n=st.integers(1, 20),
    nation=st.sampled_from(ALL),
)
def test_breach_is_local_midnight_after_the_due_day(
    moment: datetime, n: int, nation: Nation
) -> None:
    c = sla.clock(moment, n, nation)
    local = c.breach_at.astimezone(sla.LONDON)
    assert (local.hour, local.minute) == (0, 0)
    assert local.date() == c.due_on + timedelta(days=1)
    assert c.raised_at <= c.reminder_at < c.breach_at
    assert not c.breached(c.breach_at - timedelta(microseconds=1))
    assert c.breached(c.breach_at)
