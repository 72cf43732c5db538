"""The pure rules of email: quiet hours in three time zones and across daylight-saving changes, SMTP answers,
retry delays and threading. No database."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.mail.domain import delivery, quiet
from courtyard.mail.domain.items import SUBJECT_LENGTH, headline

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
T = dt.time


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("zone", "now", "expected"),
    [
        # 22:00-07:00 quiet hours, at 23:30 local: sent at 07:00 local the next morning.
        (BERLIN, utc(2026, 6, 10, 21, 30), utc(2026, 6, 11, 5, 0)),  # CEST, UTC+2
        (NEW_YORK, utc(2026, 6, 11, 3, 30), utc(2026, 6, 11, 11, 0)),  # EDT, UTC-4
        (TOKYO, utc(2026, 6, 10, 14, 30), utc(2026, 6, 10, 22, 0)),  # JST, UTC+9, no DST
        # At 03:00 local, after midnight: the same morning.
        (BERLIN, utc(2026, 1, 10, 2, 0), utc(2026, 1, 10, 6, 0)),  # CET, UTC+1
        (NEW_YORK, utc(2026, 1, 10, 8, 0), utc(2026, 1, 10, 12, 0)),  # EST, UTC-5
        (TOKYO, utc(2026, 1, 9, 18, 0), utc(2026, 1, 9, 22, 0)),
    ],
)
def test_an_email_in_overnight_quiet_hours_waits_for_the_morning(zone, now, expected):
    assert quiet.send_at(now, zone, T(22, 0), T(7, 0)) == expected


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK, TOKYO])
def test_outside_quiet_hours_an_email_goes_now(zone):
    noon = dt.datetime(2026, 6, 10, 12, 0, tzinfo=zone)
    assert quiet.send_at(noon, zone, T(22, 0), T(7, 0)) == noon.astimezone(dt.UTC)
    assert quiet.send_at(noon, zone, None, None) == noon.astimezone(dt.UTC)
    assert quiet.send_at(noon, zone, T(9, 0), T(9, 0)) == noon.astimezone(dt.UTC)  # empty window


def test_daytime_quiet_hours_end_the_same_day():
    now = dt.datetime(2026, 6, 10, 13, 0, tzinfo=TOKYO)
    assert quiet.send_at(now, TOKYO, T(12, 0), T(14, 0)) == dt.datetime(2026, 6, 10, 14, 0, tzinfo=TOKYO)
    assert quiet.send_at(now, TOKYO, T(14, 0), T(16, 0)) == now.astimezone(dt.UTC)  # before they start


def test_the_night_clocks_go_forward_the_morning_is_one_hour_closer():
    # Europe/Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST. Quiet until 07:00 means 05:00 UTC.
    now = dt.datetime(2026, 3, 28, 23, 0, tzinfo=BERLIN)
    assert quiet.send_at(now, BERLIN, T(22, 0), T(7, 0)) == utc(2026, 3, 29, 5, 0)
    # New York, 8 March 2026: 07:00 EDT is 11:00 UTC (it was 12:00 UTC the day before).
    before = dt.datetime(2026, 3, 7, 23, 0, tzinfo=NEW_YORK)
    assert quiet.send_at(before, NEW_YORK, T(22, 0), T(7, 0)) == utc(2026, 3, 8, 11, 0)


def test_the_night_clocks_go_back_the_morning_is_one_hour_further():
    # Europe/Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET. 07:00 CET is 06:00 UTC.
    now = dt.datetime(2026, 10, 24, 23, 0, tzinfo=BERLIN)
    assert quiet.send_at(now, BERLIN, T(22, 0), T(7, 0)) == utc(2026, 10, 25, 6, 0)


def test_an_end_the_clocks_skip_is_the_first_moment_after_the_gap():
    # Quiet until 02:30 on the night 02:00-03:00 does not exist in Berlin: sent at 03:00 CEST (01:00 UTC).
    now = dt.datetime(2026, 3, 29, 1, 0, tzinfo=BERLIN)
    assert quiet.send_at(now, BERLIN, T(0, 0), T(2, 30)) == utc(2026, 3, 29, 1, 0)


def test_an_end_that_happens_twice_is_its_first_occurrence():
    # 25 October 2026 in Berlin, 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    now = dt.datetime(2026, 10, 25, 1, 0, tzinfo=BERLIN)
    assert quiet.send_at(now, BERLIN, T(0, 0), T(2, 30)) == utc(2026, 10, 25, 0, 30)


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        quiet.send_at(dt.datetime(2026, 1, 1, 12, 0), BERLIN, T(22, 0), T(7, 0))


ZONES = st.sampled_from(
    [BERLIN, NEW_YORK, TOKYO, zoneinfo.ZoneInfo("Australia/Lord_Howe"), zoneinfo.ZoneInfo("America/Santiago")]
)
MOMENTS = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2028, 12, 31)).map(
    lambda naive: naive.replace(tzinfo=dt.UTC)
)
TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@settings(max_examples=400, deadline=None)
@given(now=MOMENTS, zone=ZONES, start=TIMES, end=TIMES)
def test_the_send_time_is_never_early_never_far_and_never_inside_quiet_hours(now, zone, start, end):
    at = quiet.send_at(now, zone, start, end)
    assert at >= now
    assert at - now <= dt.timedelta(hours=25)  # a day at most, plus a daylight-saving hour
    local = at.astimezone(zone).time().replace(tzinfo=None)
    assert not quiet.in_quiet_hours(local, start, end) or at.astimezone(zone).replace(tzinfo=None).time() == end
    if not quiet.in_quiet_hours(now.astimezone(zone).time(), start, end):
        assert at == now


@pytest.mark.parametrize(("code", "kind"), [(550, "permanent"), (553, "permanent"), (451, "temporary"),
                                            (421, "temporary"), (None, "temporary"), (250, "temporary")])
def test_smtp_answers_are_temporary_or_permanent(code, kind):
    assert delivery.classify_smtp_code(code) == kind


def test_retries_wait_longer_each_time_up_to_an_hour():
    assert [delivery.retry_delay(n) for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    with pytest.raises(ValueError, match="attempts"):
        delivery.retry_delay(0)


def test_emails_about_one_target_share_a_root_and_mixed_ones_do_not():
    assert delivery.thread_root_id("thread", 42, "example.org") == "<thread.42@example.org>"
    assert delivery.thread_root_id("a b<>", 1, "example.org") == "<ab.1@example.org>"
    assert delivery.common_target([("thread", 4), ("thread", 4)]) == ("thread", 4)
    assert delivery.common_target([("thread", 4), ("thread", 5)]) is None
    assert delivery.common_target([("badge", None)]) is None
    assert delivery.common_target([]) is None


# --- subject lines ---------------------------------------------------------------------------


@pytest.mark.parametrize(("notice", "subject"), [
    ("Meet Emily Taylor, your buddy (works in the same place; shares working hours). Start with a coffee this week.",
     "Meet Emily Taylor, your buddy"),
    ("Ana Ribeiro (Account Management) thanked you: great demo!", "Ana Ribeiro thanked you: great demo!"),
    ("Ok. Then more words follow here.", "Ok. Then more words follow here."),  # a first sentence too short to stand alone
    ("Line one\nline two", "Line one line two"),
])
def test_a_subject_is_the_notice_s_first_sentence_without_bracketed_details(notice, subject):
    assert headline(notice) == subject


@given(st.text(max_size=400))
def test_a_subject_is_one_line_and_never_too_long(notice):
    subject = headline(notice)
    assert "\n" not in subject
    assert "\r" not in subject
    assert len(subject) <= SUBJECT_LENGTH
    assert bool(subject) == bool(notice.split())
