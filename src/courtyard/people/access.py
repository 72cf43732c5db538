"""The only door to a profile: fetch and authorize in one step."""

from __future__ import annotations

from courtyard.accounts.models import User
from courtyard.core.access import is_admin, parse_id, require_signed_in
from courtyard.core.errors import NotFound, PermissionDenied
from courtyard.people.models import Profile

PHOTO_FOLDER = "photos/"


def actor_profile(actor: User) -> Profile:
    """The signed-in actor's own profile (memoized on the user object for the request). Every app that acts
    as a member uses this one; an account without a profile (a bare superuser) is refused as not allowed,
    not as missing, because the account itself exists."""
    require_signed_in(actor)
    profile: Profile | None = getattr(actor, "_courtyard_profile", None)
    if profile is None:
        profile = Profile.objects.select_related("department").filter(user=actor).first()
        if profile is None:
            raise PermissionDenied("Your account has no profile yet; ask a community admin.")
        actor._courtyard_profile = profile  # type: ignore[attr-defined]
    return profile


def access_profile(actor: User, profile_id: object) -> Profile:
    """A profile the actor may view. Deactivated people are visible to admins only; others get a 404."""
    require_signed_in(actor)
    pk = parse_id(profile_id)
    queryset = Profile.objects.select_related("user", "department", "team", "location", "manager")
    if not is_admin(actor):
        queryset = queryset.filter(is_active=True)
    try:
        return queryset.get(pk=pk)
    except Profile.DoesNotExist:
        raise NotFound("No such person in the directory.") from None


def access_profile_for_edit(actor: User, profile_id: object) -> Profile:
    profile = access_profile(actor, profile_id)
    if not can_edit_profile(actor, profile):
        raise NotFound("No such person in the directory.")
    return profile


def access_own_profile(actor: User) -> Profile:
    require_signed_in(actor)
    try:
        return Profile.objects.select_related("user", "department", "team", "location", "manager").get(user=actor)
    except Profile.DoesNotExist:
        raise NotFound("Your account has no profile yet; ask a community admin.") from None


def can_edit_profile(actor: User, profile: Profile) -> bool:
    if not actor.is_authenticated:
        return False
    if actor.pk == profile.user_id:
        return True
    return is_admin(actor)


def can_see_all_fields(actor: User, profile: Profile) -> bool:
    return can_edit_profile(actor, profile)


def can_view_uploaded_file(actor: User, name: str) -> bool:
    """Only profile photos are served, and a photo follows its profile: a hidden or deactivated person's is not shown."""
    if not name.startswith(PHOTO_FOLDER):
        return False  # photos are the only uploads served; others (e.g. import spools) stay private
    profile = Profile.objects.filter(photo=name).only("id", "user_id", "is_active", "hidden_fields").first()
    if profile is None:
        return False  # a replaced or removed photo that is not deleted yet
    if can_see_all_fields(actor, profile):
        return True
    if not profile.is_active:
        return False
    return "photo" not in profile.hidden_fields
