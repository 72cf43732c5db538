"""What a notification is about, and whether its recipient may read that now.

A notification copies words from its target (a thread's title, an event's name, a survey's title) into its
text. Those words may only reach someone who may read the target itself, so every notification names its
target (``object_type`` and ``object_id``) and this module answers, for a member and a target, "may they read
it?" twice: when the notification is made (nobody who cannot read the target gets one) and whenever it is
shown or followed (someone who lost access since, by leaving a private group say, sees a neutral line instead
of the words and is not sent to the address).

Each app registers how to check its own targets from its ``AppConfig.ready()``, through its own access
functions, so this module imports no app and the rules stay in one place per app. A target type nobody
registered is refused when sending: a new kind of notification cannot skip the check by accident.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courtyard.accounts.models import User
from courtyard.core.errors import ApplicationError

# May this member read the target with this id? Usually an app's access function that raises its 404.
Readable = Callable[[User, int | None], bool]
# Of these members, the pks of those who may read the target (a faster form for large sends, optional).
Readers = Callable[[int | None, Sequence[User]], set[int]]


@dataclasses.dataclass(frozen=True)
class Target:
    object_type: str
    readable: Readable
    readers: Readers | None = None


_TARGETS: dict[str, Target] = {}


def register(object_type: str, readable: Readable, *, readers: Readers | None = None) -> None:
    """Declare how to tell whether a member may read targets of ``object_type`` (called from ready())."""
    _TARGETS[object_type] = Target(object_type=object_type, readable=readable, readers=readers)


def unregister(object_type: str) -> None:
    _TARGETS.pop(object_type, None)


def registered() -> dict[str, Target]:
    return dict(_TARGETS)


def through(access: Callable[[User, Any], Any]) -> Readable:
    """A check made of an app's access function: readable unless it refuses (a 404, a 403, a deactivation)."""

    def readable(user: User, object_id: int | None) -> bool:
        if object_id is None:
            return False
        try:
            access(user, object_id)
        except ApplicationError:
            return False
        return True

    return readable


def recipient_only(user: User, object_id: int | None) -> bool:
    """For news about the member themselves (their celebration, their badge): theirs to read while active."""
    return bool(user.is_active)


def _target(object_type: str) -> Target:
    target = _TARGETS.get(object_type)
    if target is None:
        raise ValueError(f"no readability check is registered for notification targets of type {object_type!r}")
    return target


def require_registered(object_type: str) -> None:
    _target(object_type)


def readers_of(object_type: str, object_id: int | None, users: Sequence[User]) -> set[int]:
    """The pks of those ``users`` who may read the target now."""
    target = _target(object_type)
    if target.readers is not None:
        return target.readers(object_id, users)
    return {user.pk for user in users if target.readable(user, object_id)}


def readable_keys(user: User, keys: Iterable[tuple[str, int | None]]) -> set[tuple[str, int | None]]:
    """Which of these (type, id) targets the member may read now: each distinct target checked once. A type
    no longer registered (an app removed) counts as unreadable."""
    readable: set[tuple[str, int | None]] = set()
    for key in set(keys):
        target = _TARGETS.get(key[0])
        if target is not None and target.readable(user, key[1]):
            readable.add(key)
    return readable


NEUTRAL_TEXT = gettext_noop("You no longer have access to this item.")


def withhold_unreadable(user: User, notifications: Sequence[Any], *, home: str) -> None:
    """Replace, in memory only, what a notification would tell about a target the member cannot read now: a
    neutral line, no actor, and the notifications list as its address. ``withheld`` says which ones.
    The stored row keeps its words, so access regained shows them again."""
    by_key: dict[tuple[str, int | None], list[Any]] = defaultdict(list)
    for notification in notifications:
        notification.withheld = False
        by_key[(notification.object_type, notification.object_id)].append(notification)
    allowed = readable_keys(user, by_key)
    for key, items in by_key.items():
        if key in allowed:
            continue
        for notification in items:
            notification.withheld = True
            notification.text = _(NEUTRAL_TEXT)
            notification.url = home
            notification.actor = None
            notification.actor_id = None
