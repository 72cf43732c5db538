"""Notifications as JSON: only ever the caller's own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Body, Field, Query, Router, Schema

from courtyard.accounts.http import ApiRequest
from courtyard.core.pagination import cursor_checked
from courtyard.notifications import selectors, services
from courtyard.notifications.access import access_notification
from courtyard.notifications.models import Notification

router = Router()


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="One of the kinds listed by GET /api/notifications/preferences")
    text: str
    url: str = Field(description="A path on this site: what the notification is about (the notifications list "
                     "when you can no longer read it; the text then says so and names nothing)")
    open_url: str = Field(description="A path that marks the notification read and redirects to url")
    actor_id: int | None = Field(description="The user whose action caused it, if any")
    created_at: dt.datetime
    read: bool


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next (older) page; null on the last")
    unread: int


class UnreadOut(Schema):
    unread: int


class PreferenceOut(Schema):
    kind: str
    label: str
    description: str
    area: str = Field(description="The heading the kind is listed under (events, kudos, …)")
    enabled: bool


def out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk, "kind": n.kind, "text": n.text, "url": n.url,
        "open_url": reverse("notifications:open", args=[n.pk]), "actor_id": n.actor_id,
        "created_at": n.created_at, "read": n.read_at is not None,
    }


@router.get("/", response=NotificationPage, summary="Your notifications, newest first (cursor pagination)")
def notification_list(request: ApiRequest, cursor: str = Query("", max_length=200)) -> dict[str, Any]:
    with cursor_checked():
        page = selectors.notifications_page(request.auth, cursor or None)
    return {
        "items": [out(n) for n in page["items"]], "next_cursor": page["next_cursor"],
        "unread": selectors.unread_count(request.auth),
    }


@router.get("/unread", response=UnreadOut, summary="How many of your notifications are unread")
def unread(request: ApiRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(request.auth)}


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one of yours as read")
def mark_read(request: ApiRequest, notification_id: int) -> dict[str, Any]:
    notification = access_notification(request.auth, notification_id)
    services.notification_mark_read(actor=request.auth, notification=notification)
    return out(selectors.notification_shown(request.auth, notification))


@router.post("/read-all", response=UnreadOut, summary="Mark all of yours as read")
def mark_all_read(request: ApiRequest) -> dict[str, int]:
    services.notifications_mark_all_read(actor=request.auth)
    return {"unread": 0}


@router.get("/preferences", response=list[PreferenceOut], summary="Which kinds of notification you get")
def preferences(request: ApiRequest) -> list[dict[str, Any]]:
    return selectors.preferences_of(request.auth)


@router.put(
    "/preferences", response=list[PreferenceOut],
    summary="Turn kinds on or off",
    description='A map of kind to true/false, e.g. {"mention": false}; kinds left out keep their setting.',
)
def preferences_set(request: ApiRequest, payload: Body[dict[str, bool]]) -> list[dict[str, Any]]:
    services.preferences_set(actor=request.auth, choices=payload)
    return selectors.preferences_of(request.auth)
