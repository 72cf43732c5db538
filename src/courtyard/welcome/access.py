"""The only door to a buddy pairing, and who may do what with it (docs/welcome.md, "Who sees what").

A pairing exists for four people: the newcomer, the buddy, the newcomer's manager and community admins.
Anyone else gets the same 404 as for a pairing that does not exist.
"""

from __future__ import annotations

from courtyard.accounts.models import User
from courtyard.core.access import is_admin, parse_id, require_signed_in
from courtyard.core.errors import ApplicationError, NotFound
from courtyard.people.access import actor_profile
from courtyard.welcome.models import Buddying

__all__ = ["access_buddying", "actor_profile", "can_change_buddy", "can_mark_met", "can_see_buddying"]


def access_buddying(actor: User, buddying_id: object) -> Buddying:
    require_signed_in(actor)
    pk = parse_id(buddying_id)
    buddying = (
        Buddying.objects.select_related("newcomer", "newcomer__user", "buddy", "buddy__user", "newcomer__manager")
        .filter(pk=pk)
        .first()
    )
    if buddying is None or not can_see_buddying(actor, buddying):
        raise NotFound("No such buddy pairing.")
    return buddying


def _profile_id(actor: User) -> int | None:
    if not actor.is_authenticated:
        return None
    profile = getattr(actor, "_courtyard_profile", None)
    if profile is not None:
        return int(profile.pk)
    try:
        return int(actor_profile(actor).pk)
    except ApplicationError:  # an account without a profile is nobody's newcomer, buddy or manager
        return None


def _is_manager(actor: User, buddying: Buddying) -> bool:
    me = _profile_id(actor)
    return me is not None and buddying.newcomer.manager_id == me


def _is_pair(actor: User, buddying: Buddying) -> bool:
    return actor.is_authenticated and actor.pk in (buddying.newcomer.user_id, buddying.buddy.user_id)


def can_see_buddying(actor: User, buddying: Buddying) -> bool:
    if not buddying.newcomer.is_active:
        return is_admin(actor)
    if _is_pair(actor, buddying):
        return True
    if _is_manager(actor, buddying):
        return True
    return is_admin(actor)


def can_change_buddy(actor: User, buddying: Buddying) -> bool:
    """The newcomer's manager and community admins; not the newcomer or the buddy themselves."""
    if _is_manager(actor, buddying):
        return True
    return is_admin(actor)


def can_mark_met(actor: User, buddying: Buddying) -> bool:
    """Only the two of them say they met."""
    return _is_pair(actor, buddying)
