"""Event times as each member reads them: in their own zone, and in the event's when that differs."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from courtyard.events.models import Event, Occurrence

register = template.Library()


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _range(start: dt.datetime, end: dt.datetime, zone: dt.tzinfo, *, with_date: bool = True) -> str:
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    first = formats.date_format(local_start, "D j M Y, H:i") if with_date else formats.time_format(local_start, "H:i")
    if local_start.date() == local_end.date():
        return f"{first}–{formats.time_format(local_end, 'H:i')}"
    return f"{first} – {formats.date_format(local_end, 'D j M Y, H:i')}"


def _dates(occurrence: Occurrence) -> str:
    if occurrence.start_date == occurrence.end_date:
        return formats.date_format(occurrence.start_date, "D j M Y")
    return f"{formats.date_format(occurrence.start_date, 'D j M')} – {formats.date_format(occurrence.end_date, 'D j M Y')}"


def _abbreviation(moment: dt.datetime, zone: dt.tzinfo) -> str:
    return moment.astimezone(zone).tzname() or ""


@register.simple_tag
def event_when(occurrence: Occurrence, event: Event | None = None, short: bool = False) -> SafeString:
    """"Tue 12 Mar 2024, 18:00–20:00 CET" in the member's zone, plus the event's own time when it differs.
    All-day events show their dates, the same in every zone."""
    event = event or occurrence.event
    if event.all_day:
        return format_html('<span class="cy-when">{} <span class="text-body-secondary">({})</span></span>',
                           _dates(occurrence), _("all day"))
    mine = timezone.get_current_timezone()
    theirs = _zone(event.timezone)
    text = _range(occurrence.start_at, occurrence.end_at, mine)
    label = _abbreviation(occurrence.start_at, mine)
    same = occurrence.start_at.astimezone(mine).utcoffset() == occurrence.start_at.astimezone(theirs).utcoffset() and \
        occurrence.end_at.astimezone(mine).utcoffset() == occurrence.end_at.astimezone(theirs).utcoffset()
    if same or short:
        return format_html('<span class="cy-when"><time datetime="{}">{}</time> {}</span>',
                           occurrence.start_at.isoformat(), text, label)
    there = _range(occurrence.start_at, occurrence.end_at, theirs)
    return format_html(
        '<span class="cy-when"><time datetime="{}">{}</time> {} <span class="d-block small text-body-secondary">'
        "{} {} ({})</span></span>",
        occurrence.start_at.isoformat(), text, label, there, _abbreviation(occurrence.start_at, theirs),
        event.timezone.replace("_", " "),
    )


@register.filter
def local_day(value: dt.datetime) -> dt.date:
    return value.astimezone(timezone.get_current_timezone()).date()
