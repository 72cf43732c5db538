"""What pairing tells people. Every notification goes through notifications.services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.notifications.services import notifications_send_bulk
from courtyard.notifications.targets import register, through
from courtyard.pairing.access import access_coffee_match, access_mentorship, access_program
from courtyard.people.models import Profile


def _send_many(**kwargs: Any) -> None:
    notifications_send_bulk(**kwargs)


def _names(people: Sequence[Profile]) -> str:
    names = [p.display_name for p in people]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def coffee_paired(*, program_name: str, match_id: int, members: Sequence[Profile], starter: str) -> None:
    """The people of a new pair or group hear who meets and a first question to ask (one notification
    per match, naming everyone in it, so a large round costs a few queries per match, not per person)."""
    text = _("Coffee this round (%(program)s): %(names)s. %(starter)s") % {
        "program": program_name, "names": _names(members), "starter": starter,
    }
    _send_many(recipients=[p.user for p in members], kind="coffee_match", actor=None, text=text[:300],
               url=reverse("pairing:coffee_match", args=[match_id]), object_type="coffee_match", object_id=match_id)


def coffee_follow_up(*, match_id: int, members: Sequence[Profile]) -> None:
    _send_many(recipients=[p.user for p in members], kind="coffee_follow_up", actor=None,
               text=(_("Did your coffee happen? %(names)s: tell us if you met.") % {"names": _names(members)})[:300],
               url=reverse("pairing:coffee_match", args=[match_id]), object_type="coffee_match", object_id=match_id)


def coffee_time_suggested(*, program_name: str, match_id: int, suggested_by: Profile, others: Sequence[Profile],
                          start: dt.datetime) -> None:
    """The others of a match hear when one of them suggests a time, in their own time zone, with the page
    where they add it to their calendar."""
    url = reverse("pairing:coffee_match", args=[match_id])
    for person in others:
        local = start.astimezone(clock.safe_zone(person.timezone))
        when = formats.date_format(local.replace(tzinfo=None), "l j F Y, H:i")  # as the match page shows it
        text = _("%(program)s: %(name)s suggests meeting on %(when)s (%(zone)s). Add it to your calendar.") % {
            "program": program_name, "name": suggested_by.display_name, "when": when,
            "zone": local.tzname() or person.timezone,
        }
        _send_many(recipients=[person.user], kind="coffee_time", actor=suggested_by.user, text=text[:300], url=url,
                   object_type="coffee_match", object_id=match_id)


def mentorship_published(*, program_name: str, match_id: int, mentor: Profile, mentee: Profile, actor: User) -> None:
    url = reverse("pairing:mentorship", args=[match_id])
    _send_many(recipients=[mentee.user], kind="mentorship_match", actor=actor,
               text=(_("%(program)s: %(name)s is your mentor.") % {"program": program_name, "name": mentor.display_name})[:300],
               url=url, object_type="mentorship", object_id=match_id)
    _send_many(recipients=[mentor.user], kind="mentorship_match", actor=actor,
               text=(_("%(program)s: you are mentoring %(name)s.") % {"program": program_name, "name": mentee.display_name})[:300],
               url=url, object_type="mentorship", object_id=match_id)


def mentorship_rematch(*, program_id: int, program_name: str, owner: Profile | None, asked_by: Profile) -> None:
    if owner is None:
        return
    _send_many(recipients=[owner.user], kind="mentorship_rematch", actor=asked_by.user,
               text=(_("%(name)s asked for a rematch in %(program)s.") % {"name": asked_by.display_name,
                                                                          "program": program_name})[:300],
               url=reverse("pairing:review", args=[program_id]), object_type="program", object_id=program_id)


def team_published(*, program_name: str, program_id: int, team_name: str, members: Sequence[Profile], actor: User) -> None:
    if not members:
        return
    _send_many(recipients=[p.user for p in members], kind="team_placed", actor=actor,
               text=(_("%(program)s: you are in %(team)s.") % {"program": program_name, "team": team_name})[:300],
               url=reverse("pairing:program", args=[program_id]), object_type="program", object_id=program_id)


def register_notification_targets() -> None:
    """What pairing's notifications are about: a match only its people read, a program its audience reads."""
    register("coffee_match", through(access_coffee_match))
    register("mentorship", through(access_mentorship))
    register("program", through(access_program))
