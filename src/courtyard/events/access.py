"""The only doors to events and occurrences: fetch and authorize in one step.

An event the actor may not see is the same 404 as one that does not exist, whatever the way in (pages,
the API, .ics downloads, photos). Group events follow the group's rules through groups.access.
"""

from __future__ import annotations

from courtyard.accounts.models import User
from courtyard.core.access import is_admin, parse_id, require_signed_in
from courtyard.core.errors import NotFound, PermissionDenied
from courtyard.events.domain import rules
from courtyard.events.models import Event, EventHost, Media, Occurrence, Rsvp
from courtyard.groups import access as group_access
from courtyard.groups.domain import rules as group_rules
from courtyard.groups.models import Group

NOT_FOUND = "No such event."


def standing(actor: User, event: Event, *, is_host: bool | None = None) -> rules.Standing:
    """The actor's standing towards an event, from their hosting and their standing in its group."""
    admin = is_admin(actor)
    if is_host is None:
        is_host = EventHost.objects.filter(event=event, profile__user=actor).exists()
    group: Group | None = event.group
    if group is None:
        return rules.Standing(is_admin=admin, is_host=is_host)
    current = group_access.standing(actor, group)
    return rules.Standing(
        is_admin=admin, is_host=is_host, has_group=True, group_readable=group_rules.can_read(current),
        group_member=current.is_member, group_manager=group_rules.can_manage(current),
        members_only=event.visibility == Event.Visibility.GROUP, group_archived=current.archived,
    )


def access_event(actor: User, event_id: object) -> tuple[Event, rules.Standing]:
    require_signed_in(actor)
    event = Event.objects.select_related("group").filter(pk=parse_id(event_id)).first()
    if event is None:
        raise NotFound(NOT_FOUND)
    current = standing(actor, event)
    if not rules.can_see(current):
        raise NotFound(NOT_FOUND)
    return event, current


def access_occurrence(actor: User, occurrence_id: object, *, event_id: object | None = None) -> tuple[Occurrence, rules.Standing]:
    """An occurrence the actor may see; with ``event_id``, it must also belong to that event (URLs name both)."""
    require_signed_in(actor)
    occurrence = Occurrence.objects.select_related("event", "event__group").filter(pk=parse_id(occurrence_id)).first()
    if occurrence is None or (event_id is not None and occurrence.event_id != parse_id(event_id)):
        raise NotFound(NOT_FOUND)
    current = standing(actor, occurrence.event)
    if not rules.can_see(current):
        raise NotFound(NOT_FOUND)
    return occurrence, current


def access_media(actor: User, event: Event, media_id: object) -> Media:
    media = Media.objects.filter(event=event, pk=parse_id(media_id), deleted_at__isnull=True).first()
    if media is None:
        raise NotFound("No such photo or link.")
    return media


def rsvp_in(occurrence: Occurrence, rsvp_id: object) -> Rsvp:
    rsvp = Rsvp.objects.select_related("profile").filter(occurrence=occurrence, pk=parse_id(rsvp_id)).first()
    if rsvp is None:
        raise NotFound("No such answer.")
    return rsvp


def check(allowed: bool, message: str = "You are not allowed to do that.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_manager(current: rules.Standing, message: str = "Only the event's hosts can do that.") -> None:
    check(rules.can_manage(current), message)


def can_create_in_group(actor: User, group: Group) -> bool:
    """Active members of a group (not archived) may host its events; admins too must join first, as for posts."""
    return group_rules.can_post(group_access.standing(actor, group))
