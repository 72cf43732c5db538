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


KINDS: tuple[Kind, ...] = (
    Kind("mention", _("Mentions"), _("Someone mentions you with @ in a discussion or a reply.")),
    Kind("reply_to_thread", _("Replies to my discussions"), _("Someone replies to a discussion you started.")),
    Kind("answer_accepted", _("Accepted answers"), _("Your reply is accepted as the answer to a question.")),
    Kind("join_request", _("Join requests"), _("Someone asks to join a group you organize.")),
    Kind("join_approved", _("Approved requests"), _("An organizer lets you into a group.")),
    Kind("group_invitation", _("Group invitations"), _("An organizer invites you to a group.")),
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
