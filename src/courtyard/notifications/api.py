from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Body, Query, Router, Schema

from courtyard.core.errors import ApplicationError
from courtyard.core.http import ApiRequest
from courtyard.notifications import selectors, services

router = Router()


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    open_url: str
    actor_id: int | None
    created_at: dt.datetime
    read: bool


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None
    unread: int


class UnreadOut(Schema):
    unread: int


class PreferenceOut(Schema):
    kind: str
    label: str
    description: str
    enabled: bool



def out(n: Any) -> dict[str, Any]:
    return {"id": n.pk, "kind": n.kind, "text": n.text, "url": n.url, "open_url": reverse("notifications:open", args=[n.pk]),
            "actor_id": n.actor_id, "created_at": n.created_at, "read": n.read_at is not None}


@router.get("/", response=NotificationPage, summary="Your notifications, newest first (cursor pagination)")
def notification_list(request: ApiRequest, cursor: str = Query("", max_length=200)) -> dict[str, Any]:
    try:
        page = selectors.notifications_page(request.auth, cursor or None)
    except ValueError:
        raise ApplicationError("That cursor is not valid.", code="bad_cursor") from None
    return {"items": [out(n) for n in page["items"]], "next_cursor": page["next_cursor"],
            "unread": selectors.unread_count(request.auth)}


@router.get("/unread", response=UnreadOut, summary="How many are unread")
def unread(request: ApiRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(request.auth)}


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one as read")
def mark_read(request: ApiRequest, notification_id: int) -> dict[str, Any]:
    return out(services.notification_open(actor=request.auth, notification_id=notification_id))


@router.post("/read-all", response=UnreadOut, summary="Mark all as read")
def mark_all_read(request: ApiRequest) -> dict[str, int]:
    services.notifications_mark_all_read(actor=request.auth)
    return {"unread": 0}


@router.get("/preferences", response=list[PreferenceOut], summary="Which kinds you get")
def preferences(request: ApiRequest) -> list[dict[str, Any]]:
    return [{"kind": r["kind"].key, "label": r["kind"].label, "description": r["kind"].description,
             "enabled": r["enabled"]} for r in selectors.preferences_of(request.auth)]


@router.put("/preferences", response=list[PreferenceOut], summary="Turn kinds on or off: {\"mention\": false, …}")
def preferences_set(request: ApiRequest, payload: Body[dict[str, bool]]) -> list[dict[str, Any]]:
    services.preferences_set(actor=request.auth, choices=payload)
    return preferences(request)
