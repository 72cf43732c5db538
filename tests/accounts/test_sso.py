"""Single sign-on (OpenID Connect) against a fake identity provider: the whole redirect-and-callback flow."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from courtyard.accounts.models import User

IDP = "https://idp.example.com"
PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "sso",
                "name": "Acme SSO",
                "client_id": "courtyard",
                "secret": "s3cret",
                "settings": {"server_url": f"{IDP}/.well-known/openid-configuration", "fetch_userinfo": True},
            }
        ],
    }
}


class FakeResponse:
    def __init__(self, payload: dict, status_code: int = 200) -> None:
        self.payload = payload
        self.status_code = status_code
        self.headers = {"content-type": "application/json"}
        self.text = "{}"

    def json(self) -> dict:
        return self.payload

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(self.status_code)


class FakeIdentityProvider:
    """Answers discovery, the token exchange and userinfo like a real OpenID provider would."""

    def __init__(self, email: str) -> None:
        self.email = email
        self.token_requests: list[dict] = []

    def __call__(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def get(self, url, headers=None, **kwargs):
        if url.endswith("/.well-known/openid-configuration"):
            return FakeResponse(
                {
                    "issuer": IDP,
                    "authorization_endpoint": f"{IDP}/authorize",
                    "token_endpoint": f"{IDP}/token",
                    "userinfo_endpoint": f"{IDP}/userinfo",
                    "token_endpoint_auth_methods_supported": ["client_secret_post"],
                }
            )
        if url == f"{IDP}/userinfo":
            assert headers["Authorization"] == "Bearer access-123"
            return FakeResponse({"sub": "user-42", "email": self.email, "email_verified": True, "name": "Mia"})
        raise AssertionError(f"unexpected GET {url}")

    def request(self, method, url, data=None, **kwargs):
        assert (method, url) == ("POST", f"{IDP}/token")
        self.token_requests.append(data)
        return FakeResponse({"access_token": "access-123", "token_type": "Bearer", "expires_in": 3600})


@pytest.fixture
def sso(settings, monkeypatch):
    settings.SOCIALACCOUNT_PROVIDERS = PROVIDERS

    def install(email: str) -> FakeIdentityProvider:
        idp = FakeIdentityProvider(email)
        monkeypatch.setattr(
            "courtyard.accounts.adapter.SocialAccountAdapter.get_requests_session", lambda self: idp
        )
        return idp

    return install


def sign_in_with_sso(client: Client) -> object:
    start = client.post("/accounts/oidc/sso/login/")
    assert start.status_code == 302
    authorize = urlsplit(start["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == f"{IDP}/authorize"
    query = parse_qs(authorize.query)
    assert query["client_id"] == ["courtyard"]
    assert "code_challenge" in query  # PKCE
    return client.get("/accounts/oidc/sso/login/callback/", {"code": "code-1", "state": query["state"][0]})


def test_login_page_offers_sso_when_configured(sso, db):
    page = Client().get("/accounts/login/")
    assert "Sign in with Acme SSO" in page.content.decode()


def test_login_page_has_no_sso_button_by_default(db):
    assert "Sign in with" not in Client().get("/accounts/login/").content.decode()


def test_member_signs_in_with_sso_into_their_imported_account(sso, member):
    idp = sso(member.user.email)
    client = Client()
    callback = sign_in_with_sso(client)
    assert callback.status_code == 302
    assert callback["Location"] == "/"
    assert idp.token_requests[0]["code"] == "code-1"
    assert client.get("/people/").status_code == 200
    assert member.user.socialaccount_set.get().uid == "user-42"
    assert User.objects.count() == 1


def test_sso_never_creates_accounts_for_unknown_people(sso, db):
    sso("stranger@example.com")
    client = Client()
    callback = sign_in_with_sso(client)
    assert User.objects.count() == 0
    assert client.get("/people/").status_code == 302  # still signed out
    assert callback.status_code in (200, 302)


def test_sso_refuses_deactivated_members(sso, member, admin):
    from courtyard.people.services import member_set_active

    member_set_active(actor=admin.user, profile=member, active=False)
    sso(member.user.email)
    client = Client()
    sign_in_with_sso(client)
    assert client.get("/people/").status_code == 302
