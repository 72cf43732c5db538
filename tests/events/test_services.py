"""Event services: creating, answering, the waitlist, changes, attendance, facts, feedback, calendar feeds."""

from __future__ import annotations

import datetime as dt

import pytest

from courtyard.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from courtyard.core.models import AuditEntry, Interaction, Participation
from courtyard.events import services
from courtyard.events.models import (
    CalendarFeed,
    EventHost,
    FeedbackAnswer,
    FeedbackGiven,
    Media,
    Occurrence,
    Question,
    Rsvp,
)
from courtyard.groups import services as group_services
from courtyard.search.models import SearchDocument
from tests.events.conftest import event_data, make_event
from tests.factories import make_profile
from tests.helpers import db_snapshot, image_upload

pytestmark = pytest.mark.django_db


def first(event) -> Occurrence:
    return Occurrence.objects.filter(event=event).order_by("start_at").first()


def answer(profile, occurrence, status="going", **kwargs) -> Rsvp:
    return services.rsvp_set(actor=profile.user, occurrence=Occurrence.objects.select_related("event", "event__group")
                             .get(pk=occurrence.pk), status=status, **kwargs)


def test_creating_an_event_makes_its_date_host_and_search_document(now, host, sent):
    event = make_event(host, description="Bring *snacks*", capacity=20, questions=[("Dietary needs?", True)])
    occurrence = first(event)
    assert occurrence.start_at == dt.datetime(2030, 3, 8, 17, 0, tzinfo=dt.UTC)  # 18:00 in Berlin (CET)
    assert occurrence.end_at == dt.datetime(2030, 3, 8, 19, 0, tzinfo=dt.UTC)
    assert (occurrence.start_date, occurrence.end_date, occurrence.capacity) == (dt.date(2030, 3, 8),) * 2 + (20,)
    assert len(occurrence.checkin_code) == 6
    assert list(EventHost.objects.filter(event=event).values_list("profile_id", flat=True)) == [host.pk]
    assert "<em>snacks</em>" in event.description_html
    assert Question.objects.get(event=event).required is True
    assert SearchDocument.objects.filter(object_type="event", object_id=event.pk).exists()
    assert AuditEntry.objects.filter(action="events.event.created").count() == 1
    assert sent == []


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"end_time": dt.time(17, 0)}, "end_before_start"),
        ({"end_date": dt.date(2030, 3, 7)}, "end_before_start"),
        ({"title": "  "}, "required"),
        ({"timezone": "Mars/Olympus"}, "bad_timezone"),
        ({"capacity": 0}, "bad_capacity"),
        ({"allow_guests": True, "max_guests": 11}, "bad_guests"),
        ({"meeting_url": "javascript:alert(1)", "format": "virtual"}, "bad_url"),
        ({"frequency": "weekly", "repeat_until": dt.date(2030, 1, 1)}, "until_before_start"),
        ({"frequency": "weekly", "interval": 60}, "bad_interval"),
        ({"visibility": "group"}, "group_required"),
        ({"start_time": None}, "times_required"),
        ({"end_date": dt.date(2030, 4, 8)}, "too_long"),
        ({"start_date": dt.date(1999, 1, 1)}, "bad_date"),
        ({"kind": "rave"}, "invalid_choice"),
    ],
)
def test_bad_events_are_refused_clearly_and_change_nothing(now, host, overrides, code):
    before = db_snapshot()
    with pytest.raises(ApplicationError) as refused:
        make_event(host, **overrides)
    assert refused.value.code == code
    assert refused.value.message
    assert db_snapshot() == before


def test_private_group_events_are_members_only_and_need_membership(now, host, private_group, guest_list):
    with pytest.raises(ApplicationError) as refused:
        make_event(host, group=private_group)
    assert refused.value.code == "private_group"
    event = make_event(host, group=private_group, visibility="group")
    assert not SearchDocument.objects.filter(object_type="event", object_id=event.pk).exists()
    outsider = guest_list[0]
    with pytest.raises(PermissionDenied):
        make_event(outsider, group=private_group, visibility="group")


