"""core: audit log, activity facts, health check, error mapping, security headers, member-only media."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from courtyard.core import activity, clock
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from courtyard.core.middleware import CSP, ApplicationErrorMiddleware
from courtyard.core.models import AuditEntry, Interaction, Participation
from courtyard.people import services
from tests.helpers import image_upload

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 3, 15, 9, 30))


# --- audit log -----------------------------------------------------------------------------


def test_audit_record_with_actor_target_and_data(member, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    entry = audit_record(action="people.profile.viewed", actor=member.user, target=member, data={"why": "test"})
    entry.refresh_from_db()
    assert (entry.action, entry.actor, entry.object_type, entry.object_id) == (
        "people.profile.viewed", member.user, "people.profile", str(member.pk),
    )
    assert entry.data == {"why": "test"}
    assert entry.created_at == NOW
    assert "people.profile.viewed" in str(entry)


def test_audit_record_without_actor_or_target(db):
    from django.contrib.auth.models import AnonymousUser

    entry = audit_record(action="system.job.ran", actor=AnonymousUser())
    assert entry.actor is None
    assert (entry.object_type, entry.object_id, entry.data) == ("", "", {})


def test_audit_entries_survive_their_actor(member, admin):
    audit_record(action="x.y", actor=member.user)
    member.user.delete()
    assert AuditEntry.objects.get(action="x.y").actor is None


# --- activity facts ------------------------------------------------------------------------


def test_participation_record(member, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    fact = activity.participation_record(
        member_id=member.pk, verb="posted", department_id=member.department_id, group_id=3, object_type="post", object_id=9
    )
    fact.refresh_from_db()
    assert (fact.member_id, fact.verb, fact.department_id, fact.group_id, fact.object_id) == (
        member.pk, "posted", member.department_id, 3, 9,
    )
    assert fact.occurred_at == NOW
    earlier = NOW - dt.timedelta(days=3)
    assert activity.participation_record(member_id=1, verb="attended", department_id=None, occurred_at=earlier).occurred_at == earlier
    assert Participation.objects.count() == 2


def test_interaction_record_keeps_both_departments(member, other_member):
    fact = activity.interaction_record(
        actor_id=member.pk, other_id=other_member.pk, kind="reply",
        actor_department_id=member.department_id, other_department_id=other_member.department_id, event_id=4,
    )
    fact.refresh_from_db()
    assert (fact.actor_department_id, fact.other_department_id, fact.event_id) == (
        member.department_id, other_member.department_id, 4,
    )


def test_interacting_with_oneself_is_not_recorded(member):
    assert activity.interaction_record(
        actor_id=member.pk, other_id=member.pk, kind="kudos", actor_department_id=None, other_department_id=None
    ) is None
    assert Interaction.objects.count() == 0


def test_the_database_refuses_self_interactions_too(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.create(actor_id=5, other_id=5, kind="met", occurred_at=NOW)


# --- health check --------------------------------------------------------------------------


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["cache"]) == ("ok", "ok", "ok")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]



def test_healthz_answers_plain_http_when_every_other_page_redirects_to_https(client, settings):
    """A load balancer or the container's HEALTHCHECK calls over plain HTTP; a redirect would read as down."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    redirected = client.get("/accounts/login/")
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://")

