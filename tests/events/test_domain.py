"""The pure rules: recurrence in local wall time, the waitlist, reminders, check-in codes, feedback thresholds."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.events.domain import checkin, feedback, recurrence, times, waitlist
from courtyard.events.domain.recurrence import Rule

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo", "UTC",
         "Asia/Kolkata", "Pacific/Chatham"]


# --- Recurrence ---------------------------------------------------------------------------------


def test_weekly_series_across_dst_keeps_local_time():
    """Berlin moves to summer time on 31 March 2030: 18:00 stays 18:00, the UTC hour moves."""
    slots = recurrence.expand(dt.datetime(2030, 3, 22, 18, 0), dt.datetime(2030, 3, 22, 20, 0), "Europe/Berlin",
                              Rule("weekly", count=3), through=dt.date(2030, 12, 31))
    assert [s.start.astimezone(BERLIN).strftime("%d %H:%M %Z") for s in slots] == [
        "22 18:00 CET", "29 18:00 CET", "05 18:00 CEST"]
    assert [s.start.hour for s in slots] == [17, 17, 16]
    assert all(s.end - s.start == dt.timedelta(hours=2) for s in slots)


def test_an_event_spanning_the_dst_change_is_an_hour_shorter_in_real_time():
    """Saturday 22:00 to Sunday 06:00 across the spring change: eight wall-clock hours, seven real ones."""
    [slot] = recurrence.expand(dt.datetime(2030, 3, 30, 22, 0), dt.datetime(2030, 3, 31, 6, 0), "Europe/Berlin",
                               Rule(), through=dt.date(2030, 12, 31))
    assert slot.end - slot.start == dt.timedelta(hours=7)
    assert slot.end.astimezone(BERLIN).strftime("%H:%M %Z") == "06:00 CEST"


def test_times_in_the_gap_move_forward_and_repeated_times_take_the_first():
    gap = recurrence.to_utc(dt.datetime(2030, 3, 31, 2, 30), BERLIN)
    assert gap.astimezone(BERLIN).strftime("%H:%M") == "03:30"
    repeated = recurrence.to_utc(dt.datetime(2030, 10, 27, 2, 30), BERLIN)
    assert repeated == dt.datetime(2030, 10, 27, 0, 30, tzinfo=dt.UTC)  # summer time (+02:00), the first 02:30


def test_monthly_by_day_skips_short_months_and_by_weekday_finds_the_nth():
    days = recurrence.local_dates(dt.date(2030, 1, 31), Rule("monthly", count=4), through=dt.date(2031, 1, 1))
    assert days == [dt.date(2030, 1, 31), dt.date(2030, 3, 31), dt.date(2030, 5, 31), dt.date(2030, 7, 31)]
    second_tuesdays = recurrence.local_dates(dt.date(2030, 1, 8), Rule("monthly", monthly_by="weekday", count=3),
                                             through=dt.date(2031, 1, 1))
    assert second_tuesdays == [dt.date(2030, 1, 8), dt.date(2030, 2, 12), dt.date(2030, 3, 12)]
    last_fridays = recurrence.local_dates(dt.date(2030, 1, 31), Rule("monthly", monthly_by="weekday", count=3),
                                          through=dt.date(2031, 1, 1))
    assert last_fridays == [dt.date(2030, 1, 31), dt.date(2030, 2, 28), dt.date(2030, 3, 28)]


def test_until_count_and_interval():
    assert len(recurrence.local_dates(dt.date(2030, 1, 1), Rule("weekly", interval=2, until=dt.date(2030, 2, 26)),
                                      through=dt.date(2031, 1, 1))) == 5
    assert recurrence.local_dates(dt.date(2030, 1, 1), Rule(), through=dt.date(2029, 1, 1)) == []
    assert recurrence.describe(Rule("weekly", interval=2, count=3), dt.date(2030, 1, 1)) == "Every 2 weeks on Tuesday, 3 times"
    with pytest.raises(ValueError, match="interval"):
        recurrence.local_dates(dt.date(2030, 1, 1), Rule("weekly", interval=0), through=dt.date(2031, 1, 1))
    with pytest.raises(ValueError, match="unknown time zone"):
        recurrence.zone("Nowhere/Special")


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    first=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2034, 12, 31)),
    hour=st.integers(0, 23), minute=st.sampled_from([0, 15, 30, 45]), length=st.integers(15, 600),
    frequency=st.sampled_from(["weekly", "monthly"]), interval=st.integers(1, 4),
    monthly_by=st.sampled_from(["day", "weekday"]), count=st.integers(1, 40),
)
def test_series_keep_their_wall_clock_time_in_every_zone(zone, first, hour, minute, length, frequency, interval,
                                                         monthly_by, count):
    tz = zoneinfo.ZoneInfo(zone)
    start = dt.datetime.combine(first, dt.time(hour, minute))
    rule = Rule(frequency, interval, monthly_by, count=count)
    slots = recurrence.expand(start, start + dt.timedelta(minutes=length), zone, rule, through=dt.date(2040, 1, 1))
    assert 1 <= len(slots) <= count
    assert slots[0].local_start == start
    for a, b in itertools.pairwise(slots):
        assert a.start < b.start  # strictly in order
    for slot in slots:
        assert slot.local_start.time() == start.time()  # the same local time on every date...
        assert slot.local_end - slot.local_start == dt.timedelta(minutes=length)
        local = slot.start.astimezone(tz).replace(tzinfo=None)
        # ...and that is what the UTC instant reads in the zone, unless the time did not exist that day (a DST gap)
        assert local == slot.local_start or recurrence.to_utc(local, tz) == slot.start
        if frequency == "weekly" and slot.position:
            assert (slot.local_start.date() - first).days % (7 * interval) == 0
    assert [s.position for s in slots] == list(range(len(slots)))
    assert slots == recurrence.expand(start, start + dt.timedelta(minutes=length), zone, rule, through=dt.date(2040, 1, 1))


# --- The waitlist -------------------------------------------------------------------------------


def test_place_goes_while_seats_last_then_queues():
    assert waitlist.place(wanted="going", capacity=2, taken=1, old_status=None, old_party=0, party=1,
                          someone_waiting=False).status == "going"
    full = waitlist.place(wanted="going", capacity=2, taken=2, old_status=None, old_party=0, party=1,
                          someone_waiting=False)
    assert (full.status, full.reason, full.seats_taken) == ("waitlisted", "full", 2)
    behind = waitlist.place(wanted="going", capacity=5, taken=1, old_status=None, old_party=0, party=1,
                            someone_waiting=True)
    assert (behind.status, behind.reason) == ("waitlisted", "queue")  # nobody overtakes the line
    unlimited = waitlist.place(wanted="going", capacity=None, taken=10**6, old_status=None, old_party=0, party=3,
                               someone_waiting=True)
    assert (unlimited.status, unlimited.seats_taken) == ("going", 10**6 + 3)
    leaving = waitlist.place(wanted="maybe", capacity=2, taken=2, old_status="going", old_party=2, party=1,
                             someone_waiting=True)
    assert (leaving.status, leaving.seats_taken) == ("maybe", 0)


def test_promotions_are_first_come_first_served_and_the_head_blocks():
    line = [waitlist.Waiting(1, 2, 10), waitlist.Waiting(2, 1, 11), waitlist.Waiting(3, 1, 12)]
    assert waitlist.promotions(3, 2, line) == []  # one seat: the first party needs two, so everyone waits
    assert waitlist.promotions(3, 1, line) == [1]
    assert waitlist.promotions(5, 1, list(reversed(line))) == [1, 2, 3]
    assert waitlist.promotions(None, 0, line) == [1, 2, 3]
    assert waitlist.waitlist_place(12, [10, 11, 12]) == 3


@settings(max_examples=300, deadline=None)
@given(capacity=st.one_of(st.none(), st.integers(1, 30)),
       actions=st.lists(st.tuples(st.integers(0, 14), st.sampled_from(["going", "maybe", "not_going"]),
                                  st.integers(0, 3)), max_size=80))
def test_simulated_answers_never_exceed_capacity_and_serve_the_line_in_order(capacity, actions):
    """A model of the service: any sequence of answers keeps seats <= capacity, the waitlist ordered, and
    never leaves a seat free while the head of the line would fit."""
    state: dict[int, tuple[str, int, int]] = {}  # person -> (status, party, position)
    taken, seq = 0, 0
    for person, wanted, guests in actions:
        status, party, position = state.get(person, (None, 0, 0))
        waiting = [p for p, (s, _pa, _po) in state.items() if s == "waitlisted" and p != person]
        placement = waitlist.place(wanted=wanted, capacity=capacity, taken=taken, old_status=status, old_party=party,
                                   party=1 + guests, someone_waiting=bool(waiting))
        if placement.reason == "guests_do_not_fit":
            continue
        if placement.status == "waitlisted" and status != "waitlisted":
            seq += 1
            position = seq
        state[person] = (placement.status, 1 + guests, position)
        taken = placement.seats_taken
        line = sorted((po, p) for p, (s, _pa, po) in state.items() if s == "waitlisted")
        for promoted in waitlist.promotions(capacity, taken, [waitlist.Waiting(p, state[p][1], po) for po, p in line]):
            _s, pa, _po = state[promoted]
            state[promoted] = ("going", pa, 0)
            taken += pa
        assert taken == sum(pa for s, pa, _po in state.values() if s == "going")
        assert capacity is None or taken <= capacity
        head = min(((po, p) for p, (s, _pa, po) in state.items() if s == "waitlisted"), default=None)
        if head is not None:
            assert capacity is not None
            assert state[head[1]][1] > capacity - taken


# --- Reminders and calendars ------------------------------------------------------------------


def test_day_reminder_is_at_nine_the_day_before_in_each_members_zone():
    start = dt.datetime(2030, 3, 12, 7, 0, tzinfo=dt.UTC)  # 08:00 Berlin, 03:00 New York, 16:00 Tokyo (Tuesday)
    assert times.day_reminder_due(start, BERLIN) == dt.datetime(2030, 3, 11, 8, 0, tzinfo=dt.UTC)  # Mon 09:00 CET
    assert times.day_reminder_due(start, NEW_YORK) == dt.datetime(2030, 3, 11, 13, 0, tzinfo=dt.UTC)  # Mon 09:00 EDT
    assert times.day_reminder_due(start, TOKYO) == dt.datetime(2030, 3, 11, 0, 0, tzinfo=dt.UTC)  # Mon 09:00 JST
    assert times.hour_reminder_due(start) == dt.datetime(2030, 3, 12, 6, 0, tzinfo=dt.UTC)


def test_reminders_due_send_each_once_and_skip_late_ones():
    start = dt.datetime(2030, 3, 12, 17, 0, tzinfo=dt.UTC)
    early = dt.datetime(2030, 3, 1, tzinfo=dt.UTC)
    kinds = lambda now, **kw: [r.kind for r in times.reminders_due(  # noqa: E731
        start=start, member_tz=BERLIN, now=now, day_sent=kw.get("day", False), hour_sent=kw.get("hour", False),
        answered_at=kw.get("answered", early))]
    assert kinds(dt.datetime(2030, 3, 11, 7, 59, tzinfo=dt.UTC)) == []
    assert kinds(dt.datetime(2030, 3, 11, 8, 0, tzinfo=dt.UTC)) == ["day"]
    assert kinds(dt.datetime(2030, 3, 11, 8, 5, tzinfo=dt.UTC), day=True) == []
    assert kinds(dt.datetime(2030, 3, 12, 16, 0, tzinfo=dt.UTC), day=True) == ["hour"]
    assert kinds(dt.datetime(2030, 3, 12, 16, 0, tzinfo=dt.UTC)) == ["hour"]  # a missed day one is not sent late
    assert kinds(dt.datetime(2030, 3, 12, 16, 30, tzinfo=dt.UTC), answered=dt.datetime(2030, 3, 12, 16, 20,
                                                                                         tzinfo=dt.UTC)) == []
    assert kinds(dt.datetime(2030, 3, 12, 17, 0, tzinfo=dt.UTC)) == []


def test_week_and_month_bounds_follow_the_zone():
    start, end = times.week_bounds(dt.date(2030, 3, 6), TOKYO)
    assert (start, end) == (dt.datetime(2030, 3, 3, 15, 0, tzinfo=dt.UTC), dt.datetime(2030, 3, 10, 15, 0, tzinfo=dt.UTC))
    weeks = times.month_weeks(2030, 3)
    assert weeks[0][0] == dt.date(2030, 2, 25)
    assert weeks[-1][-1] == dt.date(2030, 3, 31)
    assert times.local_span(dt.datetime(2030, 3, 8, 22, tzinfo=dt.UTC), dt.datetime(2030, 3, 9, 0, tzinfo=dt.UTC),
                            dt.UTC) == (dt.date(2030, 3, 8), dt.date(2030, 3, 8))


# --- Check-in codes and feedback ------------------------------------------------------------------


def test_codes_are_readable_and_compared_forgivingly():
    code = checkin.new_code(random.Random(4))
    assert len(code) == 6
    assert set(code) <= set(checkin.ALPHABET)
    assert checkin.matches(f" {code.lower()[:3]}-{code[3:]} ", code)
    assert not checkin.matches("", code)
    assert not checkin.matches(code, "")
    start = dt.datetime(2030, 1, 1, 18, tzinfo=dt.UTC)
    assert not checkin.self_checkin_open(start, start + dt.timedelta(hours=2), start - dt.timedelta(hours=2))
    assert checkin.self_checkin_open(start, start + dt.timedelta(hours=2), start - dt.timedelta(minutes=30))


def test_anonymous_feedback_is_withheld_below_the_minimum_and_comments_separately():
    few = feedback.summarize([5, 4, 3, 5], ["great"] * 4, anonymous=True)
    assert few.withheld
    assert few.average is None
    assert few.distribution == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}
    enough = feedback.summarize([5, 4, 3, 5, 1], ["b", "", "a", " ", "c"], anonymous=True)
    assert (enough.withheld, enough.average, enough.comments_withheld) == (False, 3.6, True)
    assert enough.comments == []
    named = feedback.summarize([2], ["ok"], anonymous=False)
    assert not named.withheld
    assert named.comments == ["ok"]
    assert feedback.summarize([], [], anonymous=True).withheld is False
    # While feedback is still taken, nothing of anonymous answers is shown, whatever their number.
    taking = feedback.summarize([5, 4, 3, 5, 1, 2], ["b", "a", "c", "d", "e", "f"], anonymous=True, collecting=True)
    assert (taking.released, taking.withheld, taking.average, taking.comments_withheld, taking.comments) == (
        False, True, None, True, [])
    assert feedback.summarize([2], ["ok"], anonymous=False, collecting=True).comments == ["ok"]
    end = dt.datetime(2030, 3, 1, 20, tzinfo=dt.UTC)
    assert feedback.collecting(end, end + dt.timedelta(days=30))
    assert not feedback.collecting(end, end + dt.timedelta(days=30, seconds=1))
    assert not feedback.valid_rating(True)
    assert not feedback.valid_rating(6)
    assert feedback.valid_rating(1)
