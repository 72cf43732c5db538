from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from courtyard.accounts.models import User
from courtyard.notifications.selectors import unread_count


class UnreadBadge:
    """The navbar bell's number, looked up only when a template reads ``.count`` (and then from the cache)."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        return unread_count(self.user)


def notifications(request: HttpRequest) -> dict[str, Any]:
    """Only signed-in members get a bell; everyone else's pages cost nothing here."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_badge": UnreadBadge(user)}
