"""The permission matrix: every URL and API operation, as anonymous / member / other member / admin.

"member" owns the objects the URLs point at (their profile, session, token); "other" is another
member; "admin" is a community admin. Each cell asserts the status, and a refused request must change
nothing in the database or the media folder.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courtyard.accounts import services as account_services
from courtyard.accounts.models import ApiToken, UserSession
from courtyard.accounts.web import allauth_urls
from courtyard.notifications import services as notification_services
from courtyard.people import services as people_services
from courtyard.people.models import Department
from tests import url_coverage
from tests.factories import PASSWORD, make_profile
from tests.helpers import db_snapshot, image_upload

ROLES = ("anonymous", "member", "other", "admin")
LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"


@dataclasses.dataclass
class World:
    member: Any
    other: Any
    admin: Any
    gone: Any
    clients: dict[str, Client]
    department: Department
    member_session_id: int
    member_token_id: int
    invitation_token: str
    notification_id: int = 0


@pytest.fixture
def world(member, other_member, admin) -> World:
    gone = make_profile(email="gone@example.com", full_name="Gus Gone")
    people_services.member_set_active(actor=admin.user, profile=gone, active=False)
    people_services.profile_photo_set(actor=member.user, profile=member, upload=image_upload())
    people_services.profile_update(
        actor=member.user, profile=member, data={"interests": ["Climbing"], "bio": "Hello"}
    )
    token, _raw = account_services.api_token_create(actor=member.user, name="script")
    # An unread notification of the member's, and the member following the admin (to unfollow).
    notification = notification_services.notification_send(
        recipient=member.user, kind="badge_awarded", actor=other_member.user, text="You earned a badge",
        url="/people/", object_type="badge", object_id=None,
    )
    people_services.follow_create(actor=member.user, profile=admin)
    _invitation, raw = people_services.invitation_create(
        actor=admin.user, email="newcomer@example.com", full_name="Nia Newcomer"
    )
    clients = {"anonymous": Client()}
    for role, profile in (("member", member), ("other", other_member), ("admin", admin)):
        client = Client()
        client.force_login(profile.user)
        # The first signed-in request records the session; do it before the snapshot is taken.
        assert client.get("/healthz").status_code == 200
        clients[role] = client
    # A second browser of the member's, for "sign out everywhere else".
    laptop = Client()
    laptop.force_login(member.user)
    laptop.get("/healthz")
    session = UserSession.objects.filter(user=member.user).order_by("pk").last()
    return World(
        member=member, other=other_member, admin=admin, gone=gone, clients=clients,
        department=member.department, member_session_id=session.pk, member_token_id=token.pk,
        invitation_token=raw, notification_id=notification.pk,
    )


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[World], str]
    expected: dict[str, int | str]
    data: Callable[[World], dict[str, Any]] | None = None
    json_body: bool = False
    changes: tuple[str, ...] = ()  # roles whose (allowed) request must change the database

    def __str__(self) -> str:
        return self.name


def pages(anonymous: int | str, member: int | str, other: int | str, admin: int | str) -> dict[str, int | str]:
    return {"anonymous": anonymous, "member": member, "other": other, "admin": admin}


def everyone(status: int | str) -> dict[str, int | str]:
    return pages(status, status, status, status)


SIGNED_IN_OK = pages(LOGIN, 200, 200, 200)
API_OK = pages(401, 200, 200, 200)


def admin_profile_form(w: World) -> dict[str, Any]:
    """The editor's fields; members' forms ignore the organization fields (tested in tests/people/test_web.py)."""
    return {
        "full_name": "Mia Renamed", "title": "Engineer", "department": w.department.pk, "team": "",
        "manager_email": "", "start_date": "2020-01-01", "timezone": "Europe/Berlin", "bio": "Changed",
        "visible_fields": ["pronouns", "location"],
    }


CASES = [
    # --- core --------------------------------------------------------------------------------
    Case("home", "get", lambda w: reverse("home"), SIGNED_IN_OK),
    Case("media photo", "get", lambda w: reverse("media", args=[w.member.photo.name]), SIGNED_IN_OK),
    Case("media missing", "get", lambda w: reverse("media", args=["photos/nothing.jpg"]), pages(LOGIN, 404, 404, 404)),
    Case("media outside root", "get", lambda w: "/media/../../etc/passwd", pages(LOGIN, 404, 404, 404)),
    Case("healthz", "get", lambda w: reverse("healthz"), everyone(200)),
    # Metrics are for Prometheus (token or network), never for a signed-in member or admin; with neither
    # METRICS_TOKEN nor METRICS_ALLOWED_NETWORKS set they do not exist (tests/core/test_metrics.py).
    Case("metrics (not enabled)", "get", lambda w: reverse("metrics"), everyone(404)),
    Case("admin index", "get", lambda w: reverse("admin:index"), pages(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200)),
    # --- people pages ------------------------------------------------------------------------
    Case("directory", "get", lambda w: reverse("people:directory") + "?q=mia", SIGNED_IN_OK),
    Case("tag autocomplete", "get", lambda w: reverse("people:tag_autocomplete") + "?kind=interest&q=cl", SIGNED_IN_OK),
    Case("team options", "get", lambda w: reverse("people:team_options") + f"?department={w.department.pk}", SIGNED_IN_OK),
    Case("own profile editor", "get", lambda w: reverse("people:profile_edit_self"), SIGNED_IN_OK),
    Case(
        "own profile save", "post", lambda w: reverse("people:profile_edit_self"), pages(LOGIN, 302, 302, 302),
        data=admin_profile_form, changes=("member", "other", "admin"),
    ),
    Case("profile", "get", lambda w: reverse("people:profile", args=[w.member.pk]), SIGNED_IN_OK),
    Case("deactivated profile", "get", lambda w: reverse("people:profile", args=[w.gone.pk]), pages(LOGIN, 404, 404, 200)),
    Case("profile editor", "get", lambda w: reverse("people:profile_edit", args=[w.member.pk]), pages(LOGIN, 200, 404, 200)),
    Case(
        "profile save", "post", lambda w: reverse("people:profile_edit", args=[w.member.pk]),
        pages(LOGIN, 302, 404, 302), data=admin_profile_form, changes=("member", "admin"),
    ),
    Case(
        "photo upload", "post", lambda w: reverse("people:profile_photo", args=[w.member.pk]),
        pages(LOGIN, 302, 404, 302), data=lambda w: {"photo": image_upload("new.png")}, changes=("member", "admin"),
    ),
    Case(
        "photo remove", "post", lambda w: reverse("people:profile_photo", args=[w.member.pk]),
        pages(LOGIN, 302, 404, 302), data=lambda w: {"remove": "on"}, changes=("member", "admin"),
    ),
    Case(
        "deactivate", "post", lambda w: reverse("people:profile_set_active", args=[w.member.pk]),
        pages(LOGIN, 403, 404, 302), data=lambda w: {"active": "0"}, changes=("admin",),
    ),
    Case(
        "reactivate", "post", lambda w: reverse("people:profile_set_active", args=[w.gone.pk]),
        pages(LOGIN, 404, 404, 302), data=lambda w: {"active": "1"}, changes=("admin",),
    ),
    # --- the organization import (tested in depth in tests/people/test_import_*.py) -----------
    Case("import page", "get", lambda w: reverse("people:people_import"), pages(LOGIN, 403, 403, 200)),
    Case("import template", "get", lambda w: reverse("people:people_import_template"), pages(LOGIN, 403, 403, 200)),
    Case(
        "import preview", "post", lambda w: reverse("people:people_import"), pages(LOGIN, 403, 403, 200),
        data=lambda w: {"file": SimpleUploadedFile("people.csv", b"email,full_name\nnew@example.com,New Person\n", "text/csv")},
    ),
    Case(
        "import confirm without a preview", "post", lambda w: reverse("people:people_import_confirm"),
        pages(LOGIN, 403, 403, 400), data=lambda w: {"token": "nothing-previewed"},
    ),
    # --- accounts ----------------------------------------------------------------------------
    Case("security page", "get", lambda w: reverse("account_security"), SIGNED_IN_OK),
    Case(
        "session revoke", "post", lambda w: reverse("session_revoke", args=[w.member_session_id]),
        pages(LOGIN, 302, 404, 404), changes=("member",),
    ),
    Case(
        "sessions revoke others", "post", lambda w: reverse("sessions_revoke_others"),
        pages(LOGIN, 302, 302, 302), changes=("member",),
    ),
    Case(
        "token create", "post", lambda w: reverse("token_create"), SIGNED_IN_OK,
        data=lambda w: {"name": "laptop"}, changes=("member", "other", "admin"),
    ),
    Case(
        "token revoke", "post", lambda w: reverse("token_revoke", args=[w.member_token_id]),
        pages(LOGIN, 302, 404, 404), changes=("member",),
    ),
    Case("invitation form", "get", lambda w: reverse("invitation_new"), pages(LOGIN, 403, 403, 200)),
    Case(
        "invitation send", "post", lambda w: reverse("invitation_new"), pages(LOGIN, 403, 403, 302),
        data=lambda w: {"email": "fresh@example.com", "full_name": "Fay Fresh"}, changes=("admin",),
    ),
    Case("invitation page", "get", lambda w: reverse("invitation_accept", args=[w.invitation_token]), everyone(200)),
    Case("invitation bad link", "get", lambda w: reverse("invitation_accept", args=["nope"]), everyone(404)),
    Case(
        "invitation accept", "post", lambda w: reverse("invitation_accept", args=[w.invitation_token]), everyone(302),
        data=lambda w: {"password": "violet-harbour-lantern-87", "password_again": "violet-harbour-lantern-87"},
        changes=ROLES,
    ),
    # --- allauth pages we use ----------------------------------------------------------------
    Case("sign-in page", "get", lambda w: reverse("account_login"), pages(200, 302, 302, 302)),
    Case("sign out", "post", lambda w: reverse("account_logout"), everyone(302)),
    Case("password change page", "get", lambda w: reverse("account_change_password"), SIGNED_IN_OK),
    Case("password reset page", "get", lambda w: reverse("account_reset_password"), everyone(200)),
    # --- single sign-on: without OIDC_SERVER_URL there is no provider and nothing to reach -----
    Case("sso login (not configured)", "post", lambda w: "/accounts/oidc/sso/login/", everyone(404)),
    Case("sso callback (not configured)", "get", lambda w: "/accounts/oidc/sso/login/callback/?code=x&state=y", everyone(404)),
    Case("sso cancelled page", "get", lambda w: "/accounts/3rdparty/login/cancelled/", everyone(200)),
    Case("sso error page", "get", lambda w: "/accounts/3rdparty/login/error/", everyone(401)),
    # --- API ---------------------------------------------------------------------------------
    Case("openapi document", "get", lambda w: "/api/openapi.json", everyone(200)),
    Case("api docs", "get", lambda w: "/api/docs", everyone(200)),
    Case("api people list", "get", lambda w: "/api/people/?q=mia", API_OK),
    Case("api me", "get", lambda w: "/api/people/me", API_OK),
    Case(
        "api me update", "patch", lambda w: "/api/people/me", API_OK, data=lambda w: {"bio": "Via the API"},
        json_body=True, changes=("member", "other", "admin"),
    ),
    Case("api person", "get", lambda w: f"/api/people/{w.member.pk}", API_OK),
    Case("api deactivated person", "get", lambda w: f"/api/people/{w.gone.pk}", pages(401, 404, 404, 200)),
    Case("api departments", "get", lambda w: "/api/people/departments", API_OK),
    Case("api locations", "get", lambda w: "/api/people/locations", API_OK),
    Case("api tags", "get", lambda w: "/api/people/tags?kind=interest&q=cl", API_OK),
    # --- following people (the member follows the admin; nobody follows themselves) ---------------
    Case(
        "follow", "post", lambda w: reverse("people:profile_follow", args=[w.other.pk]), pages(LOGIN, 302, 400, 302),
        data=lambda w: {"follow": "1"}, changes=("member", "admin"),
    ),
    Case(
        "unfollow", "post", lambda w: reverse("people:profile_follow", args=[w.admin.pk]), pages(LOGIN, 302, 302, 400),
        data=lambda w: {"follow": "0"}, changes=("member",),
    ),
    Case(
        "follow a deactivated member", "post", lambda w: reverse("people:profile_follow", args=[w.gone.pk]),
        pages(LOGIN, 404, 404, 400), data=lambda w: {"follow": "1"},
    ),
    Case(
        "api follow", "post", lambda w: f"/api/people/{w.other.pk}/follow", pages(401, 200, 400, 200),
        json_body=True, changes=("member", "admin"),
    ),
    Case(
        "api unfollow", "delete", lambda w: f"/api/people/{w.admin.pk}/follow", pages(401, 200, 200, 400),
        json_body=True, changes=("member",),
    ),
    Case(
        "api follow a deactivated member", "post", lambda w: f"/api/people/{w.gone.pk}/follow",
        pages(401, 404, 404, 400), json_body=True,
    ),
    Case("api following", "get", lambda w: "/api/people/me/following", API_OK),
    # --- notifications: only one's own; someone else's is a 404 and stays unread ------------------
    Case("notifications", "get", lambda w: reverse("notifications:list"), SIGNED_IN_OK),
    Case(
        "notification open", "get", lambda w: reverse("notifications:open", args=[w.notification_id]),
        pages(LOGIN, 302, 404, 404), changes=("member",),  # opening marks it read: a GET that writes, on purpose
    ),
    Case(
        "notifications mark all read", "post", lambda w: reverse("notifications:mark_all_read"),
        pages(LOGIN, 302, 302, 302), changes=("member",),
    ),
    Case("notification settings", "get", lambda w: reverse("notifications:preferences"), SIGNED_IN_OK),
    Case(
        "notification settings save", "post", lambda w: reverse("notifications:preferences"),
        pages(LOGIN, 302, 302, 302), data=lambda w: {"mention": "app"}, changes=("member", "other", "admin"),
    ),
    Case("api notifications", "get", lambda w: "/api/notifications/", API_OK),
    Case("api notifications unread", "get", lambda w: "/api/notifications/unread", API_OK),
    Case(
        "api notification read", "post", lambda w: f"/api/notifications/{w.notification_id}/read",
        pages(401, 200, 404, 404), json_body=True, changes=("member",),
    ),
    Case(
        "api notifications read all", "post", lambda w: "/api/notifications/read-all", API_OK, json_body=True,
        changes=("member",),
    ),
    Case("api notification settings", "get", lambda w: "/api/notifications/preferences", API_OK),
    Case(
        "api notification settings save", "put", lambda w: "/api/notifications/preferences", API_OK,
        data=lambda w: {"join_request": False}, json_body=True, changes=("member", "other", "admin"),
    ),
    Case("api email settings", "get", lambda w: "/api/notifications/email", API_OK),
    Case(
        "api email settings save", "put", lambda w: "/api/notifications/email", API_OK,
        data=lambda w: {"quiet_start": "22:00", "quiet_end": "07:00"}, json_body=True,
        changes=("member", "other", "admin"),
    ),
]


def request(client: Client, case: Case, world: World):
    url = case.url(world)
    data = case.data(world) if case.data else {}
    if case.json_body:
        return getattr(client, case.method)(url, data=json.dumps(data), content_type="application/json")
    if case.method == "get":
        return client.get(url)
    return getattr(client, case.method)(url, data)


def assert_status(response, expected: int | str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, response.content[:300]
        assert response["Location"].startswith(reverse("account_login") + "?next="), response["Location"]
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected, (response.status_code, response.content[:500])


def refused(expected: int | str) -> bool:
    return expected in (LOGIN, ADMIN_LOGIN, 401) or (isinstance(expected, int) and expected >= 400)


# allauth pages Courtyard does not offer (sign-up, email management, login and reauthentication by code,
# and whatever a future allauth release mounts): 404 for everyone, on GET and on POST, changing nothing.
NOT_OFFERED_ROUTES = url_coverage.routes_served_by(allauth_urls.not_offered)
CASES += [
    Case(f"allauth not offered {method} {route}", method, lambda w, route=route: url_coverage.example_path(route), everyone(404))
    for route in NOT_OFFERED_ROUTES
    for method in ("get", "post")
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(world, case: Case, role: str):
    before = db_snapshot()
    response = request(world.clients[role], case, world)
    expected = case.expected[role]
    assert_status(response, expected)
    after = db_snapshot()
    if refused(expected) or (case.method == "get" and role not in case.changes):
        assert after == before, "a refused request (or a read) changed the database"
    if role in case.changes:
        assert after != before, "an allowed write changed nothing"
    if case.url(world).startswith("/api/") and response.status_code >= 400:
        body = response.json()
        assert set(body) >= {"code", "message"}


def test_every_url_pattern_is_in_the_matrix():
    """A new URL must be added to the matrix above (or be one of the explicitly excluded ones)."""

    matrix_routes = {
        "", "media/<path:name>", "healthz", "metrics", "admin/", "people/", "people/tags/", "people/teams/",
        "people/me/edit/", "people/<str:profile_id>/", "people/<str:profile_id>/edit/",
        "people/<str:profile_id>/photo/", "people/<str:profile_id>/active/", "accounts/security/",
        "accounts/security/sessions/<str:session_id>/revoke/", "accounts/security/sessions/revoke-others/",
        "accounts/security/tokens/", "accounts/security/tokens/<str:token_id>/revoke/",
        "accounts/invitations/new/", "accounts/invitation/<str:token>/", "accounts/login/", "accounts/logout/",
        "accounts/password/change/", "accounts/password/reset/", "api/openapi.json", "api/docs", "api/people/",
        "api/people/me", "api/people/departments", "api/people/locations", "api/people/tags",
        "accounts/oidc/(?P<provider_id>[^/]+)/login/", "accounts/oidc/(?P<provider_id>[^/]+)/login/callback/",
        "accounts/3rdparty/login/cancelled/", "accounts/3rdparty/login/error/",
        "api/people/<person_id>", "people/import/", "people/import/confirm/", "people/import/template.csv",
        "people/<str:profile_id>/follow/", "api/people/me/following", "api/people/<person_id>/follow",
        "notifications/", "notifications/read-all/", "notifications/preferences/",
        "notifications/<str:notification_id>/open/", "api/notifications/", "api/notifications/unread",
        "api/notifications/<notification_id>/read", "api/notifications/read-all", "api/notifications/preferences",
        "api/notifications/email",
        # Reached only through a reset email; their permissions are tested in tests/accounts/test_web.py.
        "accounts/password/reset/done/", "accounts/password/reset/key/done/",
        "accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
    }
    from tests.groups.test_permissions import GROUP_ROUTES
    from tests.mail.test_permissions import MAIL_ROUTES
    from tests.welcome.test_permissions import WELCOME_ROUTES

    matrix_routes |= set(NOT_OFFERED_ROUTES)
    assert url_coverage.routes_to_cover() == (
        matrix_routes | GROUP_ROUTES | MAIL_ROUTES | OTHER_MATRICES | WELCOME_ROUTES
    )


# Routes whose permission cases live beside their app's tests (each file named below).
OTHER_MATRICES = {
    # tests/groups/test_api.py and tests/groups/test_feed.py (API: private groups are 404 to outsiders, 401 to anonymous)
    "api/groups/", "api/groups/<slug>", "api/groups/<slug>/join", "api/groups/<slug>/request",
    "api/groups/<slug>/leave", "api/groups/<slug>/mute", "api/groups/<slug>/archive", "api/groups/<slug>/members",
    "api/groups/<slug>/members/invite", "api/groups/<slug>/members/<membership_id>/decide",
    "api/groups/<slug>/members/<membership_id>/role", "api/groups/<slug>/members/<membership_id>",
    "api/groups/<slug>/threads", "api/groups/<slug>/resources", "api/discussions/reaction-kinds",
    "api/discussions/threads/<thread_id>", "api/discussions/threads/<thread_id>/restore",
    "api/discussions/threads/<thread_id>/moderate", "api/discussions/threads/<thread_id>/accept",
    "api/discussions/threads/<thread_id>/replies", "api/discussions/replies/<reply_id>",
    "api/discussions/reactions", "api/discussions/resources/<resource_id>",
    # tests/search/test_search.py (never a result from an unreadable group; 401 for anonymous)
    "search/", "api/search/",
    # tests/insights/test_permissions.py (admins: organization; managers: their department; organizers: their group;
    # members: their own activity; pages, CSV exports and API)
    "insights/", "insights/kpis.csv", "insights/silo/", "insights/silo.csv", "insights/goals/",
    "insights/goals/<str:goal_id>/delete/", "insights/me/", "insights/me/connector/", "api/insights/scopes",
    "api/insights/kpis", "api/insights/silo", "api/insights/goals", "api/insights/goals/<goal_id>",
    "api/insights/me", "api/insights/me/connector",
    # tests/events/test_permissions.py (public, private-group and members-only events; pages, feeds and API)
    "events/", "events/calendar/", "events/new/", "events/checkin/", "events/subscribe/",
    "events/feed/<str:token>.ics", "events/feed/<str:token>/organization.ics", "events/<str:event_id>/",
    "events/<str:event_id>/edit/", "events/<str:event_id>/cancel/", "events/<str:event_id>/cover.jpg",
    "events/<str:event_id>/event.ics", "events/<str:event_id>/media/<str:media_id>/",
    "events/<str:event_id>/media/<str:media_id>/delete/", "events/<str:event_id>/<str:occurrence_id>/",
    "events/<str:event_id>/<str:occurrence_id>/rsvp/", "events/<str:event_id>/<str:occurrence_id>/change/",
    "events/<str:event_id>/<str:occurrence_id>/cancel/", "events/<str:event_id>/<str:occurrence_id>/checkin/",
    "events/<str:event_id>/<str:occurrence_id>/checkin/code/", "events/<str:event_id>/<str:occurrence_id>/self-checkin/",
    "events/<str:event_id>/<str:occurrence_id>/answers/<str:rsvp_id>/remove/",
    "events/<str:event_id>/<str:occurrence_id>/attendees.csv", "events/<str:event_id>/<str:occurrence_id>/feedback/",
    "events/<str:event_id>/<str:occurrence_id>/feedback/results/", "events/<str:event_id>/<str:occurrence_id>/media/",
    "events/<str:event_id>/<str:occurrence_id>/occurrence.ics",
    "api/events/", "api/events/calendar-feed", "api/events/<event_id>", "api/events/<event_id>/cancel",
    "api/events/<event_id>/occurrences", "api/events/occurrences/<occurrence_id>",
    "api/events/occurrences/<occurrence_id>/cancel", "api/events/occurrences/<occurrence_id>/rsvp",
    "api/events/occurrences/<occurrence_id>/attendees", "api/events/occurrences/<occurrence_id>/checkins",
    "api/events/occurrences/<occurrence_id>/checkin", "api/events/occurrences/<occurrence_id>/feedback",
    "api/events/occurrences/<occurrence_id>/answers/<rsvp_id>/remove",
    # tests/surveys/test_permissions.py (Voice: surveys, results, pulses, question bank, ideas, "we did")
    "voice/", "voice/surveys/<str:survey_id>/", "voice/surveys/<str:survey_id>/results/",
    "voice/surveys/<str:survey_id>/results.csv", "voice/manage/", "voice/manage/new/", "voice/manage/questions/",
    "voice/manage/questions/<str:question_id>/active/", "voice/manage/pulses/new/",
    "voice/manage/pulses/<str:series_id>/", "voice/manage/pulses/<str:series_id>/active/",
    "voice/manage/<str:survey_id>/edit/", "voice/manage/<str:survey_id>/open/", "voice/manage/<str:survey_id>/close/",
    "voice/manage/<str:survey_id>/remind/", "voice/ideas/", "voice/ideas/new/", "voice/ideas/mine/",
    "voice/ideas/<str:idea_id>/", "voice/ideas/<str:idea_id>/vote/", "voice/ideas/<str:idea_id>/status/",
    "voice/ideas/<str:idea_id>/reply/", "voice/actions/", "voice/actions/new/", "voice/actions/<str:action_id>/",
    "api/surveys/", "api/surveys/questions", "api/surveys/pulses", "api/surveys/pulses/<series_id>/trend",
    "api/surveys/ideas", "api/surveys/ideas/mine", "api/surveys/ideas/<idea_id>", "api/surveys/ideas/<idea_id>/vote",
    "api/surveys/ideas/<idea_id>/comments", "api/surveys/ideas/<idea_id>/replies",
    "api/surveys/ideas/<idea_id>/status", "api/surveys/actions", "api/surveys/<survey_id>",
    "api/surveys/<survey_id>/responses", "api/surveys/<survey_id>/responses/mine", "api/surveys/<survey_id>/results",
    "api/surveys/<survey_id>/open", "api/surveys/<survey_id>/close",
    # tests/pairing/test_permissions.py (PAIRING_ROUTES: every /connect/ page, as five people, in four kinds of
    # program) and tests/pairing/test_api.py (API: 401 anonymous, 404 outsiders of a private group, 403 non-owners)
    "connect/", "connect/new/", "connect/never/", "connect/never/<str:entry_id>/remove/",
    "connect/coffee/<str:match_id>/", "connect/coffee/<str:match_id>/answer/",
    "connect/coffee/<str:match_id>/suggest/", "connect/coffee/<str:match_id>/invite.ics",
    "connect/mentorships/<str:match_id>/", "connect/mentorships/<str:match_id>/checkin/",
    "connect/mentorships/<str:match_id>/progress/", "connect/mentorships/<str:match_id>/rematch/",
    "connect/mentorships/<str:match_id>/complete/", "connect/<str:program_id>/", "connect/<str:program_id>/edit/",
    "connect/<str:program_id>/status/", "connect/<str:program_id>/join/", "connect/<str:program_id>/leave/",
    "connect/<str:program_id>/snooze/", "connect/<str:program_id>/pulse/", "connect/<str:program_id>/run/",
    "connect/<str:program_id>/review/", "connect/<str:program_id>/publish/",
    "connect/<str:program_id>/matches/<str:match_id>/lock/", "connect/<str:program_id>/matches/<str:match_id>/swap/",
    "connect/<str:program_id>/members/<str:member_id>/move/", "connect/<str:program_id>/teams/<str:team_id>/group/",
    "connect/<str:program_id>/requests/", "connect/<str:program_id>/requests/<str:request_id>/remove/",
    "api/pairing/programs", "api/pairing/programs/<program_id>", "api/pairing/programs/<program_id>/signup",
    "api/pairing/programs/<program_id>/snooze", "api/pairing/programs/<program_id>/signups",
    "api/pairing/programs/<program_id>/run", "api/pairing/programs/<program_id>/publish",
    "api/pairing/programs/<program_id>/rounds", "api/pairing/programs/<program_id>/matches",
    "api/pairing/programs/<program_id>/matches/<match_id>", "api/pairing/coffee-matches",
    "api/pairing/coffee-matches/<match_id>/answer", "api/pairing/mentorships",
    "api/pairing/mentorships/<match_id>/checkins",
    # tests/recognition/test_permissions.py (RECOGNITION_ROUTES: every /kudos/ page and recognition API operation,
    # as seven people, on public, private, shared-with-managers, private-group and withdrawn kudos)
    "kudos/", "kudos/new/", "kudos/suggest/", "kudos/points/", "kudos/celebrations/", "kudos/celebrations/settings/",
    "kudos/badges/", "kudos/team/", "kudos/spotlight/", "kudos/spotlight/<str:entry_id>/remove/", "kudos/manage/",
    "kudos/manage/values/", "kudos/manage/values/<str:value_id>/", "kudos/manage/badges/",
    "kudos/manage/badges/<str:badge_id>/award/", "kudos/manage/badges/<str:badge_id>/active/",
    "kudos/manage/awards/<str:award_id>/remove/", "kudos/<str:kudos_id>/", "kudos/<str:kudos_id>/plus-one/",
    "kudos/<str:kudos_id>/react/", "kudos/<str:kudos_id>/delete/", "kudos/<str:kudos_id>/spotlight/",
    "api/recognition/kudos", "api/recognition/kudos/<kudos_id>", "api/recognition/kudos/<kudos_id>/restore",
    "api/recognition/kudos/<kudos_id>/plus-one", "api/recognition/kudos/<kudos_id>/reactions",
    "api/recognition/values", "api/recognition/values/<value_id>", "api/recognition/settings",
    "api/recognition/allowance", "api/recognition/celebrations", "api/recognition/celebrations/preferences",
    "api/recognition/badges", "api/recognition/badges/<badge_id>/awards", "api/recognition/people/<person_id>/badges",
    "api/recognition/spotlight", "api/recognition/spotlight/<entry_id>", "api/recognition/manager/summary",
}

BAD_IDS = ["abc", "0", "-1", "99999999999999999999999", "1.5", "%20"]


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("get", "/people/{}/"),
        ("get", "/people/{}/edit/"),
        ("post", "/people/{}/edit/"),
        ("post", "/people/{}/photo/"),
        ("post", "/people/{}/active/"),
        ("post", "/accounts/security/sessions/{}/revoke/"),
        ("post", "/accounts/security/tokens/{}/revoke/"),
        ("post", "/people/{}/follow/"),
        ("get", "/notifications/{}/open/"),
    ],
)
def test_bad_ids_are_404_not_500(admin_client, method, template, bad):
    admin_client.get("/healthz")  # records the session before the snapshot
    before = db_snapshot()
    response = getattr(admin_client, method)(template.format(bad))
    assert response.status_code == 404
    assert db_snapshot() == before


@pytest.mark.parametrize("bad", ["99999999999999999999999", "9223372036854775808", "0", "-1"])
def test_api_bad_person_ids_are_404(admin_client, bad):
    response = admin_client.get(f"/api/people/{bad}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_non_numeric_person_id_is_a_client_error(admin_client):
    response = admin_client.get("/api/people/abc")
    assert response.status_code in (404, 422)
    assert response.json()["code"] in ("not_found", "invalid")


def test_deactivated_member_is_signed_out_and_refused(world):
    """A member deactivated while signed in loses access on their next request, pages and API alike."""
    client = world.clients["member"]
    people_services.member_set_active(actor=world.admin.user, profile=world.member, active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get("/api/people/me").status_code == 401
    assert not Client().login(email=world.member.user.email, password=PASSWORD)


def test_token_of_other_member_is_not_revocable_via_api_either(world):
    assert ApiToken.objects.get(pk=world.member_token_id).revoked_at is None


def test_each_switched_off_allauth_page_is_requested_at_its_own_route():
    """The matrix rows above request a made-up path per route; each must resolve to that very route."""
    from django.urls import resolve

    assert NOT_OFFERED_ROUTES, "allauth pages that are not offered should be found"
    for route in NOT_OFFERED_ROUTES:
        assert resolve(url_coverage.example_path(route)).route == route
