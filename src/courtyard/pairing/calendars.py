"""A coffee match's suggested time as a calendar invitation (.ics), with the events app's iCalendar writer.

One entry per match, whose UID never changes (``coffee-match-<id>@<domain>``) and whose SEQUENCE rises with
each new suggestion, so a calendar that has the entry moves it instead of adding a second one. Everyone of the
match is an attendee, so the file is the same whoever downloads it and each can add it.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from courtyard.core import clock
from courtyard.events.domain import ics
from courtyard.pairing.models import CoffeeMatch


def uid_for(match_id: int) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "courtyard.local"
    return f"coffee-match-{match_id}@{domain}"


def invitation(match: CoffeeMatch, *, url: str) -> bytes:
    """The .ics of the match's suggested time (``match.meet_at`` is set; members loaded with their account)."""
    if match.meet_at is None:
        raise ValueError("no suggested time")
    people = [m.profile for m in match.members.all()]
    names = get_text_list([p.display_name for p in people], _("and"))
    zone = match.meet_suggested_by.timezone if match.meet_suggested_by is not None else "UTC"
    clock_zone = str(clock.safe_zone(zone))  # a zone name; UTC when the suggester's is unknown
    description = "\n\n".join(part for part in (match.starter, url) if part)
    entry = ics.Entry(
        uid=uid_for(match.pk), sequence=match.meet_sequence,
        title=_("Coffee: %(names)s") % {"names": names}, description=description, location=match.meet_note,
        url=url, tz_name=clock_zone, all_day=False, start=match.meet_at,
        end=match.meet_at + dt.timedelta(minutes=match.meet_minutes), start_date=match.meet_at.date(),
        end_date=match.meet_at.date(), cancelled=False, created=match.created_at, modified=clock.now(),
        organizer_name=match.meet_suggested_by.display_name if match.meet_suggested_by is not None else "",
        categories=(match.program.name,),
        attendees=tuple((p.display_name, p.user.email) for p in people if p.user_id),
    )
    return ics.build([entry], name=match.program.name, now=clock.now())