def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("courtyard.core.views.connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "error: OperationalError"
    assert response.json()["cache"] == "ok"


def test_healthz_is_503_when_the_cache_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr("courtyard.core.views.cache.set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error: ConnectionError"


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


# --- errors --------------------------------------------------------------------------------


def test_application_error_shape():
    error = ApplicationError("Bad thing.", code="bad", details=["line 2"])
    assert (error.status, error.as_dict()) == (400, {"code": "bad", "message": "Bad thing.", "details": ["line 2"]})
    assert ApplicationError("x", status=422).status == 422
    assert NotFound().as_dict() == {"code": "not_found", "message": "Not found."}
    assert PermissionDenied().status == 403
    assert Conflict("Full.").status == 409


@pytest.mark.parametrize(
    ("error", "status", "heading"),
    [
        (ApplicationError("Bad input."), 400, "That did not work"),
        (PermissionDenied("Nope."), 403, "Not allowed"),
        (NotFound("Gone."), 404, "Not found"),
        (Conflict("Already full."), 409, "That did not work"),
    ],
)
def test_application_errors_map_to_4xx_pages(member, error, status, heading):
    request = RequestFactory().get("/somewhere")
    request.user = member.user
    request.htmx = False
    response = ApplicationErrorMiddleware(lambda r: HttpResponse())
    response = response.process_exception(request, error)
    assert response.status_code == status
    content = response.content.decode()
    assert error.message in content
    assert heading in content
    assert "<html" in content


def test_application_errors_map_to_a_partial_for_htmx(member):
    request = RequestFactory().get("/somewhere", headers={"HX-Request": "true"})
    request.user = member.user
    request.htmx = True
    response = ApplicationErrorMiddleware(lambda r: HttpResponse()).process_exception(request, NotFound("Gone."))
    assert response.status_code == 404
    assert "<html" not in response.content.decode()
    assert "Gone." in response.content.decode()


def test_other_exceptions_are_left_alone():
    request = RequestFactory().get("/")
    assert ApplicationErrorMiddleware(lambda r: HttpResponse()).process_exception(request, ValueError("x")) is None


def test_an_application_error_in_a_page_is_a_readable_4xx(member_client, member):
    response = member_client.post(f"/people/{member.pk}/photo/", {})
    assert response.status_code == 400
    assert "Choose a photo to upload." in response.content.decode()


def test_unknown_page_is_our_404(member_client):
    response = member_client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.parametrize("view", ["bad_request", "permission_denied", "page_not_found", "server_error"])
def test_error_handlers_render(rf, view):
    from courtyard.core import views

    request = rf.get("/")
    handler = getattr(views, view)
    response = handler(request) if view == "server_error" else handler(request, Exception("x"))
    assert response.status_code == {"bad_request": 400, "permission_denied": 403, "page_not_found": 404}.get(view, 500)


# --- security headers ----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/people/", "/accounts/security/", "/api/people/me"])
def test_pages_carry_csp_and_hardening_headers(member_client, url):
    response = member_client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert csp == CSP
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_sign_in_page_carries_csp(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CSP


def test_pages_have_no_inline_scripts(member_client):
    # The CSP forbids inline scripts: a page that relied on one would silently break.
    import re

    for url in ("/", "/people/", "/accounts/security/", "/people/me/edit/"):
        html = member_client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (url, tag)
        assert not re.search(r"\son(click|load|change|submit)=", html), url


def test_session_cookie_is_http_only_and_same_site(client, member, password):
    response = client.post("/accounts/login/", {"login": member.user.email, "password": password})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


# --- media ---------------------------------------------------------------------------------


@pytest.fixture
def member_with_photo(member):
    services.profile_photo_set(actor=member.user, profile=member, upload=image_upload())
    member.refresh_from_db()
    return member


def test_photo_is_served_to_signed_in_members_only(member_with_photo, other_member, client):
    url = f"/media/{member_with_photo.photo.name}"
    assert client.get(url).status_code == 302
    other = Client()
    other.force_login(other_member.user)
    response = other.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_hidden_photo_is_not_served_to_other_members(member_with_photo, other_member, admin):
    services.profile_update(actor=member_with_photo.user, profile=member_with_photo, data={"hidden_fields": ["photo"]})
    url = f"/media/{member_with_photo.photo.name}"
    other = Client()
    other.force_login(other_member.user)
    assert other.get(url).status_code == 404
    owner = Client()
    owner.force_login(member_with_photo.user)
    assert owner.get(url).status_code == 200
    boss = Client()
    boss.force_login(admin.user)
    assert boss.get(url).status_code == 200


def test_photo_of_a_deactivated_member_is_not_served_to_members(member_with_photo, other_member, admin):
    services.member_set_active(actor=admin.user, profile=member_with_photo, active=False)
    other = Client()
    other.force_login(other_member.user)
    assert other.get(f"/media/{member_with_photo.photo.name}").status_code == 404


@pytest.mark.parametrize("name", ["../settings.py", "..%2f..%2fetc%2fpasswd", "/etc/passwd", "photos/../../x", "nope.jpg"])
def test_media_outside_the_folder_or_missing_is_404(member_client, name):
    assert member_client.get(f"/media/{name}").status_code == 404


def test_only_photos_are_served_from_media(member_client, settings):
    # Other uploads (such as an import waiting for confirmation) live beside the photos but stay private.
    from pathlib import Path

    spool = Path(settings.MEDIA_ROOT) / "imports"
    spool.mkdir(parents=True)
    (spool / "pending.csv").write_text("email,full_name\nsecret@example.com,Secret\n")
    assert member_client.get("/media/imports/pending.csv").status_code == 404


def test_unknown_verbs_and_kinds_are_refused_so_insights_never_miss_a_fact(member, other_member):
    with pytest.raises(ValueError, match=r"facts\.py"):
        activity.participation_record(member_id=member.pk, verb="did_something", department_id=None)
    with pytest.raises(ValueError, match=r"facts\.py"):
        activity.interaction_record(
            actor_id=member.pk, other_id=other_member.pk, kind="hug", actor_department_id=None, other_department_id=None
        )
    assert Participation.objects.count() == Interaction.objects.count() == 0
