"""Writes to the activity-facts ledger that insights read (docs/architecture.md, "The activity-facts ledger")."""

from __future__ import annotations

import datetime as dt

from courtyard.core import clock
from courtyard.core.domain.facts import INTERACTION_KEYS, VERB_KEYS
from courtyard.core.models import Interaction, Participation


def participation_record(
    *,
    member_id: int,
    verb: str,
    department_id: int | None,
    occurred_at: dt.datetime | None = None,
    group_id: int | None = None,
    event_id: int | None = None,
    program_id: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
) -> Participation:
    if verb not in VERB_KEYS:
        raise ValueError(f"Unknown activity verb {verb!r}: add it to core/domain/facts.py")
    return Participation.objects.create(
        member_id=member_id,
        verb=verb,
        department_id=department_id,
        occurred_at=occurred_at or clock.now(),
        group_id=group_id,
        event_id=event_id,
        program_id=program_id,
        object_type=object_type,
        object_id=object_id,
    )


def interaction_record(
    *,
    actor_id: int,
    other_id: int,
    kind: str,
    actor_department_id: int | None,
    other_department_id: int | None,
    occurred_at: dt.datetime | None = None,
    group_id: int | None = None,
    event_id: int | None = None,
    program_id: int | None = None,
) -> Interaction | None:
    """Record that two people interacted. Interacting with oneself is not an interaction."""
    if kind not in INTERACTION_KEYS:
        raise ValueError(f"Unknown interaction kind {kind!r}: add it to core/domain/facts.py")
    if actor_id == other_id:
        return None
    return Interaction.objects.create(
        actor_id=actor_id,
        other_id=other_id,
        kind=kind,
        actor_department_id=actor_department_id,
        other_department_id=other_department_id,
        occurred_at=occurred_at or clock.now(),
        group_id=group_id,
        event_id=event_id,
        program_id=program_id,
    )

