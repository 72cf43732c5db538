"""Who may see and do what with a kudos: pure rules over plain facts, shared by pages, the API and the selectors.

A kudos is **public** (every signed-in member sees it) unless:

- it is **private**: then only its sender, the people it thanks, and — when the sender chose so — those
  people's managers see it (not even admins: private thanks stay private);
- it names a **private group**: then only those who may read that group (its members, admins) and the sender.

A withdrawn (deleted) kudos is hidden from everyone but community admins, who may restore it.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Standing:
    """A viewer's relation to one kudos, as plain data."""

    is_admin: bool
    is_sender: bool
    is_co_sender: bool
    is_receiver: bool
    is_receivers_manager: bool
    is_private: bool
    shared_with_manager: bool
    deleted: bool
    hidden_private_group: bool  # names a private group the viewer may not read
    names_private_group: bool = False
    viewer_active: bool = True


def can_view(s: Standing) -> bool:
    if s.deleted:
        return s.is_admin
    if s.is_sender:
        return True
    if s.hidden_private_group:
        return False
    if not s.is_private:
        return True
    if s.is_receiver:
        return True
    return s.shared_with_manager and s.is_receivers_manager


def can_plus_one(s: Standing) -> bool:
    """"+1 — I agree": public kudos only, not by its sender or the people it thanks."""
    if not can_view(s) or s.deleted or s.is_private:
        return False
    if s.is_sender or s.is_receiver:
        return False
    return s.viewer_active


def can_react(s: Standing) -> bool:
    return can_view(s) and not s.deleted and s.viewer_active


def can_delete(s: Standing) -> bool:
    """The sender withdraws their own kudos; admins remove any (both kept, admins restore)."""
    if s.deleted:
        return False
    return s.is_sender or s.is_admin


def can_restore(s: Standing) -> bool:
    return s.deleted and s.is_admin


def can_spotlight(s: Standing, *, is_curator: bool) -> bool:
    """Admins and organizers spotlight public kudos only: the digest and newsletter are read by everyone."""
    if not is_curator or s.deleted:
        return False
    return not s.is_private and not s.names_private_group