def test_waitlist_in_arrival_order_with_guests_and_promotion(now, host, guest_list, sent):
    event = make_event(host, capacity=3, allow_guests=True, max_guests=2)
    occurrence = first(event)
    a, b, c, d, _e, _f = guest_list
    assert answer(a, occurrence, guests=1).status == "going"  # 2 seats
    # b needs 2 seats and 1 is left: told so (never "full"), and nothing changes until b chooses the waitlist
    with pytest.raises(Conflict) as too_big:
        answer(b, occurrence, guests=1)
    assert too_big.value.code == "party_does_not_fit"
    assert "Only 1 seat is left; your party needs 2." in too_big.value.message
    assert not Rsvp.objects.filter(occurrence=occurrence, profile=b).exists()
    assert answer(b, occurrence, guests=1, join_waitlist=True).status == "waitlisted"
    assert answer(c, occurrence).status == "waitlisted"  # would fit, but b was first: nobody overtakes
    assert answer(d, occurrence, status="maybe").status == "maybe"
    occurrence.refresh_from_db()
    assert (occurrence.seats_taken, occurrence.going_count, occurrence.waitlist_count, occurrence.maybe_count) == (2, 1, 2, 1)
    # a drops a guest: 2 seats free, b's party (2) fits and is promoted; c still waits (1 seat short)
    sent.clear()
    answer(a, occurrence, guests=0)
    statuses = dict(Rsvp.objects.filter(occurrence=occurrence).values_list("profile_id", "status"))
    assert statuses[b.pk] == "going"
    assert statuses[c.pk] == "waitlisted"
    assert [(s["recipient"], s["kind"]) for s in sent] == [(b.user, "event_waitlist_promoted")]
    occurrence.refresh_from_db()
    assert (occurrence.seats_taken, occurrence.going_count, occurrence.waitlist_count) == (3, 2, 1)
    # a cancels: c gets the seat
    services.rsvp_cancel(actor=a.user, occurrence=occurrence)
    assert Rsvp.objects.get(occurrence=occurrence, profile=c).status == "going"
    occurrence.refresh_from_db()
    assert (occurrence.seats_taken, occurrence.going_count, occurrence.waitlist_count) == (3, 2, 0)
    assert Participation.objects.filter(verb="rsvped", event_id=event.pk).count() == 3  # a, b, c once each


