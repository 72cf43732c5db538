"""Every kind of notification carries only what its recipient may read, now.

For every kind in notifications.domain.kinds, a real target is built through the owning app (a private group's
thread, a private group's event, a private kudos, a survey for one group, a coffee match, ...) whose words
(a planted string) go into the notification. The kind is then sent, through the app's own notify function, to
someone who may read the target (who gets it: the test is not vacuous) and to someone who may not (who gets
nothing: no row, and no trace on the notifications page, the API, the unread count or in any email). Where
access can end later, it ends, and the page, the API and opening the notification show a neutral line instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from courtyard.core import clock
from courtyard.events import notify as event_notify
from courtyard.events import services as events
from courtyard.groups import notify as group_notify
from courtyard.groups import services as groups
from courtyard.groups.models import Group, Membership
from courtyard.notifications import selectors, services, targets
from courtyard.notifications.domain.kinds import KINDS
from courtyard.notifications.models import Notification
from courtyard.pairing import notify as pairing_notify
from courtyard.pairing.models import (
    CoffeeMatch,
    CoffeeMatchMember,
    CoffeeRound,
    MentorshipMatch,
    Program,
    Signup,
)
from courtyard.people.models import Profile
from courtyard.recognition import notify as recognition_notify
from courtyard.recognition import services as recognition
from courtyard.recognition.models import Celebration
from courtyard.surveys import notify as survey_notify
from courtyard.surveys import services as surveys
from courtyard.surveys.models import Audience, Question
from courtyard.welcome.models import Buddying
from tests.conftest import signed_in_client
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

SECRET = "Zebraquartz"  # planted in every target's words


@dataclasses.dataclass
class World:
    organizer: Profile
    insider: Profile  # a member of the private group, thanked privately, asked by the survey, in the match
    outsider: Profile  # none of these
    group: Group
    thread: object
    post: object
    event: object
    occurrence: object
    kudos: object
    survey: object
    idea: object
    action: object
    coffee: CoffeeMatch
    mentorship: MentorshipMatch
    program: Program
    buddying: Buddying


@pytest.fixture
def w(db) -> World:
    organizer = make_profile(email="olga@example.com", full_name="Olga Organizer")
    insider = make_profile(email="ines@example.com", full_name="Ines Insider")
    outsider = make_profile(email="otto@example.com", full_name="Otto Outsider")
    group = groups.group_create(actor=organizer.user, name=f"{SECRET} circle", join_policy=Group.JoinPolicy.INVITATION)
    groups.membership_invite(actor=organizer.user, group=group, profile=insider)
    groups.membership_join(actor=insider.user, group=group)
    thread = groups.thread_create(actor=organizer.user, group=group, title=f"{SECRET} reorg", body="Hush.")
    post = groups.post_create(actor=organizer.user, thread=thread, body="Still hush.")
    event = events.event_create(actor=organizer.user, data=events.EventData(
        title=f"{SECRET} offsite", start_date=dt.date(2030, 3, 8), start_time=dt.time(18, 0),
        end_time=dt.time(20, 0), timezone="Europe/Berlin", place="Rooftop", group=group, visibility="group",
    ))
    kudos = recognition.kudos_send(actor=organizer.user, message=f"{SECRET} thanks", people=[insider],
                                   is_private=True)
    surveys.question_bank_ensure()
    survey = surveys.survey_create(
        actor=make_profile(full_name="Ada Admin", is_admin=True).user, title=f"{SECRET} pulse",
        question_ids=[Question.objects.filter(key="belonging.belong").values_list("pk", flat=True).get()],
        audience=Audience.GROUPS, group_ids=[group.pk],
    )
    admin = Profile.objects.get(full_name="Ada Admin")
    survey = surveys.survey_open(actor=admin.user, survey=survey)
    idea = surveys.idea_create(actor=insider.user, title=f"{SECRET} idea", body="Open to all.")
    action = surveys.action_publish(actor=admin.user, title=f"{SECRET} we did", body="Done.", survey=survey)
    program = Program.objects.create(kind=Program.Kind.TEAMS, name=f"{SECRET} teams", owner=organizer,
                                     scope=Program.Scope.GROUP, group=group, created_at=clock.now())
    coffee_program = Program.objects.create(kind=Program.Kind.COFFEE, name=f"{SECRET} coffee",
                                            created_at=clock.now())
    round_ = CoffeeRound.objects.create(program=coffee_program, round_date=dt.date(2030, 1, 7), started_at=clock.now())
    coffee = CoffeeMatch.objects.create(program=coffee_program, round=round_, created_at=clock.now())
    for person in (insider, organizer):
        CoffeeMatchMember.objects.create(match=coffee, round=round_, program=coffee_program, profile=person)
    mentoring = Program.objects.create(kind=Program.Kind.MENTORSHIP, name=f"{SECRET} mentoring",
                                       owner=organizer, created_at=clock.now())
    mentor = Signup.objects.create(program=mentoring, profile=organizer, role="mentor", created_at=clock.now())
    mentee = Signup.objects.create(program=mentoring, profile=insider, role="mentee", created_at=clock.now())
    mentorship = MentorshipMatch.objects.create(program=mentoring, mentor=mentor, mentee=mentee,
                                                status=MentorshipMatch.Status.PUBLISHED, created_at=clock.now())
    buddying = Buddying.objects.create(newcomer=organizer, buddy=insider, why=f"{SECRET} why", assigned_at=clock.now())
    Notification.objects.all().delete()  # what setting up sent is not the subject here
    cache.clear()
    return World(organizer=organizer, insider=insider, outsider=outsider, group=group, thread=thread, post=post,
                 event=event, occurrence=event.occurrences.first(), kudos=kudos, survey=survey, idea=idea,
                 action=action, coffee=coffee, mentorship=mentorship, program=program, buddying=buddying)


def _leave(w: World, person: Profile) -> None:
    groups.membership_leave(actor=person.user, group=w.group)


# kind -> (send it to this person about the world's target, how the person loses access later or None when it
# cannot be lost without deactivation). Each sends through the owning app's notify function, naming the planted
# words; a recipient chosen wrongly (a caller's bug) is exactly what the notifications module must stop.
Send = Callable[[World, Profile], None]


CASES: dict[str, tuple[Send, Callable[[World, Profile], None] | None]] = {
    "mention": (lambda w, p: group_notify.mentioned(mentioned=[p], actor=w.organizer.user, author=w.organizer,
                                                   thread=w.thread, post=None), _leave),
    "reply_to_thread": (lambda w, p: _reply_to_own_thread(w, p), _leave),
    "answer_accepted": (lambda w, p: _accept_own_answer(w, p), _leave),
    "join_request": (lambda w, p: group_notify.join_requested(group=w.group, requester=w.organizer,
                                                              organizers=[p], message=""), _leave),
    "join_approved": (lambda w, p: group_notify.join_approved(group=w.group, member=p, actor=w.organizer.user),
                      _leave),
    "group_invitation": (lambda w, p: group_notify.invited(group=w.group, member=p, actor=w.organizer.user),
                         _leave),
    "event_waitlist_promoted": (lambda w, p: event_notify.promoted(occurrence=w.occurrence, event=w.event,
                                                                  people=[p], actor=None), _leave),
    "event_changed": (lambda w, p: event_notify.changed(event=w.event, occurrence=w.occurrence, people=[p],
                                                        actor=w.organizer.user, what="time"), _leave),
    "event_cancelled": (lambda w, p: event_notify.cancelled(event=w.event, occurrence=w.occurrence, people=[p],
                                                            actor=w.organizer.user, whole_event=True), _leave),
    "event_reminder": (lambda w, p: event_notify.reminder(event=w.event, occurrence=w.occurrence, people=[p],
                                                          kind="day"), _leave),
    "event_feedback": (lambda w, p: event_notify.feedback_requested(event=w.event, occurrence=w.occurrence,
                                                                    people=[p]), _leave),
    "event_host": (lambda w, p: event_notify.host_added(event=w.event, people=[p], actor=w.organizer.user), _leave),
    "event_rsvp_removed": (lambda w, p: event_notify.rsvp_removed(event=w.event, occurrence=w.occurrence, person=p,
                                                                  actor=w.organizer.user, note=SECRET), _leave),
    # off by default: the host chose it first
    "event_rsvp_received": (lambda w, p: (
        services.preferences_set(actor=p.user, choices={"event_rsvp_received": True}),
        event_notify.rsvp_received(event=w.event, occurrence=w.occurrence, hosts=[p], person=w.organizer,
                                   status="going", actor=w.organizer.user)), _leave),
    "kudos_received": (lambda w, p: recognition_notify.kudos_received(
        kudos=w.kudos, sender_name=f"{SECRET} sender", receivers=[p.user], actor=w.organizer.user), None),
    "kudos_agreed": (lambda w, p: recognition_notify.kudos_agreed(
        kudos=w.kudos, sender=p.user, agreeing_name=f"{SECRET} fan", actor=w.organizer.user), None),
    "survey_opened": (lambda w, p: survey_notify.survey_opened(survey=w.survey, recipients=[p.user], actor=None),
                      None),
    "survey_reminder": (lambda w, p: survey_notify.survey_reminder(survey=w.survey, recipients=[p.user]), None),
    "survey_action": (lambda w, p: services.notifications_send_bulk(
        recipients=[p.user], kind="survey_action", actor=None, text=f"You said, we did: {w.action.title}",
        url=reverse("surveys:action", args=[w.action.pk]), object_type="action", object_id=w.action.pk), None),
    "coffee_match": (lambda w, p: pairing_notify.coffee_paired(
        program_name=w.coffee.program.name, match_id=w.coffee.pk, members=[p], starter="Hi"), None),
    "coffee_follow_up": (lambda w, p: services.notifications_send_bulk(
        recipients=[p.user], kind="coffee_follow_up", actor=None, text=f"Did your {SECRET} coffee happen?",
        url=reverse("pairing:coffee_match", args=[w.coffee.pk]), object_type="coffee_match",
        object_id=w.coffee.pk), None),
    "coffee_time": (lambda w, p: pairing_notify.coffee_time_suggested(
        program_name=w.coffee.program.name, match_id=w.coffee.pk, suggested_by=w.organizer, others=[p], start=clock.now() + dt.timedelta(days=2)), None),
    "mentorship_match": (lambda w, p: pairing_notify.mentorship_published(
        program_name=w.mentorship.program.name, match_id=w.mentorship.pk, mentor=w.organizer, mentee=p,
        actor=w.organizer.user), None),
    "mentorship_rematch": (lambda w, p: pairing_notify.mentorship_rematch(
        program_id=w.program.pk, program_name=w.program.name, owner=p, asked_by=w.organizer), _leave),
    "team_placed": (lambda w, p: pairing_notify.team_published(
        program_name=w.program.name, program_id=w.program.pk, team_name="Blue", members=[p],
        actor=w.organizer.user), _leave),
    "buddy_introduced": (lambda w, p: services.notifications_send_bulk(
        recipients=[p.user], kind="buddy_introduced", actor=None, text=f"Meet your buddy ({w.buddying.why})",
        url=reverse("welcome:buddying", args=[w.buddying.pk]), object_type="buddying", object_id=w.buddying.pk),
        lambda w, p: Buddying.objects.filter(pk=w.buddying.pk).delete()),
    "newcomer_nudge": (lambda w, p: services.notifications_send_bulk(
        recipients=[p.user], kind="newcomer_nudge", actor=None, text=f"No connection yet ({w.buddying.why})",
        url=reverse("welcome:buddying", args=[w.buddying.pk]), object_type="buddying", object_id=w.buddying.pk),
        lambda w, p: Buddying.objects.filter(pk=w.buddying.pk).delete()),
}

# About the recipient themselves: nobody else is ever the recipient, so there is no outsider to refuse.
ABOUT_ONESELF: dict[str, Send] = {
    "celebration": lambda w, p: recognition_notify.celebrated(
        celebrations=[(Celebration(profile=p, kind=Celebration.Kind.MILESTONE), p.user)]),
    "badge_awarded": lambda w, p: recognition_notify.badge_awarded(
        user=p.user, badge_name=f"{SECRET} badge", actor=None, profile_id=p.pk),
}
# Ideas are open to every member: whoever posted one openly may read it (a deactivated member hears nothing).
OPEN_TO_ALL: dict[str, Send] = {
    "idea_update": lambda w, p: survey_notify.idea_commented(idea=w.idea, actor=w.organizer.user, official=False),
}


def _reply_to_own_thread(w: World, person: Profile) -> None:
    """The person started a discussion in the private group while a member; someone replies to it."""
    thread = _thread_by(w, person)
    post = groups.post_create(actor=w.organizer.user, thread=thread, body="A reply")
    Notification.objects.filter(kind="reply_to_thread").delete()  # the real send above; the test sends below
    group_notify.replied(thread=thread, post=post, author=w.organizer, actor=w.organizer.user, mentioned=[])


def _accept_own_answer(w: World, person: Profile) -> None:
    post = w.post
    post.author = person
    post.save(update_fields=["author"])
    group_notify.answer_accepted(thread=w.thread, post=post, actor=w.organizer.user)


def _thread_by(w: World, person: Profile):
    thread = w.thread
    thread.author = person
    thread.save(update_fields=["author"])
    return thread


def test_every_kind_is_in_the_matrix_and_every_target_type_is_registered():
    assert set(CASES) | set(ABOUT_ONESELF) | set(OPEN_TO_ALL) == {kind.key for kind in KINDS}
    assert {"thread", "post", "group", "occurrence", "occurrence_day", "occurrence_hour", "event", "kudos",
            "celebration", "badge", "survey", "idea", "action", "coffee_match", "mentorship",
            "program", "buddying"} <= set(targets.registered())


def _traces(person: Profile) -> str:
    """Everything the person can see of their notifications: page, API list, unread count, emails."""
    client = signed_in_client(person)
    page = client.get(reverse("notifications:list")).content.decode()
    api = client.get("/api/notifications/").content.decode() + client.get("/api/notifications/unread").content.decode()
    mails = " ".join(f"{m.subject} {m.body}" for m in mail.outbox if person.user.email in m.to)
    return f"{page}\n{api}\n{mails}"


def _api(person: Profile) -> dict:
    client = signed_in_client(person)
    return client.get("/api/notifications/").json()


@pytest.mark.parametrize("kind", sorted(CASES))
def test_someone_who_cannot_read_the_target_gets_nothing(w, kind):
    send, _lose = CASES[kind]
    send(w, w.outsider)
    assert not Notification.objects.filter(recipient=w.outsider.user).exists()
    assert selectors.unread_count(w.outsider.user) == 0
    assert SECRET not in _traces(w.outsider)
    assert _api(w.outsider)["items"] == []


@pytest.mark.parametrize("kind", sorted(CASES) + sorted(ABOUT_ONESELF) + sorted(OPEN_TO_ALL))
def test_someone_who_may_read_the_target_is_told(w, kind):
    send = CASES[kind][0] if kind in CASES else {**ABOUT_ONESELF, **OPEN_TO_ALL}[kind]
    send(w, w.insider)
    made = Notification.objects.get(recipient=w.insider.user, kind=kind)
    assert selectors.unread_count(w.insider.user) == 1
    if kind != "celebration":  # a celebration's words are fixed greetings
        assert SECRET in made.text
        assert SECRET in _traces(w.insider)


@pytest.mark.parametrize("kind", sorted(k for k, (_send, lose) in CASES.items() if lose is not None))
def test_losing_access_later_hides_the_words_and_the_address(w, kind):
    send, lose = CASES[kind]
    send(w, w.insider)
    made = Notification.objects.get(recipient=w.insider.user, kind=kind)
    assert lose is not None
    lose(w, w.insider)

    client = signed_in_client(w.insider)
    page = client.get(reverse("notifications:list")).content.decode()
    assert SECRET not in page
    assert "You no longer have access to this item." in page
    listed = client.get("/api/notifications/").json()["items"]
    assert [(i["text"], i["url"], i["actor_id"]) for i in listed] == [
        ("You no longer have access to this item.", reverse("notifications:list"), None)]
    assert SECRET not in client.get("/api/notifications/").content.decode()
    marked = client.post(f"/api/notifications/{made.pk}/read").json()
    assert SECRET not in str(marked)
    assert marked["url"] == reverse("notifications:list")
    opened = client.get(reverse("notifications:open", args=[made.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("notifications:list")  # never the private group's address
    made.refresh_from_db()
    assert SECRET in made.text  # only hidden: regaining access shows it again


def test_access_regained_shows_the_words_again(w):
    CASES["mention"][0](w, w.insider)
    _leave(w, w.insider)
    assert SECRET not in _traces(w.insider)
    Membership.objects.filter(group=w.group, profile=w.insider).delete()
    groups.membership_invite(actor=w.organizer.user, group=w.group, profile=w.insider)
    groups.membership_join(actor=w.insider.user, group=w.group)
    assert SECRET in _traces(w.insider)


def test_a_mention_in_a_private_group_reaches_members_only_end_to_end(w):
    """The reported leak: an organizer mentions a colleague outside the private group, in a thread and a reply."""
    handle = w.outsider.user.email.split("@")[0]
    groups.thread_create(actor=w.organizer.user, group=w.group, title=f"{SECRET} plans", body=f"cc @{handle}")
    groups.post_create(actor=w.organizer.user, thread=w.thread, body=f"and @{handle} again")
    assert not Notification.objects.filter(recipient=w.outsider.user).exists()
    assert SECRET not in _traces(w.outsider)


def test_an_unregistered_target_type_is_refused(w):
    with pytest.raises(ValueError, match="no readability check"):
        services.notification_send(recipient=w.insider.user, kind="mention", actor=None, text="x", url="/",
                                   object_type="nothing_registered", object_id=1)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("size", [3, 30])
def test_reminding_everyone_of_an_organization_event_costs_the_same_for_any_number(w, size,
                                                                                   django_assert_num_queries):
    """The check is one query for an event without a group (anyone may see it), however many are reminded."""
    town_hall = events.event_create(actor=w.organizer.user, data=events.EventData(
        title="Town hall", start_date=dt.date(2030, 3, 9), start_time=dt.time(18, 0), end_time=dt.time(19, 0),
        timezone="Europe/Berlin", place="Atrium",
    ))
    people = [make_profile(timezone="Europe/Berlin") for _ in range(size)]
    occurrence = town_hall.occurrences.get()
    # the choices, recent duplicates, the occurrence for the check, one insert
    with django_assert_num_queries(4):
        event_notify.reminder(event=town_hall, occurrence=occurrence, people=people, kind="day")
    assert Notification.objects.filter(kind="event_reminder").count() == size


# --- email: the same rule when the email is sent, minutes after the notice ------------------------------------


def _emails_to(person: Profile) -> str:
    return " ".join(
        f"{m.subject} {m.body} {' '.join(str(c) for c, _t in getattr(m, 'alternatives', []))}"
        for m in mail.outbox if person.user.email in m.to
    )


def _send_due_emails(monkeypatch) -> None:
    from courtyard.mail import services as mail_services
    from courtyard.mail.models import Delivery

    later = clock.now() + dt.timedelta(days=1)  # past the batch window and any quiet hours
    monkeypatch.setattr(clock, "now", lambda: later)
    for pk in Delivery.objects.filter(status=Delivery.Status.QUEUED).values_list("pk", flat=True):
        mail_services.delivery_send(delivery_id=pk)


def _everything_by_email(person: Profile) -> None:
    services.preferences_set(actor=person.user, choices={kind.key: "email" for kind in KINDS})


@pytest.mark.parametrize("kind", sorted(k for k, (_send, lose) in CASES.items() if lose is not None))
def test_an_email_never_tells_what_was_lost_before_it_was_sent(w, kind, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    """Access ends between the notice and its email (the member leaves the private group during the batch
    window): the email leaves the notice out, for every kind and every real target."""
    send, lose = CASES[kind]
    _everything_by_email(w.insider)
    with django_capture_on_commit_callbacks(execute=True):
        send(w, w.insider)
    assert Notification.objects.filter(recipient=w.insider.user, kind=kind).exists()
    assert lose is not None
    lose(w, w.insider)
    _send_due_emails(monkeypatch)
    assert SECRET not in _emails_to(w.insider)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_an_email_tells_a_reader_and_never_an_outsider(w, kind, monkeypatch, django_capture_on_commit_callbacks):
    send, _lose = CASES[kind]
    _everything_by_email(w.insider)
    _everything_by_email(w.outsider)
    with django_capture_on_commit_callbacks(execute=True):
        send(w, w.insider)
    _send_due_emails(monkeypatch)
    assert SECRET in _emails_to(w.insider)
    with django_capture_on_commit_callbacks(execute=True):
        send(w, w.outsider)
    _send_due_emails(monkeypatch)
    assert SECRET not in _emails_to(w.outsider)
