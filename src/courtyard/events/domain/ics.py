"""iCalendar (.ics) documents for events, built with the icalendar package. Pure Python (no Django).

One VEVENT per occurrence, whose UID never changes (``occurrence-<id>@<domain>``), and whose SEQUENCE rises
each time the occurrence changes, so calendar apps update the entry they already have instead of adding
another. Timed events carry their own zone (TZID) with a VTIMEZONE; all-day events are DATE values with
an exclusive end, as RFC 5545 wants, so they stay on their dates in every time zone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

import icalendar

from courtyard.core.domain.text import without_refused

PRODID = "-//Courtyard//Events//EN"


@dataclasses.dataclass(frozen=True)
class Entry:
    uid: str
    sequence: int
    title: str
    description: str
    location: str
    url: str
    tz_name: str
    all_day: bool
    start: dt.datetime  # UTC instant (timed events)
    end: dt.datetime
    start_date: dt.date  # local dates (all-day events), end inclusive
    end_date: dt.date
    cancelled: bool
    created: dt.datetime
    modified: dt.datetime
    organizer_name: str = ""
    categories: tuple[str, ...] = ()
    # (name, email) of the people invited: written as ATTENDEE lines (a coffee match names both people).
    attendees: tuple[tuple[str, str], ...] = ()


def uid_for(occurrence_id: int, domain: str) -> str:
    return f"occurrence-{occurrence_id}@{domain}"


def _text(value: str, *, multiline: bool = False) -> str:
    """Calendar apps choke on control characters (a NUL ends the text in some) and show bidi overrides as they
    are: none of them ever goes into a file, even from data stored before they were refused."""
    return without_refused(value, multiline=multiline)


def build(entries: list[Entry], *, name: str, now: dt.datetime, refresh_hours: int | None = None) -> bytes:
    """A VCALENDAR with one VEVENT per entry and a VTIMEZONE for each zone used."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(name))
    if refresh_hours:
        calendar.add("refresh-interval", dt.timedelta(hours=refresh_hours), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", f"PT{refresh_hours}H")
    stamp = now.astimezone(dt.UTC)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", entry.sequence)
        event.add("summary", _text(entry.title))
        if entry.all_day:
            event.add("dtstart", entry.start_date)
            event.add("dtend", entry.end_date + dt.timedelta(days=1))
        else:
            zone = zoneinfo.ZoneInfo(entry.tz_name)
            event.add("dtstart", entry.start.astimezone(zone))
            event.add("dtend", entry.end.astimezone(zone))
        if entry.description:
            event.add("description", _text(entry.description, multiline=True))
        if entry.location:
            event.add("location", _text(entry.location))
        if entry.url:
            event.add("url", _text(entry.url))
        if entry.organizer_name:
            event.add("x-courtyard-host", _text(entry.organizer_name))
        if entry.categories:
            event.add("categories", [_text(category) for category in entry.categories])
        for attendee_name, email in entry.attendees:
            event.add("attendee", f"mailto:{_text(email)}",
                      parameters={"CN": _text(attendee_name), "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION"})
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if entry.all_day else "OPAQUE")
        event.add("created", entry.created.astimezone(dt.UTC))
        event.add("last-modified", entry.modified.astimezone(dt.UTC))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
