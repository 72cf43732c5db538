"""Every automatic badge, defined here and only here.

A badge is earned when a member's count of one verb in the activity-facts ledger (core.models.Participation)
reaches a threshold, optionally only facts with a given ``object_type`` (e.g. mentorships completed *as mentor*).
Reading the ledger, not the events or pairing tables, keeps recognition independent of those apps: any
capability that records the verb feeds the badge. Admins award custom badges besides (recognition.models.Badge).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping


def _(message: str) -> str:
    """Marks a text for translation (makemessages finds it); the pages translate it when shown."""
    return message


@dataclasses.dataclass(frozen=True)
class BadgeDefinition:
    key: str
    name: str
    emoji: str
    description: str
    verb: str
    threshold: int
    object_type: str = ""  # "" counts every fact of the verb

    @property
    def counter(self) -> tuple[str, str]:
        return (self.verb, self.object_type)


BADGES: tuple[BadgeDefinition, ...] = (
    BadgeDefinition("first_kudos", _("First thanks"), "🙌", _("Gave kudos for the first time."), "gave_kudos", 1),
    BadgeDefinition("kudos_10", _("Appreciated"), "🌟", _("Received 10 kudos."), "received_kudos", 10),
    BadgeDefinition("host", _("Host"), "🎤", _("Hosted an event."), "hosted_event", 1),
    BadgeDefinition(
        "mentor", _("Mentor"), "🧭", _("Mentored a cohort to the end of a mentorship program."),
        "completed_mentorship", 1, object_type="mentor",
    ),
    BadgeDefinition("helper_10", _("Helper"), "💡", _("Had 10 replies accepted as the answer to a question."), "answered", 10),
)
BY_KEY = {badge.key: badge for badge in BADGES}
VERBS = frozenset(badge.verb for badge in BADGES)


def earned(counts: Mapping[tuple[str, str], int]) -> list[str]:
    """The keys of the badges these counts earn. ``counts`` maps (verb, object_type) to a number; the
    (verb, "") entry counts every fact of the verb."""
    return [badge.key for badge in BADGES if counts.get(badge.counter, 0) >= badge.threshold]
