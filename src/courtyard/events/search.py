"""How an event appears in the search index (search.services asks here for events).

Only organization-wide events are indexed (events.services.events._search decides): the index lets the
readers of a group find its documents, and "members of the group only" is narrower than the readers of an
open group. An organization-wide event of a group carries the group, so a private group's stays private.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from courtyard.events.models import Event


def event_document(event: Event) -> dict[str, Any]:
    return {
        "group_id": event.group_id, "title": event.title, "body": event.description,
        "author_id": event.created_by_id, "url": reverse("events:detail", args=[event.pk]),
        "created_at": event.created_at, "extra": " ".join(filter(None, [str(event.get_kind_display()), event.place])),
    }


def events_to_index() -> Iterator[Event]:
    yield from Event.objects.filter(visibility=Event.Visibility.ORGANIZATION).iterator(chunk_size=2000)
