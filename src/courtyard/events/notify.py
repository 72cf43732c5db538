"""What events tell people. Every notification goes through notifications.services (one bulk send per message)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.events.access import access_event, access_occurrence
from courtyard.events.domain import rules
from courtyard.events.models import Event, Occurrence
from courtyard.notifications.services import notifications_send_bulk
from courtyard.notifications.targets import register, through
from courtyard.people.models import Profile


def _send_many(**kwargs: Any) -> None:
    notifications_send_bulk(**kwargs)


def occurrence_url(occurrence: Occurrence) -> str:
    return reverse("events:occurrence", args=[occurrence.event_id, occurrence.pk])


def local_when(occurrence: Occurrence, event: Event, tz_name: str) -> str:
    """The occurrence's start as the member reads it: in their own zone, or its dates for all-day events."""
    if event.all_day:
        return formats.date_format(occurrence.start_date, "D j M")
    try:
        zone = zoneinfo.ZoneInfo(tz_name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = occurrence.start_at.astimezone(zone)
    return f"{formats.date_format(local, 'D j M, H:i')} ({tz_name or 'UTC'})"


def _by_zone(people: Iterable[Profile]) -> dict[str, list[User]]:
    zones: dict[str, list[User]] = defaultdict(list)
    for person in people:
        zones[person.timezone or "UTC"].append(person.user)
    return zones


def promoted(*, occurrence: Occurrence, event: Event, people: list[Profile], actor: User | None) -> None:
    for tz_name, users in _by_zone(people).items():
        _send_many(
            recipients=users, kind="event_waitlist_promoted", actor=None,
            text=_("A seat freed up: you are going to “%(title)s” on %(when)s")
            % {"title": event.title, "when": local_when(occurrence, event, tz_name)},
            url=occurrence_url(occurrence), object_type="occurrence", object_id=occurrence.pk,
        )


def changed(*, event: Event, occurrence: Occurrence, people: list[Profile], actor: User, what: str) -> None:
    """Everyone going, undecided or waiting hears about a new time or place, in their own time zone."""
    for tz_name, users in _by_zone(people).items():
        _send_many(
            recipients=users, kind="event_changed", actor=actor,
            text=_("“%(title)s” changed (%(what)s): now %(when)s")
            % {"title": event.title, "what": what, "when": local_when(occurrence, event, tz_name)},
            url=occurrence_url(occurrence), object_type="occurrence", object_id=occurrence.pk,
        )


def cancelled(*, event: Event, occurrence: Occurrence, people: list[Profile], actor: User, whole_event: bool) -> None:
    for tz_name, users in _by_zone(people).items():
        text = (
            _("“%(title)s” is cancelled") % {"title": event.title}
            if whole_event
            else _("“%(title)s” on %(when)s is cancelled")
            % {"title": event.title, "when": local_when(occurrence, event, tz_name)}
        )
        _send_many(
            recipients=users, kind="event_cancelled", actor=actor, text=text, url=occurrence_url(occurrence),
            object_type="occurrence", object_id=occurrence.pk,
        )


def reminder(*, event: Event, occurrence: Occurrence, people: list[Profile], kind: str, maybe: bool = False) -> None:
    """Remind those going, or (``maybe``) those who said maybe, with words that ask them to decide."""
    for tz_name, users in _by_zone(people).items():
        when = local_when(occurrence, event, tz_name)
        if maybe:
            text = (
                _("Tomorrow: “%(title)s”, %(when)s. You said maybe: let the hosts know if you are coming")
                if kind == "day"
                else _("In an hour: “%(title)s”, %(when)s. You said maybe: let the hosts know if you are coming")
            ) % {"title": event.title, "when": when}
        else:
            text = (
                _("Tomorrow: “%(title)s”, %(when)s") if kind == "day" else _("In an hour: “%(title)s”, %(when)s")
            ) % {"title": event.title, "when": when}
        _send_many(
            recipients=users, kind="event_reminder", actor=None, text=text, url=occurrence_url(occurrence),
            object_type=f"occurrence_{kind}", object_id=occurrence.pk,
        )


def rsvp_removed(*, event: Event, occurrence: Occurrence, person: Profile, actor: User, note: str) -> None:
    """The person a host took off a date is told, with the host's note when there is one."""
    when = local_when(occurrence, event, person.timezone or "UTC")
    text = _("A host removed your answer to “%(title)s” on %(when)s") % {"title": event.title, "when": when}
    if note:
        text = f"{text}: {note}"
    _send_many(
        recipients=[person.user], kind="event_rsvp_removed", actor=actor, text=text, url=occurrence_url(occurrence),
        object_type="occurrence", object_id=occurrence.pk,
    )


def rsvp_received(
    *, event: Event, occurrence: Occurrence, hosts: list[Profile], person: Profile, status: str, actor: User,
) -> None:
    """Hosts who chose it hear that someone answered. The notices of one date are merged by the notifications'
    ten-minute de-duplication, so a busy date sends a host one notice, and the page shows every answer."""
    if not hosts:
        return
    words = {"going": _("going"), "maybe": _("maybe"), "not_going": _("not going"), "waitlisted": _("on the waitlist")}
    _send_many(
        recipients=[h.user for h in hosts], kind="event_rsvp_received", actor=actor,
        text=_("New answers to “%(title)s”: %(name)s is %(status)s")
        % {"title": event.title, "name": person.display_name, "status": words.get(status, status)},
        url=occurrence_url(occurrence), object_type="occurrence", object_id=occurrence.pk,
    )


def feedback_requested(*, event: Event, occurrence: Occurrence, people: list[Profile]) -> None:
    if not people:
        return
    _send_many(
        recipients=[p.user for p in people], kind="event_feedback", actor=None,
        text=_("How was “%(title)s”? Two quick questions for the hosts") % {"title": event.title},
        url=reverse("events:feedback", args=[event.pk, occurrence.pk]), object_type="occurrence",
        object_id=occurrence.pk,
    )


def host_added(*, event: Event, people: list[Profile], actor: User) -> None:
    if not people:
        return
    _send_many(
        recipients=[p.user for p in people], kind="event_host", actor=actor,
        text=_("You are now a host of “%(title)s”") % {"title": event.title},
        url=reverse("events:detail", args=[event.pk]), object_type="event", object_id=event.pk,
    )


def when_label(start: dt.datetime) -> str:
    return formats.date_format(start, "D j M, H:i")


def _readers(event: Event | None, users: Sequence[User], one_by_one: Callable[[User], bool]) -> set[int]:
    """Who of these may see the event: everyone active when the event rules let anyone see an event without a
    group (an organization-wide town hall reminds thousands at once, in one query), else one by one."""
    if event is None:
        return set()
    if event.group_id is None and rules.can_see(rules.Standing()):
        return {user.pk for user in users if user.is_active}
    return {user.pk for user in users if one_by_one(user)}


def register_notification_targets() -> None:
    """What events' notifications are about, and who may read it: the same doors as the pages (a private
    group's events for its members only). Reminders carry the reminder's kind in their type, so that the day
    and the hour reminders are not taken for duplicates of each other; both are about the occurrence."""
    see_occurrence, see_event = through(access_occurrence), through(access_event)

    def occurrence_readers(object_id: int | None, users: Sequence[User]) -> set[int]:
        occurrence = (Occurrence.objects.select_related("event").filter(pk=object_id).first()
                      if object_id is not None else None)
        event = occurrence.event if occurrence is not None else None
        return _readers(event, users, lambda user: see_occurrence(user, object_id))

    def event_readers(object_id: int | None, users: Sequence[User]) -> set[int]:
        event = Event.objects.filter(pk=object_id).first() if object_id is not None else None
        return _readers(event, users, lambda user: see_event(user, object_id))

    for object_type in ("occurrence", "occurrence_day", "occurrence_hour"):
        register(object_type, see_occurrence, readers=occurrence_readers)
    register("event", see_event, readers=event_readers)
