"""When rounds happen (every zone, every cadence, across DST changes), seniority from titles, starters,
pulse phases and the permission rules, as pure functions."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import zoneinfo

from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.pairing.domain import policy, schedule

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham",
         "America/Sao_Paulo"]


@settings(max_examples=300, deadline=None)
@given(
    cadence=st.sampled_from(["weekly", "biweekly", "monthly"]),
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    tz=st.sampled_from(ZONES),
    starts=st.one_of(st.none(), st.dates(dt.date(2024, 1, 1), dt.date(2027, 1, 1))),
    after=st.datetimes(dt.datetime(2024, 1, 1), dt.datetime(2027, 12, 31), timezones=st.just(dt.UTC)),
)
def test_the_next_round_is_the_first_round_date_after_now(cadence, weekday, hour, minute, tz, starts, after):
    day, moment = schedule.next_round(cadence=cadence, weekday=weekday, local_time=dt.time(hour, minute), tz_name=tz,
                                      starts_on=starts, after=after)
    assert moment > after
    assert day.weekday() == weekday
    assert schedule.is_round_date(day, cadence=cadence, weekday=weekday, starts_on=starts)
    if starts is not None:
        assert day >= starts
    if cadence == "monthly":
        assert day.day <= 7
    # Its local date is the round's date, and it is at the chosen time (or an hour later in a DST gap).
    local = moment.astimezone(zoneinfo.ZoneInfo(tz))
    assert local.date() == day or (local - dt.timedelta(hours=1)).date() == day
    assert (local.hour, local.minute) in {(hour, minute), ((hour + 1) % 24, minute)}
    # No round date is skipped between now and then.
    previous = day - dt.timedelta(days=1)
    while previous >= after.astimezone(zoneinfo.ZoneInfo(tz)).date():
        if schedule.is_round_date(previous, cadence=cadence, weekday=weekday, starts_on=starts):
            assert schedule.round_moment(previous, dt.time(hour, minute), tz) <= after
        previous -= dt.timedelta(days=1)


def test_biweekly_rounds_are_fourteen_days_apart():
    start = dt.date(2025, 3, 5)
    days = [d for d in (start + dt.timedelta(days=i) for i in range(70))
            if schedule.is_round_date(d, cadence="biweekly", weekday=2, starts_on=start)]
    assert [(b - a).days for a, b in itertools.pairwise(days)] == [14] * (len(days) - 1)
    assert days[0] == start


def test_a_round_in_a_dst_gap_happens_an_hour_later():
    # Berlin skips 02:00-03:00 on 30 March 2025.
    moment = schedule.round_moment(dt.date(2025, 3, 30), dt.time(2, 30), "Europe/Berlin")
    assert moment.astimezone(zoneinfo.ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "03:30"


def test_unknown_zones_fall_back_to_utc():
    assert schedule.zone("Mars/Olympus") is dt.UTC
    assert schedule.utc_offset_minutes("Asia/Kolkata", dt.datetime(2025, 1, 1, tzinfo=dt.UTC)) == 330


def test_seniority_from_titles():
    assert schedule.seniority_from_title("Software Engineer") == 2
    assert schedule.seniority_from_title("Senior Software Engineer") == 3
    assert schedule.seniority_from_title("Engineering Manager") == 5
    assert schedule.seniority_from_title("VP of Sales") == 6
    assert schedule.seniority_from_title("Marketing Intern") == 0
    assert schedule.seniority_from_title("") == 2


def test_conversation_starters_use_a_shared_interest():
    rng = random.Random(1)
    assert "Climbing" in schedule.conversation_starter(["Climbing"], rng)
    assert schedule.conversation_starter([], rng)
    assert schedule.parse_languages("English, Spanish; français") == {"english", "spanish", "français"}


def test_pulse_phases():
    start, end = dt.date(2025, 1, 1), dt.date(2025, 7, 1)
    opened = lambda today, **kw: schedule.pulse_phases_open(today=today, starts_on=start, ends_on=end, **kw)  # noqa: E731
    assert opened(dt.date(2025, 2, 1), published=True, closed=False) == ()
    assert opened(dt.date(2025, 4, 2), published=True, closed=False) == ("midpoint",)
    assert opened(dt.date(2025, 6, 25), published=True, closed=False) == ("midpoint", "final")
    assert opened(dt.date(2025, 4, 2), published=False, closed=False) == ()
    assert schedule.pulse_phases_open(today=start, starts_on=None, ends_on=None, published=True, closed=True) == (
        "midpoint", "final")


def standing(**kw):
    base = {"kind": "coffee", "status": "open"}
    return policy.Standing(**{**base, **kw})


def test_policy_rules_one_branch_at_a_time():
    assert policy.can_see(standing())
    assert not policy.can_see(standing(can_see_group=False))
    assert policy.can_see(standing(can_see_group=False, is_admin=True))
    assert not policy.can_manage(standing())
    assert policy.can_manage(standing(is_owner=True))
    assert not policy.can_manage(standing(is_owner=True, can_see_group=False))
    assert policy.can_join(standing())
    assert not policy.can_join(standing(in_group=False))
    assert not policy.can_join(standing(status="closed"))
    assert not policy.can_join(standing(kind="teams", status="review"))
    assert policy.can_join(standing(kind="teams", status="open"))
    assert not policy.can_leave(standing())
    assert policy.can_leave(standing(role="coffee"))
    assert not policy.can_leave(standing(kind="teams", role="pool", matched=True))
    assert policy.can_run(standing(is_admin=True, status="paused"))
    assert not policy.can_run(standing(is_admin=True, status="closed"))
    assert policy.can_run(standing(kind="mentorship", is_admin=True, status="published"))
    assert not policy.can_run(standing(kind="teams", is_admin=True, status="published"))
    assert policy.can_review(standing(kind="teams", is_owner=True, status="review"))
    assert not policy.can_review(standing(kind="coffee", is_owner=True, status="review"))
    assert not policy.can_review(standing(kind="mentorship", is_owner=True, status="published"))
    assert policy.can_see_results(standing(is_admin=True))
