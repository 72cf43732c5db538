"""Celebration dates, without a database: 29 February, weekends moved to the Friday before, each occasion
celebrated exactly once, members on both sides of the date line, opt-outs."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.recognition.domain import celebrations as c

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))


def test_29_february():
    assert c.observed(2024, 2, 29) == dt.date(2024, 2, 29)
    assert c.observed(2025, 2, 29) == dt.date(2025, 2, 28)
    assert c.observed(2100, 2, 29) == dt.date(2100, 2, 28)  # not a leap year
    start = dt.date(2020, 2, 29)
    # 28 February 2025 is a Friday: the fifth anniversary is celebrated that day.
    assert c.due_on(dt.date(2025, 2, 28), start_date=start, birthday=None) == [
        c.Due("anniversary", "anniversary:2025", dt.date(2025, 2, 28), 5)]
    # 28 February 2026 is a Saturday: celebrated on Friday 27 February.
    assert c.due_on(dt.date(2026, 2, 27), start_date=start, birthday=None)[0].years == 6
    assert c.due_on(dt.date(2026, 2, 28), start_date=start, birthday=None) == []
    # In a leap year, on the day itself (Thursday 29 February 2024).
    assert c.due_on(dt.date(2024, 2, 29), start_date=start, birthday=None)[0].occasion == dt.date(2024, 2, 29)
    assert c.due_on(dt.date(2024, 2, 28), start_date=start, birthday=None) == []


def test_weekends_move_to_the_friday_before():
    assert c.celebration_day(dt.date(2025, 6, 14)) == dt.date(2025, 6, 13)  # Saturday
    assert c.celebration_day(dt.date(2025, 6, 15)) == dt.date(2025, 6, 13)  # Sunday
    assert c.celebration_day(dt.date(2025, 6, 16)) == dt.date(2025, 6, 16)  # Monday
    # Sunday 1 January 2023: celebrated on Friday 30 December 2022, keeping the occasion's year.
    due = c.due_on(dt.date(2022, 12, 30), start_date=dt.date(2020, 1, 1), birthday=(1, 1))
    assert {(d.kind, d.key, d.years) for d in due} == {("anniversary", "anniversary:2023", 3), ("birthday", "birthday:2023", None)}
    assert c.due_on(dt.date(2023, 1, 1), start_date=dt.date(2020, 1, 1), birthday=(1, 1)) == []


def test_no_anniversary_in_the_first_year_and_welcome_in_the_first_week():
    start = dt.date(2025, 3, 8)  # a Saturday
    assert c.welcome_day(start) == dt.date(2025, 3, 10)
    assert [d.kind for d in c.due_on(dt.date(2025, 3, 10), start_date=start, birthday=None)] == ["welcome"]
    assert c.due_on(dt.date(2025, 3, 7), start_date=start, birthday=None) == []  # before they start
    assert [d.kind for d in c.due_on(dt.date(2025, 3, 14), start_date=start, birthday=None)] == ["welcome"]
    assert c.due_on(dt.date(2025, 3, 17), start_date=start, birthday=None) == []  # the first week is over
    assert [d.years for d in c.due_on(dt.date(2026, 3, 6), start_date=start, birthday=None)] == [1]


def test_opt_outs():
    start, today = dt.date(2020, 6, 16), dt.date(2025, 6, 16)
    assert c.due_on(today, start_date=start, birthday=(6, 16), skip=frozenset({"anniversary"})) == [
        c.Due("birthday", "birthday:2025", today)]
    assert c.due_on(today, start_date=start, birthday=None, skip=frozenset({"anniversary"})) == []
    assert c.due_on(dt.date(2025, 6, 16), start_date=today, birthday=None, skip=frozenset({"welcome"})) == []


def test_both_sides_of_the_date_line():
    now = dt.datetime(2025, 3, 14, 10, 30, tzinfo=dt.UTC)  # a Friday in UTC
    assert c.local_date(now, "Pacific/Kiritimati") == dt.date(2025, 3, 15)  # UTC+14: already Saturday
    assert c.local_date(now, "Pacific/Pago_Pago") == dt.date(2025, 3, 13)  # UTC-11: still Thursday
    assert c.local_date(now, "Not/AZone") == dt.date(2025, 3, 14)
    assert c.local_date(now, "") == dt.date(2025, 3, 14)


@given(day=dates)
def test_celebration_day_is_a_weekday_at_most_two_days_before(day):
    moved = c.celebration_day(day)
    assert moved.weekday() < 5
    assert dt.timedelta(0) <= day - moved <= dt.timedelta(days=2)
    assert day in c.occasions_celebrated_on(moved)


@settings(max_examples=200, deadline=None)
@given(start=dates, birthday=st.tuples(st.integers(1, 12), st.integers(1, 31)), year=st.integers(1991, 2089))
def test_every_yearly_occasion_is_celebrated_exactly_once(start, birthday, year):
    if not c.valid_birthday(*birthday):
        return
    # Scan from 3 days before New Year to 3 days after the next: every key of the year shows up exactly once.
    first, last = dt.date(year - 1, 12, 28), dt.date(year + 1, 1, 3)
    seen: dict[tuple[str, str], list[dt.date]] = {}
    day = first
    while day <= last:
        for due in c.due_on(day, start_date=start, birthday=birthday, skip=frozenset({"welcome"})):
            seen.setdefault((due.kind, due.key), []).append(day)
            assert c.celebration_day(due.occasion) == day
            assert (due.occasion.month, due.occasion.day) in c.month_days_for([day]) or due.occasion.month == 2
        day += dt.timedelta(days=1)
    assert len(seen[("birthday", f"birthday:{year}")]) == 1
    if year - start.year >= 1:
        assert len(seen[("anniversary", f"anniversary:{year}")]) == 1
    else:
        assert ("anniversary", f"anniversary:{year}") not in seen


@given(day=dates, start=dates, birthday=st.tuples(st.integers(1, 12), st.integers(1, 29)))
def test_the_database_prefilter_never_misses_a_yearly_celebration(day, start, birthday):
    pairs = c.month_days_for([day])
    for due in c.due_on(day, start_date=start, birthday=birthday):
        if due.kind == "anniversary":
            assert (start.month, start.day) in pairs
        if due.kind == "birthday":
            assert birthday in pairs


def test_valid_birthdays():
    assert c.valid_birthday(2, 29)
    assert not c.valid_birthday(2, 30)
    assert not c.valid_birthday(4, 31)
    assert not c.valid_birthday(13, 1)
