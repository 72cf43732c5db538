"""Notifications as JSON: only ever the caller's own."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal

from django.db import transaction
from django.urls import reverse
from ninja import Body, Field, Query, Router, Schema

from courtyard.accounts.http import ApiRequest
from courtyard.accounts.models import User
from courtyard.core.pagination import cursor_checked
from courtyard.mail import selectors as mail_selectors
from courtyard.mail import services as mail_services
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


Channel = Literal["app", "email", "digest", "off"]


class PreferenceOut(Schema):
    kind: str
    label: str
    description: str
    area: str = Field(description="The heading the kind is listed under (events, kudos, …)")
    channel: Channel = Field(description="app: in the app only; email: in the app and by email soon after; "
                             "digest: in the app and in your digest; off: not at all")
    default_channel: Channel = Field(description="The channel when you have not chosen one")
    enabled: bool = Field(description="Whether you get this kind at all (channel is not off)")


class EmailSettingsOut(Schema):
    address: str = Field(description="Where emails go: your account's address")
    quiet_start: dt.time | None = Field(description="No email from this time (your profile's time zone)")
    quiet_end: dt.time | None = Field(description="… until this time; null for no quiet hours")
    time_zone: str
    paused: bool = Field(description="You unsubscribed from all email (an email's link); resume to get it again")
    bouncing: bool = Field(description="Email to your address bounced, so none is sent until you resume")
    bouncing_since: dt.datetime | None
    bounce_reason: str = Field(description="What the mail server answered")


class EmailSettingsIn(Schema):
    quiet_start: dt.time | None = None
    quiet_end: dt.time | None = None
    resume: bool = Field(False, description="true: clear a pause or a bounce (\"I fixed my address, try again\")")


def email_settings_out(user: User) -> dict[str, Any]:
    return dataclasses.asdict(mail_selectors.mail_state(user))


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
    summary="Choose the channel of each kind",
    description='A map of kind to channel, e.g. {"mention": "app", "kudos_received": "off"}; kinds left out keep '
    'their setting. true/false still work: false is off, true turns a kind back on (its default channel).',
)
def preferences_set(request: ApiRequest, payload: Body[dict[str, bool | Channel]]) -> list[dict[str, Any]]:
    services.preferences_set(actor=request.auth, choices=payload)
    return selectors.preferences_of(request.auth)


@router.get("/email", response=EmailSettingsOut, summary="Your email: address, quiet hours, paused or bouncing")
def email_settings(request: ApiRequest) -> dict[str, Any]:
    return email_settings_out(request.auth)


@router.put(
    "/email", response=EmailSettingsOut, summary="Set your quiet hours, or resume email after a pause or a bounce",
    description="Quiet hours: both times or neither (null, null: none). They are in your profile's time zone.",
)
def email_settings_set(request: ApiRequest, payload: EmailSettingsIn) -> dict[str, Any]:
    with transaction.atomic():
        mail_services.quiet_hours_set(actor=request.auth, start=payload.quiet_start, end=payload.quiet_end)
        if payload.resume:
            mail_services.mailbox_resume(actor=request.auth)
    return email_settings_out(request.auth)
