"""Every kind of notification Courtyard sends, in one place, with whether members get it by default."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Kind:
    key: str
    label: str
    description: str
    default_on: bool = True


KINDS: tuple[Kind, ...] = (
    Kind("mention", "Mentions", "Someone mentions you with @ in a discussion or a reply."),
    Kind("reply_to_thread", "Replies to my discussions", "Someone replies to a discussion you started."),
    Kind("answer_accepted", "Accepted answers", "Your reply is accepted as the answer to a question."),
    Kind("join_request", "Join requests", "Someone asks to join a group you organize."),
    Kind("join_approved", "Approved requests", "An organizer lets you into a group."),
    Kind("group_invitation", "Group invitations", "An organizer invites you to a group."),
)
BY_KEY = {kind.key: kind for kind in KINDS}


def is_known(key: str) -> bool:
    return key in BY_KEY


def enabled(key: str, overrides: dict[str, bool]) -> bool:
    """Whether a member gets this kind: their own choice if they made one, else the default."""
    if key in overrides:
        return overrides[key]
    return BY_KEY[key].default_on
