"""The celebrations job on the database: members' own time zones, 29 February, weekends, opt-outs, idempotency,
milestones from the pairing capability, and what the page shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from courtyard.core.activity import participation_record
from courtyard.notifications.models import Notification
from courtyard.people.models import Profile
from courtyard.recognition import services, tasks
from courtyard.recognition.models import Celebration
from tests.conftest import signed_in_client
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def person(name: str, *, start: dt.date, tz: str = "Europe/Berlin", **extra):
    return make_profile(email=f"{name.lower()}@example.com", full_name=name, start_date=start, timezone=tz, **extra)


def run(at: dt.datetime) -> int:
    return services.celebrations_generate(now=at)


def kinds_of(profile) -> list[tuple[str, str, dt.date]]:
    return list(Celebration.objects.filter(profile=profile).order_by("kind", "key").values_list("kind", "key", "celebrated_on"))


def test_anniversary_on_29_february_in_a_common_year(db):
    leap = person("Lea", start=dt.date(2020, 2, 29))
    run(dt.datetime(2025, 2, 27, 12, tzinfo=dt.UTC))
    assert kinds_of(leap) == []
    run(dt.datetime(2025, 2, 28, 12, tzinfo=dt.UTC))  # a Friday
    assert kinds_of(leap) == [("anniversary", "anniversary:2025", dt.date(2025, 2, 28))]
    assert Celebration.objects.get(profile=leap).years == 5


def test_weekend_dates_are_celebrated_on_the_friday_before(db):
    saturday = person("Sat", start=dt.date(2019, 6, 14))
    sunday = person("Sun", start=dt.date(2019, 6, 15))
    run(dt.datetime(2025, 6, 13, 9, tzinfo=dt.UTC))  # Friday
    assert kinds_of(saturday) == [("anniversary", "anniversary:2025", dt.date(2025, 6, 13))]
    assert kinds_of(sunday) == [("anniversary", "anniversary:2025", dt.date(2025, 6, 13))]
    assert Celebration.objects.get(profile=sunday).occasion == dt.date(2025, 6, 15)
    run(dt.datetime(2025, 6, 15, 9, tzinfo=dt.UTC))  # Sunday itself: nothing more
    assert Celebration.objects.count() == 2


def test_members_on_both_sides_of_the_date_line(db):
    """At 10:30 UTC on Friday 14 March 2025 it is Saturday in Kiritimati and Thursday in Pago Pago."""
    east_today = person("East", start=dt.date(2020, 3, 15), tz="Pacific/Kiritimati")  # Saturday: on Friday 14th
    east_friday = person("Eastfri", start=dt.date(2020, 3, 14), tz="Pacific/Kiritimati")  # their Friday has passed
    west_thursday = person("West", start=dt.date(2020, 3, 13), tz="Pacific/Pago_Pago")  # their Thursday is today
    west_friday = person("Westfri", start=dt.date(2020, 3, 14), tz="Pacific/Pago_Pago")  # their Friday: tomorrow
    berlin = person("Mid", start=dt.date(2020, 3, 14), tz="Europe/Berlin")
    at = dt.datetime(2025, 3, 14, 10, 30, tzinfo=dt.UTC)
    run(at)
    assert kinds_of(east_today) == []  # it is Saturday there: Saturday's anniversary was celebrated yesterday (their Friday)
    assert kinds_of(east_friday) == []
    assert kinds_of(west_thursday) == [("anniversary", "anniversary:2025", dt.date(2025, 3, 13))]
    assert kinds_of(west_friday) == []
    assert kinds_of(berlin) == [("anniversary", "anniversary:2025", dt.date(2025, 3, 14))]
    # 12 hours earlier (22:30 UTC on Thursday) it was already Friday in Kiritimati.
    run(at - dt.timedelta(hours=12))
    assert {k for k, _key, _day in kinds_of(east_today)} == {"anniversary"}
    assert kinds_of(east_friday) == [("anniversary", "anniversary:2025", dt.date(2025, 3, 14))]
    # 13 hours later it is Friday in Pago Pago.
    run(at + dt.timedelta(hours=13))
    assert kinds_of(west_friday) == [("anniversary", "anniversary:2025", dt.date(2025, 3, 14))]


def test_birthdays_are_opt_in_and_never_store_a_year(db):
    shy = person("Shy", start=dt.date(2024, 1, 1))
    open_ = person("Open", start=dt.date(2024, 1, 1))
    services.celebration_preferences_set(actor=open_.user, birthday=(7, 10))
    run(dt.datetime(2025, 7, 10, 12, tzinfo=dt.UTC))  # a Thursday
    assert kinds_of(shy) == []
    assert kinds_of(open_) == [("birthday", "birthday:2025", dt.date(2025, 7, 10))]
    fields = {f.name for f in Profile._meta.get_fields()} | {f.name for f in Celebration._meta.get_fields()}
    assert not {"birth_year", "birthdate", "date_of_birth"} & fields


def test_opt_outs_are_honoured(db):
    quiet = person("Quiet", start=dt.date(2020, 9, 3))
    services.celebration_preferences_set(actor=quiet.user, birthday=(9, 3), skip=["anniversary"])
    run(dt.datetime(2025, 9, 3, 12, tzinfo=dt.UTC))
    assert [k for k, _key, _day in kinds_of(quiet)] == ["birthday"]
    # Opting out of birthdays = removing it; what was shown disappears from the page at once.
    services.celebration_preferences_set(actor=quiet.user, birthday=None, skip=["anniversary"])
    from courtyard.recognition.selectors import celebrations_recent

    assert quiet.pk not in {c.profile_id for c in celebrations_recent(days=100000)}


def test_deactivated_members_are_not_celebrated(db):
    from courtyard.people import services as people_services

    admin = make_profile(email="root@example.com", full_name="Root", is_admin=True)
    gone = person("Gone", start=dt.date(2020, 5, 5))
    people_services.member_set_active(actor=admin.user, profile=gone, active=False)
    run(dt.datetime(2025, 5, 5, 12, tzinfo=dt.UTC))
    assert kinds_of(gone) == []


def test_newcomers_are_welcomed_in_their_first_week(db, monkeypatch):
    new = person("Nova", start=dt.date(2025, 3, 8))  # a Saturday
    run(dt.datetime(2025, 3, 8, 12, tzinfo=dt.UTC))
    assert kinds_of(new) == []
    run(dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC))
    assert kinds_of(new) == [("welcome", "welcome", dt.date(2025, 3, 10))]
    run(dt.datetime(2025, 3, 11, 12, tzinfo=dt.UTC))
    assert len(kinds_of(new)) == 1


def test_retries_are_idempotent_and_notify_once(db):
    people = [person(f"P{i}", start=dt.date(2015 + i, 4, 4)) for i in range(5)]
    at = dt.datetime(2025, 4, 4, 12, tzinfo=dt.UTC)  # a Friday
    assert run(at) == 5
    assert run(at) == 0
    assert run(at + dt.timedelta(hours=1)) == 0
    assert Celebration.objects.count() == 5
    assert Notification.objects.filter(kind="celebration").count() == 5
    assert {n.recipient_id for n in Notification.objects.filter(kind="celebration")} == {p.user_id for p in people}


def test_the_periodic_task_runs_the_job(db, monkeypatch):
    from courtyard.core import clock

    person("Tia", start=dt.date(2021, 8, 8))
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2025, 8, 8, 12, tzinfo=dt.UTC))
    tasks.celebrations_generate.call_local()
    tasks.celebrations_generate.call_local()
    assert Celebration.objects.count() == 1


def test_milestones_from_pairing_once_and_opt_out(db):
    mentor = person("Menna", start=dt.date(2020, 1, 1))
    shy = person("Shyla", start=dt.date(2020, 1, 1))
    services.celebration_preferences_set(actor=shy.user, birthday=None, skip=["milestone"])
    made = services.celebration_milestone_record(profile_id=mentor.pk, program_id=7, title="Completed a mentorship")
    assert made is not None
    assert made.kind == "milestone"
    assert services.celebration_milestone_record(profile_id=mentor.pk, program_id=7, title="Again") is None
    assert services.celebration_milestone_record(profile_id=shy.pk, program_id=7, title="x") is None
    participation_record(member_id=mentor.pk, verb="completed_mentorship", department_id=None, program_id=8,
                         object_type="mentor")
    assert services.milestones_from_activity(since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)) == 1
    assert services.milestones_from_activity(since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)) == 0
    assert Celebration.objects.filter(profile=mentor, kind="milestone").count() == 2


def test_celebrations_page_and_settings(db, client):
    member = person("Mara", start=dt.date(2020, 1, 1))
    other = person("Otto", start=dt.date(2019, 1, 1))
    Celebration.objects.create(profile=other, kind="anniversary", key="anniversary:2099", occasion=dt.date.today(),
                               celebrated_on=dt.date.today(), years=6, created_at=dt.datetime.now(dt.UTC))
    web = signed_in_client(member)
    page = web.get(reverse("recognition:celebrations")).content.decode()
    assert "Otto" in page
    assert "6 years" in page
    response = web.post(reverse("recognition:celebration_settings"),
                        {"birthday_day": "29", "birthday_month": "2", "anniversary": "on", "welcome": "on"})
    assert response.status_code == 302
    preference = member.celebration_preference
    preference.refresh_from_db()
    assert (preference.birthday_month, preference.birthday_day, preference.skip_milestone) == (2, 29, True)
    bad = web.post(reverse("recognition:celebration_settings"), {"birthday_day": "31", "birthday_month": "4"})
    assert bad.status_code == 400
    assert "does not exist" in bad.content.decode()
    half = web.post(reverse("recognition:celebration_settings"), {"birthday_day": "3"})
    assert half.status_code == 400
    preference.refresh_from_db()
    assert (preference.birthday_month, preference.birthday_day) == (2, 29)
