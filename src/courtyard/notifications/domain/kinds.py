"""Every kind of notification Courtyard sends, in one place, with whether members get it by default.

A new kind is one more line in KINDS: its key is what callers pass to notification_send, its label and
description are what members see on their settings page. Members store a choice only when it differs
from ``default_on``, so changing a default later reaches everyone who never chose.
"""

from __future__ import annotations

import dataclasses


def _(message: str) -> str:
    """Marks a label for translation (makemessages finds it); the web and API layers translate it when shown.
    Pure Python here, so this module stays free of Django."""
    return message


@dataclasses.dataclass(frozen=True)
class Kind:
    key: str
    label: str
    description: str
    default_on: bool = True
    area: str = ""  # the heading it is listed under on the settings page


def _area(area: str, *kinds: Kind) -> tuple[Kind, ...]:
    return tuple(dataclasses.replace(kind, area=area) for kind in kinds)


KINDS: tuple[Kind, ...] = (
    *_area(
        _("Groups and discussions"),
        Kind("mention", _("Mentions"), _("Someone mentions you with @ in a discussion or a reply.")),
        Kind("reply_to_thread", _("Replies to my discussions"), _("Someone replies to a discussion you started.")),
        Kind("answer_accepted", _("Accepted answers"), _("Your reply is accepted as the answer to a question.")),
        Kind("join_request", _("Join requests"), _("Someone asks to join a group you organize.")),
        Kind("join_approved", _("Approved requests"), _("An organizer lets you into a group.")),
        Kind("group_invitation", _("Group invitations"), _("An organizer invites you to a group.")),
    ),
    *_area(
        _("Events"),
        Kind("event_waitlist_promoted", _("Seats from the waitlist"), _("A seat frees up at an event you are waiting for, and it is yours.")),
        Kind("event_changed", _("Event changes"), _("An event you are going to, might go to or wait for moves to another time or place.")),
        Kind("event_cancelled", _("Event cancellations"), _("An event you are going to, might go to or wait for is cancelled.")),
        Kind("event_reminder", _("Event reminders"), _("A day before (at 09:00 your time) and an hour before an event you are going to or said maybe to.")),
        Kind("event_feedback", _("Event feedback"), _("After an event you attended: two quick questions for the hosts.")),
        Kind("event_host", _("Hosting events"), _("Someone makes you a host of an event.")),
        Kind("event_rsvp_removed", _("Removed from an event"), _("A host takes you off the list of an event you answered.")),
        Kind("event_rsvp_received", _("Answers to my events"), _("Someone answers (or changes their answer to) an event you host."),
             default_on=False),
    ),
    *_area(
        _("Kudos and celebrations"),
        Kind("kudos_received", _("Kudos"), _("Someone thanks you (or your team or group) with kudos.")),
        Kind("kudos_agreed", _("+1 on my kudos"), _("Someone adds “+1 — I agree” to kudos you gave.")),
        Kind("celebration", _("Celebrations"), _("Your work anniversary, birthday, welcome or milestone is celebrated.")),
        Kind("badge_awarded", _("Badges"), _("You earn a badge.")),
    ),
    *_area(
        _("Voice: surveys and ideas"),
        # never an answer, never the author of an anonymous idea
        Kind("survey_opened", _("New surveys"), _("A survey or a pulse you are asked to answer opens.")),
        Kind("survey_reminder", _("Survey reminders"), _("A survey you have not answered yet closes soon.")),
        Kind("idea_update", _("My ideas"), _("Someone comments on an idea you posted openly, or its status changes.")),
        Kind("survey_action", _("You said, we did"), _("Admins publish what they did about a survey you were asked or an idea you voted for.")),
    ),
    *_area(
        _("Connect: coffee, mentoring and teams"),
        Kind("coffee_match", _("Coffee matches"), _("You are paired for coffee, with a first question to ask.")),
        Kind("coffee_follow_up", _("Did you meet?"), _("A few days after a coffee round: did your coffee happen?")),
        Kind("mentorship_match", _("Mentorship matches"), _("A mentorship program pairs you with your mentor or mentee.")),
        Kind("mentorship_rematch", _("Rematch requests"), _("Someone asks for a new match in a mentorship program you run.")),
        Kind("team_placed", _("Team placements"), _("You are placed in a cross-functional team.")),
    ),
)
BY_KEY = {kind.key: kind for kind in KINDS}


def is_known(key: str) -> bool:
    return key in BY_KEY


def enabled(key: str, overrides: dict[str, bool]) -> bool:
    """Whether a member gets this kind: their own choice if they made one, else the default."""
    if key in overrides:
        return overrides[key]
    return BY_KEY[key].default_on


def is_local_path(url: str) -> bool:
    """A link inside this site: an absolute path, never another host (``//host``, ``/\\host``) or a scheme."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    return not any(ch == "\\" or ord(ch) < 32 or ch.isspace() for ch in url)
