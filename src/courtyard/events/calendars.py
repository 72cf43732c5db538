"""Occurrences as iCalendar entries (events.domain.ics): the per-event download and the subscription feeds."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from courtyard.core import clock
from courtyard.events.domain import ics
from courtyard.events.models import Occurrence, Rsvp
from courtyard.events.services import site_domain


def entry(occurrence: Occurrence, *, with_link: bool) -> ics.Entry:
    """One VEVENT. The meeting link goes only into the calendars of people going (``with_link``)."""
    event = occurrence.event
    url = settings.SITE_URL + reverse("events:occurrence", args=[event.pk, occurrence.pk])
    description = event.description
    if occurrence.note:
        description = f"{occurrence.note}\n\n{description}".strip()
    if with_link and event.meeting_url:
        description = f"{description}\n\nJoin online: {event.meeting_url}".strip()
    location = occurrence.place_override or event.place
    if not location and with_link and event.meeting_url:
        location = event.meeting_url
    categories = [event.get_kind_display()]
    if event.group is not None:
        categories.append(event.group.name)
    return ics.Entry(
        uid=ics.uid_for(occurrence.pk, site_domain()), sequence=occurrence.sequence, title=event.title,
        description=f"{description}\n\n{url}".strip(), location=location, url=url, tz_name=event.timezone,
        all_day=event.all_day, start=occurrence.start_at, end=occurrence.end_at, start_date=occurrence.start_date,
        end_date=occurrence.end_date, cancelled=occurrence.is_cancelled or event.is_cancelled,
        created=event.created_at, modified=max(occurrence.updated_at, event.updated_at),
        categories=tuple(str(c) for c in categories),
    )


def document(occurrences: Iterable[Occurrence], *, name: str, going_ids: set[int] | None = None,
             refresh_hours: int | None = None) -> bytes:
    """An .ics document; ``going_ids`` are the occurrences whose meeting link the reader may see."""
    going = going_ids or set()
    entries = [entry(o, with_link=o.pk in going) for o in occurrences]
    return ics.build(entries, name=name, now=clock.now(), refresh_hours=refresh_hours)


def going_ids_of(occurrences: Iterable[Occurrence], profile_id: int) -> set[int]:
    ids = [o.pk for o in occurrences]
    return set(Rsvp.objects.filter(occurrence_id__in=ids, profile_id=profile_id, status=Rsvp.Status.GOING)
               .values_list("occurrence_id", flat=True))
