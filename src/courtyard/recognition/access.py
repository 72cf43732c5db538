"""The only doors to kudos, values, badges and spotlight entries: fetch and authorize in one step.

A kudos someone may not see (private and not theirs, naming a private group they cannot read, withdrawn) is the
same 404 as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core.access import is_admin, parse_id, require_admin, require_signed_in
from courtyard.core.errors import NotFound, PermissionDenied
from courtyard.groups.selectors import organizes_any_group, readable_group_ids
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile
from courtyard.recognition.domain import rules
from courtyard.recognition.models import (
    Badge,
    Kudos,
    KudosCoSender,
    KudosReceiver,
    KudosRecipient,
    SpotlightEntry,
    Value,
)

# A kudos to a members-only group is said to its members: it stays with those who may read the group.
MEMBERS_ONLY = "members"  # groups.models.Group.ReadAccess.MEMBERS


def me(actor: User) -> Profile:
    """The actor's own profile (cached on the user for the request)."""
    return actor_profile(actor)


def _with_standing(queryset: QuerySet[Kudos], actor: User, profile_id: int) -> QuerySet[Kudos]:
    """Annotate what rules.Standing needs, so fetching and authorizing a kudos is one query."""
    private_groups = KudosRecipient.objects.filter(kudos=OuterRef("pk"), group__read_access=MEMBERS_ONLY)
    return queryset.annotate(
        viewer_receives=Exists(KudosReceiver.objects.filter(kudos=OuterRef("pk"), profile_id=profile_id)),
        viewer_co_sends=Exists(KudosCoSender.objects.filter(kudos=OuterRef("pk"), profile_id=profile_id)),
        viewer_manages=Exists(KudosReceiver.objects.filter(kudos=OuterRef("pk"), profile__manager_id=profile_id)),
        names_private_group=Exists(private_groups),
        hides_private_group=Exists(private_groups.exclude(group_id__in=readable_group_ids(actor))),
    )


def standing_of(actor: User, kudos: Kudos, profile_id: int) -> rules.Standing:
    """The actor's standing towards a kudos fetched through access_kudos (its annotations)."""
    return rules.Standing(
        is_admin=is_admin(actor),
        is_sender=kudos.sender_id == profile_id,
        is_co_sender=bool(getattr(kudos, "viewer_co_sends", False)),
        is_receiver=bool(getattr(kudos, "viewer_receives", False)),
        is_receivers_manager=bool(getattr(kudos, "viewer_manages", False)),
        is_private=kudos.is_private,
        shared_with_manager=kudos.share_with_manager,
        deleted=kudos.deleted_at is not None,
        hidden_private_group=bool(getattr(kudos, "hides_private_group", False)),
        names_private_group=bool(getattr(kudos, "names_private_group", False)),
        viewer_active=actor.is_active,
    )


def access_kudos(actor: User, kudos_id: object, *, include_deleted: bool = False) -> tuple[Kudos, rules.Standing]:
    """A kudos the actor may see, with their standing towards it."""
    require_signed_in(actor)
    pk = parse_id(kudos_id)
    profile = me(actor)
    queryset = Kudos.objects.select_related("sender", "sender__department", "value").filter(pk=pk)
    kudos = _with_standing(queryset, actor, profile.pk).first()
    if kudos is None:
        raise NotFound(_("No such kudos."))
    current = standing_of(actor, kudos, profile.pk)
    if not rules.can_view(current):
        raise NotFound(_("No such kudos."))
    if current.deleted and not include_deleted:
        raise NotFound(_("This kudos was withdrawn."))
    return kudos, current


def visible_kudos(actor: User) -> QuerySet[Kudos]:
    """Every kudos the actor may see on the wall (rules.can_view as a query), withdrawn ones left out."""
    require_signed_in(actor)
    cached = getattr(actor, "_courtyard_profile", None)
    # The actor's profile as a subquery when it is not loaded yet: one query less on pages that never need it.
    profile_id: Any = cached.pk if cached is not None else Subquery(Profile.objects.filter(user=actor).values("pk")[:1])
    hidden_group = KudosRecipient.objects.filter(kudos=OuterRef("pk"), group__read_access=MEMBERS_ONLY).exclude(
        group_id__in=readable_group_ids(actor)
    )
    receives = KudosReceiver.objects.filter(kudos=OuterRef("pk"), profile_id=profile_id)
    manages = KudosReceiver.objects.filter(kudos=OuterRef("pk"), profile__manager_id=profile_id)
    return Kudos.objects.filter(deleted_at__isnull=True).filter(
        Q(sender_id=profile_id)
        | (
            ~Exists(hidden_group)
            & (Q(is_private=False) | Exists(receives) | (Q(share_with_manager=True) & Exists(manages)))
        )
    )


def is_curator(actor: User) -> bool:
    """Admins and organizers (of any group) curate the spotlight."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if is_admin(actor):
        return True
    return organizes_any_group(actor)


def require_curator(actor: User) -> None:
    require_signed_in(actor)
    if not is_curator(actor):
        raise PermissionDenied(_("Only community admins and organizers curate the spotlight."))


def access_value(actor: User, value_id: object) -> Value:
    """A value to change: admins only."""
    require_admin(actor)
    value = Value.objects.filter(pk=parse_id(value_id)).first()
    if value is None:
        raise NotFound(_("No such value."))
    return value


def access_badge(actor: User, badge_id: object) -> Badge:
    """A custom badge to change or award: admins only."""
    require_admin(actor)
    badge = Badge.objects.filter(pk=parse_id(badge_id)).first()
    if badge is None:
        raise NotFound(_("No such badge."))
    return badge


def access_spotlight_entry(actor: User, entry_id: object) -> SpotlightEntry:
    require_curator(actor)
    entry = SpotlightEntry.objects.filter(pk=parse_id(entry_id), removed_at__isnull=True).first()
    if entry is None:
        raise NotFound(_("No such spotlight entry."))
    return entry


def access_recipient(actor: User, profile_id: object) -> Profile:
    """A person the actor may thank or look up: active members only (deactivated people are a 404)."""
    require_signed_in(actor)
    profile = Profile.objects.select_related("department", "user").filter(pk=parse_id(profile_id), is_active=True).first()
    if profile is None:
        raise NotFound(_("No such person in the directory."))
    return profile


def is_manager(profile: Profile) -> bool:
    return Profile.objects.filter(manager=profile, is_active=True).exists()
