"""The people API: every answer is checked against /api/openapi.json (tests/api/openapi.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from courtyard.accounts import services as account_services
from courtyard.core import clock
from courtyard.people import services
from courtyard.people.models import Profile
from tests.api.conftest import api_for
from tests.api.openapi import ApiClient, document, operation_for
from tests.factories import make_profile
from tests.helpers import db_snapshot, image_upload

pytestmark = pytest.mark.django_db


# --- the document --------------------------------------------------------------------------


def test_openapi_document_describes_every_operation():
    doc = document()
    operations = {(path, method) for path, item in doc["paths"].items() for method in item}
    people_operations = {(path, method) for path, method in operations if path.startswith("/api/people")}
    assert people_operations == {
        ("/api/people/", "get"), ("/api/people/me", "get"), ("/api/people/me", "patch"),
        ("/api/people/departments", "get"), ("/api/people/locations", "get"), ("/api/people/tags", "get"),
        ("/api/people/{person_id}", "get"), ("/api/people/me/following", "get"),
        ("/api/people/{person_id}/follow", "post"), ("/api/people/{person_id}/follow", "delete"),
    }
    schemes = doc["components"]["securitySchemes"]
    assert schemes["TokenAuth"]["scheme"] == "bearer"
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            assert operation.get("security"), (path, method)
            assert operation.get("summary"), (path, method)


def test_validator_rejects_a_response_that_breaks_the_schema(member):
    """The validator itself can fail: a person without an id is not a PersonDetailOut."""

    class Fake:
        status_code = 200
        content = json.dumps({"full_name": "x"}).encode()

        def __getitem__(self, key):
            return "application/json"

    from tests.api.openapi import validate_response

    with pytest.raises(AssertionError, match="id"):
        validate_response("get", "/api/people/me", Fake())
    assert operation_for("get", "/api/people/me")[0] == "/api/people/me"
    assert operation_for("get", "/api/people/12")[0] == "/api/people/{person_id}"


def test_api_docs_page(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


# --- authentication ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/people/", "/api/people/me", "/api/people/1", "/api/people/departments", "/api/people/locations",
             "/api/people/tags?kind=skill"],
)
def test_anonymous_gets_401_json(api_anonymous, member, path):
    response = api_anonymous.get(path)
    assert response.status_code == 401
    assert response.body["code"] == "not_authenticated"


def test_bearer_token_works(member):
    _token, raw = account_services.api_token_create(actor=member.user, name="script")
    api = ApiClient(Client(HTTP_AUTHORIZATION=f"Bearer {raw}"))
    response = api.get("/api/people/me")
    assert response.status_code == 200
    assert response.body["id"] == member.pk


def test_bearer_token_can_patch_without_csrf(member):
    _token, raw = account_services.api_token_create(actor=member.user, name="script")
    api = ApiClient(Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}"))
    assert api.patch("/api/people/me", {"pronouns": "she/her"}).status_code == 200
    member.refresh_from_db()
    assert member.pronouns == "she/her"


def test_revoked_token_is_401(member):
    token, raw = account_services.api_token_create(actor=member.user, name="script")
    account_services.api_token_revoke(actor=member.user, token_id=token.pk)
    response = ApiClient(Client(HTTP_AUTHORIZATION=f"Bearer {raw}")).get("/api/people/me")
    assert response.status_code == 401


def test_expired_token_is_401(member, monkeypatch):
    _token, raw = account_services.api_token_create(actor=member.user, name="script", expires_in_days=1)
    later = timezone.now() + dt.timedelta(days=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    response = ApiClient(Client(HTTP_AUTHORIZATION=f"Bearer {raw}")).get("/api/people/me")
    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer nonsense", "Token cy_abc", "Basic bWU6cGFzcw==", "Bearer cy_" + "x" * 43])
def test_bad_authorization_headers_are_401(member, header):
    assert ApiClient(Client(HTTP_AUTHORIZATION=header)).get("/api/people/me").status_code == 401


def test_session_auth_requires_csrf_for_patch(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    api = ApiClient(client)
    assert api.get("/api/people/me").status_code == 200  # reads need no token
    before = db_snapshot()
    refused = api.patch("/api/people/me", {"bio": "csrf"})
    assert refused.status_code in (401, 403)
    after = db_snapshot()
    assert after["people.Profile"] == before["people.Profile"]
    # With the token from the cookie, as the pages' htmx sends it, it works.
    client.get("/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    accepted = api.patch("/api/people/me", {"bio": "csrf ok"}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    assert accepted.body["bio"] == "csrf ok"


def test_deactivated_member_session_is_refused(member, admin):
    api = api_for(member)
    services.member_set_active(actor=admin.user, profile=member, active=False)
    assert api.get("/api/people/me").status_code == 401


def test_account_without_profile_gets_a_clear_404(db, django_user_model):
    user = django_user_model.objects.create_user("noprofile@example.com", "a-long-test-password-42")
    client = Client()
    client.force_login(user)
    response = ApiClient(client).get("/api/people/me")
    assert response.status_code == 404
    assert "profile" in response.body["message"]


# --- me ------------------------------------------------------------------------------------


def test_me_shows_everything_to_the_person(api_member, member):
    services.profile_update(
        actor=member.user, profile=member,
        data={"pronouns": "she/her", "bio": "Hi", "hidden_fields": ["pronouns", "bio", "timezone"]},
    )
    body = api_member.get("/api/people/me").body
    assert body["pronouns"] == "she/her"
    assert body["bio"] == "Hi"
    assert body["timezone"] == "Europe/Berlin"
    assert body["hidden_fields"] == ["bio", "pronouns", "timezone"]
    assert body["department"]["path"] == "Engineering / Platform"
    assert body["profile_url"] == f"/people/{member.pk}/"


def test_patch_me_changes_allowed_fields(api_member, member):
    location = services.location_ensure("Lisbon", "Europe/Lisbon")
    response = api_member.patch(
        "/api/people/me",
        {"preferred_name": "Mimi", "timezone": "Europe/Lisbon", "location_id": location.pk,
         "languages": ["English", " Portuguese ", ""], "interests": ["Rock climbing", "rock-climbing", "Jazz"],
         "skills": ["Go"], "ask_me_about": "Kayaks", "hidden_fields": ["photo"]},
    )
    assert response.status_code == 200
    body = response.body
    assert body["display_name"] == "Mimi"
    assert body["languages"] == ["English", "Portuguese"]
    assert body["interests"] == ["Jazz", "Rock climbing"]
    assert body["location"] == {"id": location.pk, "name": "Lisbon"}
    member.refresh_from_db()
    assert (member.preferred_name, member.timezone, member.location, member.languages) == (
        "Mimi", "Europe/Lisbon", location, "English, Portuguese",
    )
    assert member.hidden_fields == ["photo"]


def test_patch_me_with_nothing_changes_nothing(api_member, member):
    before = db_snapshot()
    assert api_member.patch("/api/people/me", {}).status_code == 200
    assert db_snapshot()["people.Profile"] == before["people.Profile"]


def test_patch_me_null_clears_text_and_lists(api_member, member):
    services.profile_update(actor=member.user, profile=member, data={"pronouns": "they", "interests": ["Chess"]})
    body = api_member.patch("/api/people/me", {"pronouns": None, "interests": None, "location_id": None}).body
    assert body["pronouns"] == ""
    assert body["interests"] == []
    assert body["location"] is None


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"timezone": "Mars/Olympus"}, 400, "bad_timezone"),
        ({"timezone": ""}, 400, "bad_timezone"),
        ({"timezone": None}, 400, "bad_timezone"),
        ({"hidden_fields": ["email"]}, 400, "bad_field"),
        ({"location_id": 999999}, 400, "bad_location"),
        ({"location_id": 0}, 422, "invalid"),
        ({"bio": "x" * 4001}, 422, "invalid"),
        ({"interests": "climbing"}, 422, "invalid"),
        ({"interests": [f"t{i}" for i in range(31)]}, 422, "invalid"),
    ],
)
def test_patch_me_refuses_bad_input_with_json(api_member, member, payload, status, code):
    before = db_snapshot()
    response = api_member.patch("/api/people/me", payload)
    assert response.status_code == status
    assert response.body["code"] == code
    assert response.body["message"]
    assert db_snapshot() == before


@pytest.mark.parametrize("field", ["full_name", "title", "department", "manager_id", "is_active", "email", "start_date"])
def test_patch_me_ignores_or_refuses_organization_fields(api_member, member, field):
    before = db_snapshot()
    response = api_member.patch("/api/people/me", {field: "Changed"})
    assert response.status_code in (200, 400, 403, 422)
    assert db_snapshot()["people.Profile"] == before["people.Profile"]
    assert db_snapshot()["accounts.User"] == before["accounts.User"]


def test_patch_me_body_must_be_json(member):
    client = Client()
    client.force_login(member.user)
    response = client.patch("/api/people/me", "not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["code"]


# --- hidden fields -------------------------------------------------------------------------

HIDEABLE = {"pronouns": "she/her", "timezone": "Europe/Berlin", "bio": "Secret bio", "ask_me_about": "Owls"}


@pytest.fixture
def private_member(member):
    services.profile_update(
        actor=member.user, profile=member,
        data={"pronouns": "she/her", "bio": "Secret bio", "ask_me_about": "Owls", "location": services.location_ensure("Oslo"),
              "languages": "Norwegian", "hidden_fields": list(Profile.OPTIONAL_FIELDS)},
    )
    services.profile_photo_set(actor=member.user, profile=member, upload=image_upload())
    return member


def test_hidden_fields_are_null_for_other_members(api_other, private_member):
    body = api_other.get(f"/api/people/{private_member.pk}").body
    for field in ("pronouns", "timezone", "bio", "ask_me_about", "location", "languages", "start_date", "photo_url"):
        assert body[field] is None, field
    assert body["hidden_fields"] == []  # not even which fields are hidden
    assert body["full_name"] == "Mia Member"  # names are never hidden
    listed = api_other.get("/api/people/?q=mia").body["items"][0]
    assert listed["pronouns"] is None
    assert listed["location"] is None
    assert listed["photo_url"] is None


@pytest.mark.parametrize("viewer", ["self", "admin"])
def test_hidden_fields_are_shown_to_the_person_and_admins(private_member, admin, viewer):
    api = api_for(private_member if viewer == "self" else admin)
    body = api.get(f"/api/people/{private_member.pk}").body
    assert body["pronouns"] == "she/her"
    assert body["bio"] == "Secret bio"
    assert body["location"]["name"] == "Oslo"
    assert body["photo_url"].startswith("/media/photos/")
    assert set(body["hidden_fields"]) == set(Profile.OPTIONAL_FIELDS)


def test_visible_fields_are_shown_to_other_members(api_other, member):
    services.profile_update(actor=member.user, profile=member, data={"pronouns": "she/her", "hidden_fields": ["bio"]})
    body = api_other.get(f"/api/people/{member.pk}").body
    assert body["pronouns"] == "she/her"
    assert body["timezone"] == "Europe/Berlin"


def test_deactivated_person_is_404_for_members_but_shown_to_admins(api_other, api_admin, member, admin):
    services.member_set_active(actor=admin.user, profile=member, active=False)
    assert api_other.get(f"/api/people/{member.pk}").status_code == 404
    assert api_admin.get(f"/api/people/{member.pk}").status_code == 200
    assert api_other.get("/api/people/?q=mia").body["count"] == 0


# --- list, filters, pagination -------------------------------------------------------------


@pytest.fixture
def directory(member, other_member, admin):
    platform = member.department
    berlin = services.location_ensure("Berlin")
    make_profile(full_name="José Núñez", department=platform, location=berlin, interests=["Rock climbing"],
                 skills=["Kubernetes"], start_date=timezone.now().date() - dt.timedelta(days=5))
    make_profile(full_name="Zoë Zimmer", department="Engineering", interests=["Jazz"], skills=["Python"])
    return {"platform": platform, "engineering": platform.parent, "berlin": berlin}


def names(api: ApiClient, query: str) -> list[str]:
    response = api.get("/api/people/" + query)
    assert response.status_code == 200, response.body
    return [item["full_name"] for item in response.body["items"]]


def test_list_defaults_to_name_order(api_member, directory):
    body = api_member.get("/api/people/").body
    assert (body["count"], body["limit"], body["offset"]) == (5, 50, 0)
    assert [i["full_name"] for i in body["items"]] == ["Ada Admin", "José Núñez", "Mia Member", "Olu Other", "Zoë Zimmer"]


def test_list_search_and_filters(api_member, directory):
    assert names(api_member, "?q=clim") == ["José Núñez"]
    assert names(api_member, "?q=jose") == ["José Núñez"]
    assert names(api_member, f"?department={directory['engineering'].pk}&sort=name") == [
        "José Núñez", "Mia Member", "Zoë Zimmer",
    ]
    assert names(api_member, f"?location={directory['berlin'].pk}") == ["José Núñez"]
    assert names(api_member, "?interest=rock-climbing") == ["José Núñez"]
    assert names(api_member, "?skill=python") == ["Zoë Zimmer"]
    assert names(api_member, "?newcomer=true") == ["José Núñez"]
    assert names(api_member, "?sort=newest")[0] == "José Núñez"
    assert names(api_member, "?department=999999") == []


def test_list_pagination(api_member, directory):
    page = api_member.get("/api/people/?limit=2&offset=2").body
    assert page["count"] == 5
    assert [i["full_name"] for i in page["items"]] == ["Mia Member", "Olu Other"]
    beyond = api_member.get("/api/people/?offset=500").body
    assert (beyond["count"], beyond["items"]) == (5, [])
    assert len(api_member.get("/api/people/?limit=100").body["items"]) == 5


@pytest.mark.parametrize(
    "query",
    ["?limit=101", "?limit=0", "?limit=-1", "?offset=-1", "?offset=1000001", "?limit=abc", "?sort=random",
     "?department=0", "?department=abc", "?newcomer=maybe", "?q=" + "x" * 201],
)
def test_list_bad_parameters_are_422(api_member, directory, query):
    response = api_member.get("/api/people/" + query)
    assert response.status_code == 422
    assert response.body["code"] == "invalid"
    assert response.body["details"]


def test_departments_locations_and_tags(api_member, directory):
    departments = api_member.get("/api/people/departments").body
    assert {"id": directory["platform"].pk, "name": "Platform", "path": "Engineering / Platform"} in departments
    locations = api_member.get("/api/people/locations").body
    assert locations == [{"id": directory["berlin"].pk, "name": "Berlin"}]
    assert api_member.get("/api/people/tags?kind=interest&q=ro").body == ["Rock climbing"]
    assert api_member.get("/api/people/tags?kind=skill&q=ku").body == ["Kubernetes"]
    assert api_member.get("/api/people/tags?kind=interest&q=").body == []
    assert api_member.get("/api/people/tags?kind=colour&q=r").status_code == 422
    assert api_member.get("/api/people/tags").status_code == 422