def test_more_guests_than_seats_keeps_the_seat_and_says_why(now, host, guest_list):
    event = make_event(host, capacity=3, allow_guests=True, max_guests=3)
    occurrence = first(event)
    answer(guest_list[0], occurrence, guests=1)
    answer(guest_list[1], occurrence)
    before = db_snapshot()
    with pytest.raises(Conflict) as refused:
        answer(guest_list[0], occurrence, guests=2)
    assert refused.value.code == "guests_do_not_fit"
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("setup", "kwargs", "code"),
    [
        ("guests", {"guests": -1}, "negative_guests"),
        ("no_guests", {"guests": 1}, "no_guests"),
        ("guests", {"guests": 3}, "too_many_guests"),
        ("deadline", {}, "deadline_passed"),
        ("cancelled", {}, "cancelled"),
        ("started", {}, "started"),
        ("questions", {"answers": {}}, "answer_required"),
        ("questions", {"answers": {"999": "x"}}, "unknown_question"),
        ("guests", {"status": "sure"}, "bad_status"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(now, host, guest_list, setup, kwargs, code):
    event = make_event(host, capacity=10, allow_guests=setup == "guests", max_guests=2, rsvp_closes_hours=24,
                       questions=[("T-shirt size?", True)] if setup == "questions" else [])
    occurrence = first(event)
    if setup == "deadline":
        now.set(occurrence.start_at - dt.timedelta(hours=23))
    elif setup == "started":
        now.set(occurrence.start_at + dt.timedelta(minutes=1))
    elif setup == "cancelled":
        services.occurrence_cancel(actor=host.user, occurrence=occurrence, reason="Rain")
    before = db_snapshot()
    with pytest.raises(ApplicationError) as refused:
        answer(guest_list[0], occurrence, **{"status": "going", **kwargs})
    assert refused.value.code == code
    assert db_snapshot() == before


def test_capacity_below_the_seats_taken_is_refused(now, host, guest_list):
    event = make_event(host, capacity=5)
    occurrence = first(event)
    for person in guest_list[:3]:
        answer(person, occurrence)
    before = db_snapshot()
    with pytest.raises(Conflict) as refused:
        services.event_update(actor=host.user, event=event, data=services.EventData(
            **{**services.event_data_from(event).__dict__, "capacity": 2}))
    assert refused.value.code == "capacity_below_going"
    assert db_snapshot() == before


def test_raising_capacity_promotes_the_waitlist(now, host, guest_list, sent):
    event = make_event(host, capacity=1)
    occurrence = first(event)
    for person in guest_list[:3]:
        answer(person, occurrence)
    data = services.event_data_from(event)
    data.capacity = 2
    services.event_update(actor=host.user, event=event, data=data)
    statuses = list(Rsvp.objects.filter(occurrence=occurrence).order_by("profile__full_name").values_list("status", flat=True))
    assert statuses == ["going", "going", "waitlisted"]
    data.capacity = None
    services.event_update(actor=host.user, event=event, data=data)
    assert set(Rsvp.objects.filter(occurrence=occurrence).values_list("status", flat=True)) == {"going"}


def test_only_hosts_group_organizers_and_admins_manage(now, host, guest_list, open_group):
    member = guest_list[0]
    group_services.membership_join(actor=member.user, group=open_group)
    event = make_event(member, group=open_group)
    admin = make_profile(email="root@example.com", is_admin=True)
    outsider = guest_list[1]
    data = services.event_data_from(event)
    data.title = "Renamed"
    with pytest.raises(PermissionDenied):
        services.event_update(actor=outsider.user, event=event, data=data)
    services.event_update(actor=host.user, event=event, data=data)  # organizer of the group
    data.title = "Renamed again"
    services.event_update(actor=admin.user, event=event, data=data)
    event.refresh_from_db()
    assert event.title == "Renamed again"


def test_series_change_moves_future_dates_and_tells_who_answered(now, host, guest_list, sent):
    event = make_event(host, frequency="weekly", repeat_count=4)
    dates = list(Occurrence.objects.filter(event=event).order_by("start_at"))
    assert len(dates) == 4
    answer(guest_list[0], dates[1])
    answer(guest_list[1], dates[2], status="not_going")
    sequences = {o.pk: o.sequence for o in dates}
    data = services.event_data_from(event)
    data.start_time, data.end_time = dt.time(19, 0), dt.time(21, 0)
    sent.clear()
    services.event_update(actor=host.user, event=event, data=data)
    moved = list(Occurrence.objects.filter(event=event).order_by("start_at"))
    assert [o.start_at.hour for o in moved] == [18, 18, 18, 18]  # 19:00 Berlin, winter time
    assert all(o.sequence > sequences[o.pk] for o in moved)
    # guest_list[1] said not going: a new time is no news for them
    assert {s["recipient"] for s in sent} == {guest_list[0].user}
    assert {s["kind"] for s in sent} == {"event_changed"}


def test_one_date_changed_or_cancelled_on_its_own(now, host, guest_list, sent):
    event = make_event(host, frequency="weekly", repeat_count=3)
    dates = list(Occurrence.objects.filter(event=event).order_by("start_at"))
    answer(guest_list[0], dates[1])
    sent.clear()
    services.occurrence_update(actor=host.user, occurrence=dates[1], start=dt.datetime(2030, 3, 15, 12, 0),
                               end=dt.datetime(2030, 3, 15, 13, 0), place="Park", note="Picnic instead")
    dates[1].refresh_from_db()
    assert (dates[1].start_at, dates[1].place_override, dates[1].detached) == (
        dt.datetime(2030, 3, 15, 11, 0, tzinfo=dt.UTC), "Park", True)
    assert [s["kind"] for s in sent] == ["event_changed"]
    # A later change of the series leaves the detached date alone.
    data = services.event_data_from(event)
    data.start_time, data.end_time = dt.time(17, 0), dt.time(18, 0)
    services.event_update(actor=host.user, event=event, data=data)
    dates[1].refresh_from_db()
    assert dates[1].start_at == dt.datetime(2030, 3, 15, 11, 0, tzinfo=dt.UTC)
    sent.clear()
    services.occurrence_cancel(actor=host.user, occurrence=dates[1], reason="Storm")
    assert [s["kind"] for s in sent] == ["event_cancelled"]
    with pytest.raises(Conflict):
        services.occurrence_update(actor=host.user, occurrence=dates[1], place="Else")
    assert Occurrence.objects.filter(event=event, cancelled_at__isnull=True).count() == 2


def test_cancelling_the_event_cancels_future_dates_and_tells_everyone(now, host, guest_list, sent):
    event = make_event(host, frequency="weekly", repeat_count=2)
    for occurrence in Occurrence.objects.filter(event=event):
        answer(guest_list[0], occurrence)
    answer(guest_list[1], first(event), status="maybe")
    sent.clear()
    services.event_cancel(actor=host.user, event=event, reason="Budget")
    assert Occurrence.objects.filter(event=event, cancelled_at__isnull=True).count() == 0
    assert sorted(s["recipient"].pk for s in sent) == sorted([guest_list[0].user.pk, guest_list[1].user.pk])
    with pytest.raises(Conflict):
        answer(guest_list[2], first(event))


def test_attendance_facts_no_shows_ties_and_feedback_requests(now, host, guest_list, sent):
    event = make_event(host, capacity=10)
    occurrence = first(event)
    rsvps = [answer(p, occurrence) for p in guest_list[:4]]
    with pytest.raises(Conflict):  # too early
        services.attendance_set(actor=host.user, occurrence=occurrence, rsvp_ids=[rsvps[0].pk], mark="attended")
    now.set(occurrence.start_at - dt.timedelta(minutes=30))
    with pytest.raises(PermissionDenied):
        services.attendance_set(actor=guest_list[5].user, occurrence=occurrence, rsvp_ids=[rsvps[0].pk], mark="attended")
    assert services.attendance_set(actor=host.user, occurrence=occurrence, rsvp_ids=[r.pk for r in rsvps[:3]],
                                   mark="attended") == 3
    with pytest.raises(NotFound):
        services.attendance_set(actor=host.user, occurrence=occurrence, rsvp_ids=[rsvps[0].pk, 10**9], mark="no_show")
    services.attendance_set(actor=host.user, occurrence=occurrence, rsvp_ids=[rsvps[2].pk], mark="")  # a mistake
    occurrence.refresh_from_db()
    assert occurrence.attended_count == 2
    assert Participation.objects.filter(verb="attended", object_id=occurrence.pk).count() == 2
    now.set(occurrence.end_at + dt.timedelta(hours=3))
    sent.clear()
    assert services.occurrences_finalize() == 1
    assert services.occurrences_finalize() == 0  # idempotent
    marks = dict(Rsvp.objects.filter(occurrence=occurrence).values_list("profile_id", "attendance"))
    assert [marks[p.pk] for p in guest_list[:4]] == ["attended", "attended", "no_show", "no_show"]
    facts = Participation.objects.filter(event_id=event.pk)
    assert facts.filter(verb="no_show").count() == 2
    assert facts.filter(verb="hosted_event", member_id=host.pk, object_id=occurrence.pk).count() == 1
    assert {f.occurred_at for f in facts.filter(verb__in=["attended", "no_show", "hosted_event"])} == {occurrence.start_at}
    pairs = set(Interaction.objects.filter(kind="co_attendance", event_id=event.pk).values_list("actor_id", "other_id"))
    assert pairs == {(guest_list[0].pk, guest_list[1].pk), (guest_list[1].pk, guest_list[0].pk)}
    assert sorted(s["recipient"].pk for s in sent if s["kind"] == "event_feedback") == sorted(
        p.user.pk for p in guest_list[:2])
    # A late correction after finalizing: the ties follow.
    services.attendance_set(actor=host.user, occurrence=occurrence, rsvp_ids=[rsvps[2].pk], mark="attended")
    assert Interaction.objects.filter(kind="co_attendance", event_id=event.pk).count() == 6
    assert not Participation.objects.filter(verb="no_show", member_id=guest_list[2].pk).exists()


def test_big_gatherings_are_not_ties(now, host):
    crowd = [make_profile(email=f"c{i}@example.com", full_name=f"Crowd {i}") for i in range(41)]
    event = make_event(host, kind="town_hall")
    occurrence = first(event)
    rsvps = [answer(p, occurrence) for p in crowd]
    now.set(occurrence.start_at)
    services.attendance_set(actor=host.user, occurrence=occurrence, rsvp_ids=[r.pk for r in rsvps], mark="attended")
    now.set(occurrence.end_at + dt.timedelta(hours=3))
    services.occurrences_finalize()
    assert not Interaction.objects.filter(kind="co_attendance").exists()
    assert Participation.objects.filter(verb="attended", event_id=event.pk).count() == 41


def test_self_checkin_with_the_code_and_walk_ins(now, host, guest_list):
    event = make_event(host, capacity=2)
    occurrence = first(event)
    answer(guest_list[0], occurrence)
    with pytest.raises(Conflict):
        services.checkin_self(actor=guest_list[0].user, occurrence=occurrence, code=occurrence.checkin_code)
    now.set(occurrence.start_at - dt.timedelta(minutes=10))
    with pytest.raises(ApplicationError) as wrong:
        services.checkin_self(actor=guest_list[0].user, occurrence=occurrence, code="WRONG1")
    assert wrong.value.code == "bad_code"
    code = occurrence.checkin_code.lower()
    services.checkin_self(actor=guest_list[0].user, occurrence=occurrence, code=f" {code[:3]}-{code[3:]} ")
    walk_in = services.checkin_self(actor=guest_list[1].user, occurrence=occurrence, code=occurrence.checkin_code)
    assert (walk_in.status, walk_in.attendance) == ("going", "attended")
    with pytest.raises(Conflict) as full:
        services.checkin_self(actor=guest_list[2].user, occurrence=occurrence, code=occurrence.checkin_code)
    assert full.value.code == "full"
    occurrence.refresh_from_db()
    assert (occurrence.seats_taken, occurrence.attended_count) == (2, 2)


def test_anonymous_feedback_keeps_who_and_what_apart(now, host, guest_list):
    event = make_event(host)
    occurrence = first(event)
    for person in guest_list[:5]:
        answer(person, occurrence)
    now.set(occurrence.start_at)
    services.attendance_set(actor=host.user, occurrence=occurrence,
                            rsvp_ids=list(Rsvp.objects.filter(occurrence=occurrence).exclude(profile=guest_list[4])
                                          .values_list("pk", flat=True)), mark="attended")
    with pytest.raises(Conflict):  # not over yet
        services.feedback_give(actor=guest_list[0].user, occurrence=occurrence, rating=5)
    now.set(occurrence.end_at + dt.timedelta(hours=20, minutes=17))
    for i, person in enumerate(guest_list[:4]):
        services.feedback_give(actor=person.user, occurrence=occurrence, rating=i + 2, comment=f"note {i}")
    with pytest.raises(Conflict):
        services.feedback_give(actor=guest_list[0].user, occurrence=occurrence, rating=1)
    with pytest.raises(PermissionDenied):  # did not come
        services.feedback_give(actor=guest_list[4].user, occurrence=occurrence, rating=1)
    with pytest.raises(ApplicationError):
        services.feedback_give(actor=host.user, occurrence=occurrence, rating=3)
    answers = list(FeedbackAnswer.objects.all())
    assert {a.profile_id for a in answers} == {None}
    assert {a.answered_on for a in answers} == {dt.date(2030, 3, 9)}
    assert {f.name for f in FeedbackAnswer._meta.get_fields()}.isdisjoint({"created_at", "given", "feedbackgiven"})
    assert FeedbackGiven.objects.count() == 4
    facts = Participation.objects.filter(verb="gave_event_feedback")
    assert {f.occurred_at for f in facts} == {dt.datetime(2030, 3, 9, tzinfo=dt.UTC)}  # the day, not the minute
    assert not AuditEntry.objects.filter(action="events.feedback.given", data__has_key="rating").exists()
    data = services.event_data_from(event)
    data.feedback_anonymous = False
    with pytest.raises(Conflict):  # anonymity cannot be switched off once answers exist
        services.event_update(actor=host.user, event=event, data=data)


def test_calendar_feed_tokens_are_hashed_and_revocable(now, host):
    feed, raw = services.calendar_feed_create(actor=host.user)
    assert raw.startswith("cal_")
    assert raw not in feed.token_hash
    assert services.calendar_feed_authenticate(raw) == host
    assert services.calendar_feed_authenticate(raw + "x") is None
    _feed2, raw2 = services.calendar_feed_create(actor=host.user)  # a new one switches the old one off
    assert services.calendar_feed_authenticate(raw) is None
    assert services.calendar_feed_revoke(actor=host.user) == 1
    assert services.calendar_feed_authenticate(raw2) is None
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 0


def test_open_series_are_extended_by_the_nightly_job(now, host):
    event = make_event(host, frequency="weekly")
    count = Occurrence.objects.filter(event=event).count()
    assert 25 <= count <= 27  # half a year of Fridays
    now.advance(days=28)
    added = services.series_extend()
    assert added == 4
    assert services.series_extend() == 0


def test_photos_and_links_of_past_events(now, host, guest_list):
    event = make_event(host)
    occurrence = first(event)
    rsvp = answer(guest_list[0], occurrence)
    with pytest.raises(Conflict):
        services.media_add(actor=host.user, occurrence=occurrence, title="Slides", url="https://example.com/s")
    now.set(occurrence.start_at)
    services.attendance_set(actor=host.user, occurrence=occurrence, rsvp_ids=[rsvp.pk], mark="attended")
    now.set(occurrence.end_at + dt.timedelta(days=1))
    photo = services.media_add(actor=guest_list[0].user, occurrence=occurrence, title="Us", upload=image_upload())
    assert photo.kind == "photo"
    assert photo.image.name.endswith(".jpg")
    with pytest.raises(PermissionDenied):
        services.media_add(actor=guest_list[1].user, occurrence=occurrence, title="x", url="https://example.com")
    with pytest.raises(ApplicationError):
        services.media_add(actor=host.user, occurrence=occurrence, title="x", url="ftp://example.com")
    services.media_delete(actor=host.user, media=photo)
    assert Media.objects.get(pk=photo.pk).deleted_at is not None


def test_co_hosts_are_told(now, host, guest_list, sent):
    make_event(host, cohosts=[guest_list[0]])
    assert [(s["recipient"], s["kind"]) for s in sent] == [(guest_list[0].user, "event_host")]


def test_event_data_round_trips(now, host):
    event = make_event(host, questions=[("Diet?", False)], frequency="monthly", monthly_by="weekday", repeat_count=3)
    data = services.event_data_from(event)
    assert data.questions == [("Diet?", False)]
    assert data.monthly_by == "weekday"
    assert services.validate(event_data(**{k: v for k, v in data.__dict__.items() if k != "cohosts"}))
