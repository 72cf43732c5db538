"""Every kind of notification Courtyard sends, in one place, with the channel members get it on by default.

A new kind is one more line in KINDS: its key is what callers pass to notification_send, its label and
description are what members see on their settings page. Each kind reaches a member on one channel:

- ``app``: in the app only (the bell and the notifications list);
- ``email``: in the app, and by email soon after (several notices within a few minutes make one email);
- ``digest``: in the app, and in the member's periodic digest (the digest itself comes in a later step);
- ``off``: not at all.

Members store a choice only when it differs from ``default_channel``, so changing a default later reaches
everyone who never chose.
"""

from __future__ import annotations

import dataclasses


def _(message: str) -> str:
    """Marks a label for translation (makemessages finds it); the web and API layers translate it when shown.
    Pure Python here, so this module stays free of Django."""
    return message


APP = "app"
EMAIL = "email"
DIGEST = "digest"
OFF = "off"
CHANNELS: tuple[str, ...] = (APP, EMAIL, DIGEST, OFF)
CHANNEL_LABELS: dict[str, str] = {
    APP: _("In the app only"),
    EMAIL: _("Email now"),
    DIGEST: _("In my digest"),
    OFF: _("Off"),
}


@dataclasses.dataclass(frozen=True)
class Kind:
    key: str
    label: str
    description: str
    default_channel: str = DIGEST
    area: str = ""  # the heading it is listed under on the settings page

    @property
    def default_on(self) -> bool:
        return self.default_channel != OFF


def _area(area: str, *kinds: Kind) -> tuple[Kind, ...]:
    return tuple(dataclasses.replace(kind, area=area) for kind in kinds)


KINDS: tuple[Kind, ...] = (
    *_area(
        _("Groups and discussions"),
        Kind("mention", _("Mentions"), _("Someone mentions you with @ in a discussion or a reply."), EMAIL),
        Kind("reply_to_thread", _("Replies to my discussions"), _("Someone replies to a discussion you started."), EMAIL),
        Kind("answer_accepted", _("Accepted answers"), _("Your reply is accepted as the answer to a question."), EMAIL),
        Kind("join_request", _("Join requests"), _("Someone asks to join a group you organize.")),
        Kind("join_approved", _("Approved requests"), _("An organizer lets you into a group.")),
        Kind("group_invitation", _("Group invitations"), _("An organizer invites you to a group.")),
    ),
    *_area(
        _("Events"),
        Kind("event_waitlist_promoted", _("Seats from the waitlist"), _("A seat frees up at an event you are waiting for, and it is yours."), EMAIL),
        Kind("event_changed", _("Event changes"), _("An event you are going to, might go to or wait for moves to another time or place."), EMAIL),
        Kind("event_cancelled", _("Event cancellations"), _("An event you are going to, might go to or wait for is cancelled."), EMAIL),
        Kind("event_reminder", _("Event reminders"), _("A day before (at 09:00 your time) and an hour before an event you are going to or said maybe to.")),
        Kind("event_feedback", _("Event feedback"), _("After an event you attended: two quick questions for the hosts.")),
        Kind("event_host", _("Hosting events"), _("Someone makes you a host of an event.")),
        Kind("event_rsvp_removed", _("Removed from an event"), _("A host takes you off the list of an event you answered."), EMAIL),
        Kind("event_rsvp_received", _("Answers to my events"), _("Someone answers (or changes their answer to) an event you host."), OFF),
    ),
    *_area(
        _("Kudos and celebrations"),
        Kind("kudos_received", _("Kudos"), _("Someone thanks you (or your team or group) with kudos."), EMAIL),
        Kind("kudos_agreed", _("+1 on my kudos"), _("Someone adds “+1 — I agree” to kudos you gave.")),
        Kind("celebration", _("Celebrations"), _("Your work anniversary, birthday, welcome or milestone is celebrated.")),
        Kind("badge_awarded", _("Badges"), _("You earn a badge.")),
    ),
    *_area(
        _("Voice: surveys and ideas"),
        # never an answer, never the author of an anonymous idea
        Kind("survey_opened", _("New surveys"), _("A survey or a pulse you are asked to answer opens."), EMAIL),
        Kind("survey_reminder", _("Survey reminders"), _("A survey you have not answered yet closes soon.")),
        Kind("idea_update", _("My ideas"), _("Someone comments on an idea you posted openly, or its status changes.")),
        Kind("survey_action", _("You said, we did"), _("Admins publish what they did about a survey you were asked or an idea you voted for.")),
    ),
    *_area(
        _("Connect: coffee, mentoring and teams"),
        Kind("coffee_match", _("Coffee matches"), _("You are paired for coffee, with a first question to ask."), EMAIL),
        Kind("coffee_follow_up", _("Did you meet?"), _("A few days after a coffee round: did your coffee happen?")),
        Kind("coffee_time", _("Coffee times"), _("Someone you are paired with suggests a time to meet."), EMAIL),
        Kind("mentorship_match", _("Mentorship matches"), _("A mentorship program pairs you with your mentor or mentee."), EMAIL),
        Kind("mentorship_rematch", _("Rematch requests"), _("Someone asks for a new match in a mentorship program you run.")),
        Kind("team_placed", _("Team placements"), _("You are placed in a cross-functional team.")),
    ),
    *_area(
        _("Welcome: newcomers and buddies"),
        Kind("buddy_introduced", _("Buddy introductions"), _("A newcomer and their buddy are introduced, with first steps to take."), EMAIL),
        Kind("newcomer_nudge", _("Newcomers to look after"), _("A newcomer you manage or are buddy to has made no connection after three weeks.")),
    ),
)
BY_KEY = {kind.key: kind for kind in KINDS}


def is_known(key: str) -> bool:
    return key in BY_KEY


def channel(key: str, overrides: dict[str, str]) -> str:
    """The channel a member gets this kind on: their own choice if they made one, else the default."""
    chosen = overrides.get(key)
    if chosen in CHANNELS:
        return chosen
    return BY_KEY[key].default_channel


def enabled(key: str, overrides: dict[str, str]) -> bool:
    """Whether a member gets this kind at all (on any channel)."""
    return channel(key, overrides) != OFF


def channel_from_choice(key: str, choice: bool | str, current: str) -> str | None:
    """The channel a choice asks for, or None when the choice means nothing. A channel name is itself; the
    older on/off form still works: ``False`` is off, ``True`` keeps the current channel when it is one,
    else the kind's default."""
    if isinstance(choice, bool):
        if not choice:
            return OFF
        if current != OFF:
            return current
        default = BY_KEY[key].default_channel
        return default if default != OFF else APP
    if choice in CHANNELS:
        return choice
    return None


def is_local_path(url: str) -> bool:
    """A link inside this site: an absolute path, never another host (``//host``, ``/\\host``) or a scheme."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return False
    return not any(ch == "\\" or ord(ch) < 32 or ch.isspace() for ch in url)
