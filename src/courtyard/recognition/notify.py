"""What recognition tells people. Every notification goes through notifications.services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.notifications.services import notifications_send_bulk
from courtyard.notifications.targets import recipient_only, register, through
from courtyard.recognition.access import access_kudos
from courtyard.recognition.models import Celebration, Kudos


def _send_many(**kwargs: Any) -> None:
    notifications_send_bulk(**kwargs)


def kudos_received(*, kudos: Kudos, sender_name: str, receivers: Iterable[User], actor: User) -> None:
    recipients = list(receivers)
    if not recipients:
        return
    _send_many(
        recipients=recipients, kind="kudos_received", actor=actor,
        text=_("%(name)s sent you kudos") % {"name": sender_name},
        url=reverse("recognition:detail", args=[kudos.pk]), object_type="kudos", object_id=kudos.pk,
    )


def kudos_agreed(*, kudos: Kudos, sender: User, agreeing_name: str, actor: User) -> None:
    _send_many(
        recipients=[sender], kind="kudos_agreed", actor=actor,
        text=_("%(name)s added +1 to your kudos") % {"name": agreeing_name},
        url=reverse("recognition:detail", args=[kudos.pk]), object_type="kudos", object_id=kudos.pk,
    )


CELEBRATION_TEXTS: dict[str, str] = {
    Celebration.Kind.ANNIVERSARY: "Happy work anniversary! Thank you for your years with us.",
    Celebration.Kind.BIRTHDAY: "Happy birthday from all of us!",
    Celebration.Kind.WELCOME: "Welcome aboard! Colleagues can now greet you on the kudos wall.",
    Celebration.Kind.MILESTONE: "Congratulations on your milestone!",
}


def celebrated(*, celebrations: Iterable[tuple[Celebration, User]]) -> None:
    """One bulk send per kind (a fixed number of queries for any number of people). The job creates each
    celebration once, so no de-duplication by object is needed."""
    by_kind: dict[str, list[User]] = {}
    for celebration, user in celebrations:
        by_kind.setdefault(celebration.kind, []).append(user)
    for kind, users in by_kind.items():
        _send_many(
            recipients=users, kind="celebration", actor=None, text=_(CELEBRATION_TEXTS[kind]),
            url=reverse("recognition:celebrations"), object_type="celebration", object_id=None,
        )


def badge_awarded(*, user: User, badge_name: str, actor: User | None, profile_id: int) -> None:
    _send_many(
        recipients=[user], kind="badge_awarded", actor=actor,
        text=_("You earned the badge “%(badge)s”") % {"badge": badge_name},
        url=reverse("recognition:badges") + f"?person={profile_id}", object_type="badge", object_id=None,
    )


def register_notification_targets() -> None:
    """What recognition's notifications are about: a kudos (private ones for the sender and those thanked
    only), or news about the recipient themselves (a celebration, a badge)."""
    register("kudos", through(access_kudos))
    register("celebration", recipient_only)
    register("badge", recipient_only)
