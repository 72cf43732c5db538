"""How an event appears in search (``courtyard.search.registry``); registered from ``EventsConfig.ready()``.

Only organization-wide events are indexed: the index lets the readers of a group find its documents, and
"members of the group only" is narrower than the readers of an open group (such events stay findable in the
events list, for members). An organization-wide event of a group carries the group, so a private group's
stays private: events are found under the same rule as a group's content.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from courtyard.events.models import Event
from courtyard.groups.search import readable_in_groups
from courtyard.search.registry import Document, DocumentProvider, provider_register


def event_document(event: Event) -> Document:
    return Document(
        group_id=event.group_id, title=event.title, body=event.description, author_id=event.created_by_id,
        url=reverse("events:detail", args=[event.pk]), created_at=event.created_at,
        extra=" ".join(filter(None, [str(event.get_kind_display()), event.place])),
    )


def events_to_index() -> Iterator[Event]:
    return Event.objects.filter(visibility=Event.Visibility.ORGANIZATION).iterator(chunk_size=2000)


def event_is_indexed(event: Event) -> bool:
    return event.visibility == Event.Visibility.ORGANIZATION


def register() -> None:
    provider_register(DocumentProvider("event", event_document, events_to_index, event_is_indexed, readable_in_groups))
