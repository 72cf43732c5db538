"""The mail permission matrix: every /mail/ URL as anonymous, the member, another member and an admin.

The unsubscribe page belongs to whoever holds the signed link (the member's, here): it answers everyone the
same, with no session needed. The delivery log is for admins. The outbox exists only in demo or debug mode:
a 404 for everyone otherwise; there, admins only. A refused request (or a read) changes nothing; an allowed
write changes something."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from courtyard.core import clock
from courtyard.mail.models import Delivery, DeliveryItem, Mailbox, OutboxMessage
from courtyard.mail.tokens import ALL, unsubscribe_token
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db

# Every mail route; tests/test_permissions.py adds them to the whole-site check.
MAIL_ROUTES = {
    "mail/unsubscribe/<str:token>/", "mail/resume/", "mail/deliveries/", "mail/outbox/",
    "mail/outbox/<str:message_id>/", "mail/outbox/<str:message_id>/html/",
}
ROLES = ("anonymous", "member", "other", "admin")
L = "login"


@dataclasses.dataclass
class World:
    member: Any
    clients: dict[str, Client]
    token: str
    all_token: str
    outbox_id: int


@pytest.fixture
def world(member, other_member, admin) -> World:
    now = clock.now()
    Mailbox.objects.create(user=member.user, paused_at=now)  # to resume
    delivery = Delivery.objects.create(
        user=member.user, status=Delivery.Status.BOUNCED, created_at=now, due_at=now, updated_at=now, attempts=1,
        last_error="550 no such mailbox",
    )
    DeliveryItem.objects.create(delivery=delivery, source="notification", source_id=1, kind="mention")
    kept = OutboxMessage.objects.create(
        to="member@example.com", subject="Hello", text="Hi https://example.org/x", html="<p>Hi</p>",
        headers="Subject: Hello", created_at=now,
    )
    clients = {"anonymous": Client()}
    for role, profile in (("member", member), ("other", other_member), ("admin", admin)):
        client = Client()
        client.force_login(profile.user)
        assert client.get("/healthz").status_code == 200
        clients[role] = client
    return World(
        member=member, clients=clients, token=unsubscribe_token(member.user.pk, ["mention"]),
        all_token=unsubscribe_token(member.user.pk, [ALL]), outbox_id=kept.pk,
    )


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[World], str]
    expected: dict[str, int | str]
    changes: tuple[str, ...] = ()
    demo: bool = False

    def __str__(self) -> str:
        return self.name


def pages(anonymous: int | str, member: int | str, other: int | str, admin: int | str) -> dict[str, int | str]:
    return {"anonymous": anonymous, "member": member, "other": other, "admin": admin}


def everyone(status: int | str) -> dict[str, int | str]:
    return pages(status, status, status, status)


ADMIN_ONLY = pages(L, 403, 403, 200)
CASES = [
    Case("unsubscribe page", "get", lambda w: reverse("mail:unsubscribe", args=[w.token]), everyone(200)),
    Case("unsubscribe", "post", lambda w: reverse("mail:unsubscribe", args=[w.token]), everyone(200),
         changes=ROLES),
    Case("unsubscribe all", "post", lambda w: reverse("mail:unsubscribe", args=[w.all_token]), everyone(200),
         changes=ROLES),
    Case("unsubscribe forged", "post", lambda w: reverse("mail:unsubscribe", args=[w.token[:-3] + "abc"]),
         everyone(400)),
    Case("unsubscribe forged page", "get", lambda w: reverse("mail:unsubscribe", args=["x"]), everyone(400)),
    Case("resume", "post", lambda w: reverse("mail:resume"), pages(L, 302, 302, 302), changes=("member",)),
    Case("resume by GET", "get", lambda w: reverse("mail:resume"), pages(L, 405, 405, 405)),
    Case("delivery log", "get", lambda w: reverse("mail:deliveries"), ADMIN_ONLY),
    Case("outbox (not demo)", "get", lambda w: reverse("mail:outbox"), everyone(404)),
    Case("outbox email (not demo)", "get", lambda w: reverse("mail:outbox_message", args=[w.outbox_id]), everyone(404)),
    Case("outbox html (not demo)", "get", lambda w: reverse("mail:outbox_message_html", args=[w.outbox_id]),
         everyone(404)),
    Case("outbox", "get", lambda w: reverse("mail:outbox"), ADMIN_ONLY, demo=True),
    Case("outbox email", "get", lambda w: reverse("mail:outbox_message", args=[w.outbox_id]), ADMIN_ONLY, demo=True),
    Case("outbox html", "get", lambda w: reverse("mail:outbox_message_html", args=[w.outbox_id]), ADMIN_ONLY,
         demo=True),
    Case("outbox missing email", "get", lambda w: reverse("mail:outbox_message", args=[999999]),
         pages(L, 403, 403, 404), demo=True),
    Case("outbox bad id", "get", lambda w: reverse("mail:outbox_message", args=["abc"]), pages(L, 403, 403, 404),
         demo=True),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_mail_permission_matrix(world, case: Case, role: str, settings):
    settings.COURTYARD_DEMO = case.demo
    before = db_snapshot()
    client = world.clients[role]
    response = getattr(client, case.method)(case.url(world))
    expected = case.expected[role]
    if expected == L:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    else:
        assert response.status_code == expected, (response.status_code, response.content[:300])
    after = db_snapshot()
    refused = expected == L or (isinstance(expected, int) and expected >= 400)
    if refused or role not in case.changes:
        assert after == before, "a refused request (or a read) changed the database"
    else:
        assert after != before, "an allowed write changed nothing"


def test_every_mail_route_is_in_the_matrix():
    from tests import url_coverage

    assert {route for route in url_coverage.routes_to_cover() if route.startswith("mail/")} == MAIL_ROUTES


def test_the_outbox_html_runs_nothing(world, settings):
    settings.COURTYARD_DEMO = True
    response = world.clients["admin"].get(reverse("mail:outbox_message_html", args=[world.outbox_id]))
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "script-src" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
