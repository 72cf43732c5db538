"""What Courtyard promises to keep from everyone, admins included, stays out of the Django admin too.

Unique strings are planted in every such place (a private kudos' message, a mentorship check-in's notes, an
anonymous survey's free-text answer, an anonymous idea's author and its mailbox tag, the key those tags are made
with, API token and invitation hashes, session keys), then a superuser crawls every registered model of the admin:
its list, a search for each planted string, and the change, history and delete pages of each object. No page may
show a planted string, and no search may find anything by one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib import admin as django_admin
from django.test import Client
from django.urls import reverse

from courtyard.accounts import services as accounts
from courtyard.accounts.models import UserSession
from courtyard.core import clock
from courtyard.pairing import services as pairing
from courtyard.pairing.models import MentorshipMatch, Program, Signup
from courtyard.people import services as people
from courtyard.recognition import services as recognition
from courtyard.surveys import mailbox
from courtyard.surveys import services as surveys
from courtyard.surveys.models import Idea
from tests.factories import make_profile
from tests.surveys.conftest import answer, make_survey

pytestmark = pytest.mark.django_db

PER_MODEL = 25  # objects whose pages are crawled, per model


@pytest.fixture
def planted(admin):
    """Plant the strings; returns {label: string}."""
    strings: dict[str, str] = {}
    sender = make_profile(full_name="Sia Sender")
    thanked = make_profile(full_name="Tom Thanked")
    recognition.kudos_send(actor=sender.user, message="Plantkudosprivate thanks, just between us", people=[thanked],
                           is_private=True)
    strings["private kudos"] = "Plantkudosprivate"
    recognition.kudos_send(actor=sender.user, message="A public thank you", people=[thanked])

    mentoring = Program.objects.create(kind=Program.Kind.MENTORSHIP, name="Mentoring", owner=admin,
                                       created_at=clock.now())
    mentor = Signup.objects.create(program=mentoring, profile=sender, role="mentor", created_at=clock.now())
    mentee = Signup.objects.create(program=mentoring, profile=thanked, role="mentee", created_at=clock.now())
    match = MentorshipMatch.objects.create(program=mentoring, mentor=mentor, mentee=mentee,
                                           status=MentorshipMatch.Status.PUBLISHED, created_at=clock.now())
    pairing.checkin_add(actor=thanked.user, match=match, met_on=dt.date.today(), notes="Plantcheckinnote worries")
    strings["check-in notes"] = "Plantcheckinnote"

    surveys.question_bank_ensure()
    survey = make_survey(admin, keys=("belonging.belong", "open.better"), anonymous=True)
    answer(survey, sender, **{"belonging.belong": 4, "open.better": "Plantanswertext about my manager"})
    strings["anonymous answer"] = "Plantanswertext"

    author = make_profile(full_name="Quirina Anonauthor", email="quirina.anonauthor@example.com")
    idea = surveys.idea_create(actor=author.user, title="Fewer meetings", body="Please.", anonymous=True)
    idea = Idea.objects.get(pk=idea.pk)
    strings["anonymous idea's mailbox nonce"] = idea.mailbox_nonce
    strings["anonymous idea's mailbox tag"] = idea.mailbox_tag
    strings["mailbox key"] = mailbox.mailbox_keys()[0].hex()
    strings["secret key"] = settings.SECRET_KEY
    strings["anonymous idea's author"] = "Anonauthor"  # also on the author's own profile pages: see below

    token, raw = accounts.api_token_create(actor=sender.user, name="script")
    strings["api token"] = raw
    strings["api token hash"] = token.token_hash
    invitation, raw_invitation = people.invitation_create(actor=admin.user, email="nia@example.com",
                                                           full_name="Nia Newcomer")
    strings["invitation token"] = raw_invitation
    strings["invitation hash"] = invitation.token_hash
    browser = Client()
    browser.force_login(sender.user)
    assert browser.get("/healthz").status_code == 200  # records the session
    strings["session key"] = UserSession.objects.filter(user=sender.user).values_list("session_key", flat=True).get()
    return strings


def _superuser_client(admin) -> Client:
    admin.user.is_superuser = True
    admin.user.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(admin.user)
    return client


def _where(content: str, strings: dict[str, str], *, allow: tuple[str, ...] = ()) -> list[str]:
    return [label for label, value in strings.items() if label not in allow and value in content]


def test_the_admin_shows_and_finds_none_of_what_is_private(admin, planted):
    client = _superuser_client(admin)
    leaks: list[str] = []
    crawled = 0
    for model, model_admin in django_admin.site._registry.items():
        opts = model._meta
        # The author's name rightly appears where they are a person (profiles, users, their kudos and
        # sessions); it must not appear anywhere near the idea they posted anonymously.
        allow = () if model is Idea else ("anonymous idea's author",)
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(changelist)
        assert response.status_code == 200, changelist
        leaks += [f"{changelist}: {label}" for label in _where(response.content.decode(), planted, allow=allow)]
        if model_admin.search_fields:
            for label, value in planted.items():
                found = client.get(changelist, {"q": value})
                assert found.status_code == 200
                if found.context["cl"].result_count and label not in allow:
                    leaks.append(f"{changelist}?q=… finds by the {label}")
        for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:PER_MODEL]:
            for page in ("change", "history", "delete"):
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=[pk])
                response = client.get(url)
                assert response.status_code in (200, 302, 403), url  # 403: deleting read-only records
                crawled += 1
                leaks += [f"{url}: {label}" for label in _where(response.content.decode(), planted, allow=allow)]
    assert crawled > 100  # the planted objects' own pages are among them
    assert leaks == []


def test_a_private_kudos_cannot_be_made_public_from_the_admin_to_read_it(admin, planted):
    from courtyard.recognition.models import Kudos

    client = _superuser_client(admin)
    kudos = Kudos.objects.get(is_private=True)
    url = reverse("admin:recognition_kudos_change", args=[kudos.pk])
    page = client.get(url).content.decode()
    assert 'name="is_private"' not in page  # shown read-only, not as a field to untick
    assert 'name="message"' not in page
    public = Kudos.objects.get(is_private=False)
    assert "A public thank you" in client.get(  # public kudos stay readable for moderation
        reverse("admin:recognition_kudos_change", args=[public.pk])).content.decode()
