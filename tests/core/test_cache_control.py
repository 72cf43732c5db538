"""Signed-in pages are never stored by shared proxies or shown again by the back button after sign-out."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from courtyard.core.middleware import PrivatePagesMiddleware
from courtyard.people import services
from tests.helpers import image_upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["home", "people:directory", "notifications:list"])
def test_signed_in_pages_are_private_and_not_stored(member_client, name):
    response = member_client.get(reverse(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_api_for_a_signed_in_member_is_private_too(member_client):
    response = member_client.get("/api/people/me")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_api_with_a_personal_token_is_private(member):
    from courtyard.accounts.services import api_token_create

    _token, raw = api_token_create(actor=member.user, name="laptop")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/people/me")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_an_error_page_for_a_signed_in_member_is_private(member_client):
    response = member_client.get("/groups/999999/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-store"


def test_signing_in_sets_a_session_and_the_answer_is_private(member, password):
    response = Client().post(reverse("account_login"), {"login": "member@example.com", "password": password})
    assert response.status_code == 302
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_after_sign_out_the_page_the_back_button_would_show_was_never_stored(member_client):
    page = member_client.get(reverse("home"))
    assert "no-store" in page["Cache-Control"]
    member_client.post(reverse("account_logout"))
    assert member_client.get(reverse("home")).status_code == 302


def test_anonymous_static_files_keep_their_own_caching(client):
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_member_only_photos_keep_their_private_day_in_the_browser(member, member_client):
    services.profile_photo_set(actor=member.user, profile=member, upload=image_upload())
    member.refresh_from_db()
    response = member_client.get(f"/media/{member.photo.name}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=86400"


def test_a_public_policy_on_a_signed_in_answer_is_replaced(member):
    request = RequestFactory().get("/")
    request.user = member.user

    def view(_request):
        response = HttpResponse("private things")
        response["Cache-Control"] = "public, max-age=600"
        return response

    assert PrivatePagesMiddleware(view)(request)["Cache-Control"] == "private, no-store"


def test_an_anonymous_page_without_a_session_is_left_alone(db):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = PrivatePagesMiddleware(lambda _request: HttpResponse("hello"))(request)
    assert "Cache-Control" not in response
