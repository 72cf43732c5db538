"""Who may do what with an event: pure rules over plain facts, shared by pages, the API, feeds and search.

An event of a group follows the group's own access rules (groups.domain.rules, applied by events.access):
it is invisible to anyone who may not read the group (a private group's events are a 404 to outsiders
everywhere), and an event marked "members of the group only" is also invisible to people who may read
the group but are not its members. Hosts always see their own events; community admins see everything.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Standing:
    is_admin: bool = False
    is_host: bool = False
    has_group: bool = False
    group_readable: bool = True  # groups.rules.can_read on the event's group
    group_member: bool = False  # an active member of the event's group
    group_manager: bool = False  # groups.rules.can_manage on the event's group (organizers)
    members_only: bool = False  # the event's visibility is "members of the group"
    group_archived: bool = False


def can_see(s: Standing) -> bool:
    if s.is_admin or s.is_host:
        return True
    if not s.has_group:
        return True
    if not s.group_readable:
        return False
    if s.members_only:
        return s.group_member
    return True


def can_manage(s: Standing) -> bool:
    """Edit the event, change or cancel dates, check people in, export the list, read the feedback."""
    if not can_see(s):
        return False
    return s.is_host or s.is_admin or s.group_manager


def can_rsvp(s: Standing) -> bool:
    return can_see(s)


def can_see_attendees(s: Standing, hidden: bool) -> bool:
    if not can_see(s):
        return False
    return not hidden or can_manage(s)


def can_add_media(s: Standing, attended: bool) -> bool:
    """Photos and links of a past event: its hosts and the people who came."""
    return can_manage(s) or (can_see(s) and attended)
