"""Unsubscribe links: signed, without a session, never on GET; forged or expired ones change nothing."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from courtyard.mail.models import Mailbox
from courtyard.mail.tokens import ALL, SALT, unsubscribe_read, unsubscribe_token
from courtyard.notifications.models import Preference
from tests.helpers import db_snapshot
from tests.mail.conftest import deliveries

pytestmark = pytest.mark.django_db


def url(token: str) -> str:
    return reverse("mail:unsubscribe", args=[token])


def test_get_asks_and_changes_nothing_post_unsubscribes(member):
    client = Client(enforce_csrf_checks=True)
    token = unsubscribe_token(member.user.pk, ["mention", "kudos_received"])
    before = db_snapshot()
    page = client.get(url(token))
    assert page.status_code == 200
    assert "Stop emails about: Kudos, Mentions" in page.content.decode()
    assert db_snapshot() == before  # a link scanner following the link unsubscribes nobody
    done = client.post(url(token))
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert sorted(Preference.objects.values_list("kind", "channel")) == [("kudos_received", "app"), ("mention", "app")]
    assert client.post(url(token)).status_code == 200  # again: the same result, nothing new
    assert Preference.objects.count() == 2


def test_unsubscribing_a_kind_not_emailed_leaves_the_members_choice(member):
    Preference.objects.create(user=member.user, kind="mention", channel="off")
    Client().post(url(unsubscribe_token(member.user.pk, ["mention", "no_such_kind"])))
    assert list(Preference.objects.values_list("kind", "channel")) == [("mention", "off")]


def test_all_email_pauses_and_the_settings_page_resumes(frozen, notify, member, other_member):
    response = Client().post(url(unsubscribe_token(member.user.pk, [ALL])), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Mailbox.objects.get(user=member.user).paused_at is not None
    notify(member, actor=other_member)
    assert deliveries() == []  # paused: nothing queued
    client = Client()
    client.force_login(member.user)
    assert "is paused" in client.get(reverse("notifications:preferences")).content.decode()
    client.post(reverse("mail:resume"))
    assert Mailbox.objects.get(user=member.user).paused_at is None
    notify(member, actor=other_member, object_id=2)
    assert len(deliveries()) == 1


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "eyJ1IjoxLCJrIjpbIioiXX0:1xajDE:forgedsignatureforgedsignatureforgedsig",
        signing.dumps({"u": 1, "k": ["*"]}, salt="another.salt"),  # signed, for something else
        signing.dumps({"u": 1, "k": []}, salt=SALT),
        signing.dumps({"u": "1", "k": ["*"]}, salt=SALT),
        signing.dumps(["not", "a", "dict"], salt=SALT),
    ],
)
def test_a_forged_or_malformed_token_is_a_400_and_changes_nothing(member, token):
    before = db_snapshot()
    for method in ("get", "post"):
        response = getattr(Client(), method)(url(token))
        assert response.status_code == 400
        assert "does not work" in response.content.decode()
    assert db_snapshot() == before


def test_an_expired_token_is_a_400_and_changes_nothing(settings, member):
    settings.MAIL_UNSUBSCRIBE_MAX_AGE = 3600
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 7200):
        old = unsubscribe_token(member.user.pk, [ALL])
    assert unsubscribe_read(old) is None
    before = db_snapshot()
    assert Client().post(url(old)).status_code == 400
    assert db_snapshot() == before


def test_a_token_for_someone_who_no_longer_exists_is_refused(member):
    token = unsubscribe_token(999_999, [ALL])
    before = db_snapshot()
    assert Client().post(url(token)).status_code == 400
    assert db_snapshot() == before
