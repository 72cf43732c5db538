"""Helpers for the access functions of every app: one door to each object."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from courtyard.core.errors import NotFound, PermissionDenied


def require_signed_in(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Please sign in first."), code="not_authenticated")
    if not actor.is_active:
        raise PermissionDenied(_("This account is deactivated."), code="inactive")


def require_admin(actor: Any) -> None:
    require_signed_in(actor)
    if not is_admin(actor):
        raise PermissionDenied(_("Only community admins can do that."))


def is_admin(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active and actor.is_staff)


def parse_id(raw: object) -> int:
    """An id from a URL or a form; anything else is the same 404 as a missing object."""
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        raise NotFound() from None
    if value <= 0 or value > 2**63 - 1:
        raise NotFound()
    return value
