"""Recognition pages and API lists run a fixed number of queries, whatever the number of kudos, recipients,
+1s, reactions, celebrations, badges or reports: a new N+1 fails here. Each URL is asked once to
warm the session and caches, then counted with a small and a larger data set."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from courtyard.core import clock
from courtyard.recognition import access, services
from courtyard.recognition.models import Celebration
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.get("/healthz")
    return client


def assert_queries(client: Client, url: str, expected: int, django_assert_num_queries) -> None:
    client.get(url)  # warm up
    if not settings.SESSION_ENGINE.endswith(".db"):
        expected -= 1  # sessions kept in Redis (production) cost no database query
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]


def populate(org, reactions, n: int, monkeypatch) -> None:
    monkeypatch.setattr(services, "KUDOS_LIMITS", ((10_000, 60),))
    extra = [make_profile(full_name=f"Extra {i}", manager=org.mo, team=org.team) for i in range(n // 3)]
    senders = [org.ana, org.cy, org.sam, *extra]
    for i in range(n):
        sender = senders[i % len(senders)]
        people = [p for p in (org.bo, org.mo) if p.pk != sender.pk]
        kudos = services.kudos_send(actor=sender.user, people=people, teams=[org.team] if i % 4 == 0 else [],
                                    message=f"Thanks {i}", value=org.values[i % 2], points=1 if i % 2 else 0,
                                    is_private=i % 5 == 0 and i % 4 != 0)
        for agreeing in (org.admin, org.sam):
            if agreeing.pk != sender.pk and not kudos.is_private:
                found, current = access.access_kudos(agreeing.user, kudos.pk)
                services.kudos_plus_one(actor=agreeing.user, kudos=found, current=current)
                services.kudos_reaction_toggle(actor=agreeing.user, kudos=found, current=current, kind=reactions[i % 3])
        Celebration.objects.create(profile=senders[i % len(senders)], kind="milestone", key=f"m:{n}:{i}",
                                   occasion=clock.now().date(), celebrated_on=clock.now().date(), created_at=clock.now())
    badge = services.badge_create(actor=org.admin.user, name=f"Badge {n}")
    for person in extra[:5]:
        services.badge_award(actor=org.admin.user, badge=badge, profile=person)
    entry_kudos = services.kudos_send(actor=org.sam.user, people=[org.bo], message=f"Spot {n}")
    found, current = access.access_kudos(org.admin.user, entry_kudos.pk)
    services.spotlight_add(actor=org.admin.user, kudos=found, current=current)
    services.spotlight_add(actor=org.admin.user, profile=extra[0] if extra else org.cy)


# Session + user (2), the member's profile (1), then:
# wall: kudos page, recipients, +1s, reactions, reaction kinds, values, settings, balance = 11
#   (departments for the filter are cached by the directory);
# detail: the kudos with the viewer's standing, the curator check, recipients, +1s, reactions, kinds, receivers = 10;
# celebrations: 1 (no profile needed); badges: awards, automatic counts, custom badges = 3; points: settings, balance, ledger, received = 4;
# manager: reports, kudos received = 2; spotlight (no profile needed): entries, recipients, curator check = 3;
# profile (people's 7 + recognition's 4: received, given, their names, badges); the API spotlight decorates its
# kudos like the wall (recipients, +1s, reactions, kinds).
PAGES = {
    "wall": (lambda o: reverse("recognition:wall"), 11),
    "wall by person": (lambda o: reverse("recognition:wall") + f"?person={o.bo.pk}", 12),
    "detail": (lambda o: reverse("recognition:detail", args=[o.first_kudos]), 10),
    "celebrations": (lambda o: reverse("recognition:celebrations"), 3),
    "badges": (lambda o: reverse("recognition:badges"), 6),
    "points": (lambda o: reverse("recognition:points"), 7),
    "manager": (lambda o: reverse("recognition:manager"), 5),
    "spotlight": (lambda o: reverse("recognition:spotlight"), 5),
    "profile": (lambda o: reverse("people:profile", args=[o.bo.pk]), 11),
    "api wall": (lambda o: "/api/recognition/kudos", 8),
    "api spotlight": (lambda o: "/api/recognition/spotlight", 9),
    "api manager summary": (lambda o: "/api/recognition/manager/summary", 5),
    "api celebrations": (lambda o: "/api/recognition/celebrations", 4),
    "api badges": (lambda o: "/api/recognition/badges", 5),
}


@pytest.mark.parametrize("page_name", PAGES)
def test_query_count_is_fixed_and_does_not_grow(org, reactions, allowance_on, page_name, monkeypatch,
                                                django_assert_num_queries):
    url_for, expected = PAGES[page_name]
    populate(org, reactions, 3, monkeypatch)
    org.first_kudos = access.visible_kudos(org.mo.user).order_by("pk").values_list("pk", flat=True).first()
    client = client_for(org.mo)
    assert_queries(client, url_for(org), expected, django_assert_num_queries)
    populate(org, reactions, 30, monkeypatch)
    assert_queries(client, url_for(org), expected, django_assert_num_queries)


def test_celebrations_job_reads_few_members(org, django_assert_max_num_queries):
    """The hourly job reads only members whose dates could be due, in one query, then writes in a few."""
    for i in range(20):
        make_profile(full_name=f"Old {i}", start_date=dt.date(2010, 1, 1 + i))
    with django_assert_max_num_queries(3):
        services.celebrations_generate(now=dt.datetime(2025, 7, 15, 12, tzinfo=dt.UTC))
