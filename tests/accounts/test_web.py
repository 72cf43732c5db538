"""Account pages: sign-in, sign-out, password change and reset, session lifetime, security page, invitations."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courtyard.accounts import services
from courtyard.accounts.models import ApiToken, Invitation, User, UserSession
from courtyard.core import clock
from courtyard.people import services as people_services
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db

STRONG = "violet-harbour-lantern-87"
START = timezone.make_aware(dt.datetime(2026, 3, 15, 9, 0))


@pytest.fixture
def frozen(monkeypatch):
    class Clock:
        now = START

    monkeypatch.setattr(clock, "now", lambda: Clock.now)
    return Clock


def signed_in(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


def assert_signed_out(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- sign in and out -----------------------------------------------------------------------


def test_sign_in_with_email_and_password(client, member, password):
    page = client.get(reverse("account_login"))
    assert page.status_code == 200
    response = client.post(reverse("account_login"), {"login": "MEMBER@example.com", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert UserSession.objects.filter(user=member.user, ended_at__isnull=True).count() == 1


def test_wrong_password_is_refused_without_saying_whether_the_address_exists(client, member):
    known = client.post(reverse("account_login"), {"login": member.user.email, "password": "wrong-password-123"})
    unknown = client.post(reverse("account_login"), {"login": "nobody@example.com", "password": "wrong-password-123"})
    assert known.status_code == unknown.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "not correct" in known.content.decode() or "incorrect" in known.content.decode().lower()


TOO_MANY = "Too many failed login attempts"


def failed_sign_in(client: Client, email: str, i: int) -> str:
    response = client.post(reverse("account_login"), {"login": email, "password": f"wrong-{i}-password"})
    assert response.status_code in (200, 429)
    return response.content.decode()


def test_sign_in_is_rate_limited_per_account(client, member, password):
    """After 5 wrong passwords for one address, even the right password is refused for a while."""
    pages = [failed_sign_in(client, member.user.email, i) for i in range(6)]
    assert all(TOO_MANY not in page for page in pages[:5])
    assert TOO_MANY in pages[5]
    response = Client().post(reverse("account_login"), {"login": member.user.email, "password": password})
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_sign_in_is_rate_limited_per_address(client, member, other_member, password):
    """Guessing many accounts from one IP address is limited too (ACCOUNT_RATE_LIMITS login_failed)."""
    pages = [failed_sign_in(client, f"guess{i}@example.com", i) for i in range(11)]
    assert TOO_MANY not in pages[0]
    assert TOO_MANY in pages[-1]
    response = client.post(reverse("account_login"), {"login": other_member.user.email, "password": password})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    # From another address the same person signs in.
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post(reverse("account_login"), {"login": other_member.user.email, "password": password}).status_code == 302


def test_sign_in_page_redirects_members_already_signed_in(member_client):
    assert member_client.get(reverse("account_login")).status_code == 302


def test_sign_out_ends_the_session_record(client, member, password):
    client.post(reverse("account_login"), {"login": member.user.email, "password": password})
    client.get(reverse("home"))
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert_signed_out(client.get(reverse("home")))


def test_sign_out_needs_a_post(member_client):
    # A GET shows a confirmation page (a link or an image cannot sign anyone out).
    response = member_client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert member_client.get(reverse("home")).status_code == 200


def test_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"), {"email": "self@example.com", "password1": STRONG, "password2": STRONG}
    )
    assert not User.objects.filter(email="self@example.com").exists()
    assert response.status_code == 404  # allauth sign-up is not offered (accounts/web/allauth_urls.py)


# --- session lifetime ----------------------------------------------------------------------


def test_idle_timeout_signs_the_member_out(client, member, password, frozen, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client.post(reverse("account_login"), {"login": member.user.email, "password": password})
    assert client.get(reverse("home")).status_code == 200
    frozen.now = START + dt.timedelta(seconds=590)
    assert client.get(reverse("home")).status_code == 200  # activity keeps it alive ...
    frozen.now = START + dt.timedelta(seconds=590 + 590)
    assert client.get(reverse("home")).status_code == 200
    frozen.now = START + dt.timedelta(seconds=590 + 590 + 601)  # ... idleness ends it
    assert_signed_out(client.get(reverse("home")))
    record = UserSession.objects.get(user=member.user)
    assert record.ended_at is not None


def test_absolute_timeout_signs_an_active_member_out(client, member, password, frozen, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    settings.SESSION_ABSOLUTE_TIMEOUT = 3600
    client.post(reverse("account_login"), {"login": member.user.email, "password": password})
    for minutes in range(0, 60, 5):
        frozen.now = START + dt.timedelta(minutes=minutes)
        assert client.get(reverse("home")).status_code == 200, minutes
    frozen.now = START + dt.timedelta(minutes=60, seconds=1)
    assert_signed_out(client.get(reverse("home")))


def test_api_session_auth_also_times_out(client, member, password, frozen, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client.post(reverse("account_login"), {"login": member.user.email, "password": password})
    assert client.get("/api/people/me").status_code == 200
    frozen.now = START + dt.timedelta(seconds=601)
    assert client.get("/api/people/me").status_code == 401


# --- passwords -----------------------------------------------------------------------------


@pytest.mark.parametrize("new", ["short-pw-1", "qwerty123456", "123456789012345", "member@example.com"])
def test_password_change_refuses_weak_passwords(member_client, member, password, new):
    response = member_client.post(
        reverse("account_change_password"), {"oldpassword": password, "password1": new, "password2": new}
    )
    assert response.status_code == 200
    member.user.refresh_from_db()
    assert member.user.check_password(password)
    assert not member.user.check_password(new)


def test_password_change_with_a_strong_password(member_client, member, password):
    assert member_client.get(reverse("account_change_password")).status_code == 200
    response = member_client.post(
        reverse("account_change_password"), {"oldpassword": password, "password1": STRONG, "password2": STRONG}
    )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password(STRONG)


def test_password_change_requires_the_old_password(member_client, member, password):
    member_client.post(
        reverse("account_change_password"), {"oldpassword": "guess-guess-1", "password1": STRONG, "password2": STRONG}
    )
    member.user.refresh_from_db()
    assert member.user.check_password(password)


def test_password_reset_by_email(client, member):
    assert client.get(reverse("account_reset_password")).status_code == 200
    response = client.post(reverse("account_reset_password"), {"email": member.user.email})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200  # "check your email"
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    weak = client.post(form_url, {"password1": "qwerty123456", "password2": "qwerty123456"})
    assert weak.status_code == 200
    done = client.post(form_url, {"password1": STRONG, "password2": STRONG})
    assert done.status_code == 302
    assert client.get(done["Location"]).status_code == 200
    member.user.refresh_from_db()
    assert member.user.check_password(STRONG)
    # ACCOUNT_LOGIN_ON_PASSWORD_RESET is off: the reset link does not sign anyone in.
    assert_signed_out(client.get(reverse("home")))


def test_password_reset_for_an_unknown_address_sends_nothing_useful(client, member):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302  # same answer as for a known address
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)


def test_password_reset_with_a_bad_key(client):
    response = client.get("/accounts/password/reset/key/1-bad-key/")
    assert response.status_code == 200
    assert "password1" not in response.content.decode()


# --- the security page: sessions and tokens ------------------------------------------------


def test_security_page_lists_sessions_and_tokens(member, frozen):
    phone = Client(HTTP_USER_AGENT="Phone browser")
    phone.force_login(member.user)
    phone.get("/healthz")
    services.api_token_create(actor=member.user, name="backup script")
    client = Client(HTTP_USER_AGENT="Laptop browser")
    client.force_login(member.user)
    html = client.get(reverse("account_security")).content.decode()
    assert "Phone browser" in html
    assert "Laptop browser" in html
    assert "This browser" in html
    assert "backup script" in html
    assert "Sign out everywhere else" in html


def test_token_is_shown_once_on_creation(member_client, member):
    response = member_client.post(reverse("token_create"), {"name": "ci", "expires_in_days": "30"})
    assert response.status_code == 200
    raw = re.search(r'id="new-token">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=member.user)
    assert token.token_hash == services.token_hash(raw)
    assert raw not in member_client.get(reverse("account_security")).content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/people/me").json()["id"] == member.pk


@pytest.mark.parametrize("data", [{"name": ""}, {"name": "x", "expires_in_days": "0"}, {"name": "x", "expires_in_days": "abc"}])
def test_token_form_errors_are_400(member_client, data):
    response = member_client.post(reverse("token_create"), data)
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_token_revoke_from_the_page(member_client, member):
    token, raw = services.api_token_create(actor=member.user, name="old")
    response = member_client.post(reverse("token_revoke", args=[token.pk]), follow=True)
    assert response.status_code == 200
    assert "no longer works" in response.content.decode()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/people/me").status_code == 401


def test_session_revoke_from_the_page(member):
    laptop = signed_in(member)
    laptop.get("/healthz")
    phone = signed_in(member)
    phone.get("/healthz")
    record = UserSession.objects.get(session_key=phone.session.session_key)
    response = laptop.post(reverse("session_revoke", args=[record.pk]), follow=True)
    assert "has been signed out" in response.content.decode()
    assert_signed_out(phone.get(reverse("home")))
    assert laptop.get(reverse("home")).status_code == 200
    # Once ended, it cannot be revoked again.
    assert laptop.post(reverse("session_revoke", args=[record.pk])).status_code == 404


def test_revoke_others_from_the_page(member):
    laptop, phone = signed_in(member), signed_in(member)
    laptop.get("/healthz")
    phone.get("/healthz")
    response = laptop.post(reverse("sessions_revoke_others"), follow=True)
    assert "Signed out of 1 other sessions." in response.content.decode()
    assert_signed_out(phone.get(reverse("home")))
    assert laptop.get(reverse("home")).status_code == 200


def test_security_actions_need_post(member_client):
    for url in (reverse("sessions_revoke_others"), reverse("token_create"), reverse("session_revoke", args=[1]),
                reverse("token_revoke", args=[1])):
        assert member_client.get(url).status_code == 405


def test_security_posts_need_csrf(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    before = db_snapshot()
    assert client.post(reverse("token_create"), {"name": "x"}).status_code == 403
    assert client.post(reverse("sessions_revoke_others")).status_code == 403
    after = db_snapshot()
    assert after["accounts.ApiToken"] == before["accounts.ApiToken"]


# --- invitations ---------------------------------------------------------------------------


def test_invitation_journey(admin_client, django_capture_on_commit_callbacks):
    assert admin_client.get(reverse("invitation_new")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("invitation_new"), {"email": "nova@example.com", "full_name": "Nova Nieves"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/)", mail.outbox[0].body).group(1)

    guest = Client()
    page = guest.get(path)
    assert page.status_code == 200
    assert "nova@example.com" in page.content.decode()
    weak = guest.post(path, {"password": "short", "password_again": "short"})
    assert weak.status_code == 400
    common = guest.post(path, {"password": "qwerty123456", "password_again": "qwerty123456"})
    assert common.status_code == 400
    assert "common" in common.content.decode()
    differ = guest.post(path, {"password": STRONG, "password_again": STRONG + "x"})
    assert differ.status_code == 400
    assert not User.objects.get(email="nova@example.com").has_usable_password()

    accepted = guest.post(path, {"password": STRONG, "password_again": STRONG})
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("people:profile_edit_self")
    assert guest.get(accepted["Location"]).status_code == 200  # signed in
    assert Client().login(email="nova@example.com", password=STRONG)
    # A used link is gone.
    assert Client().get(path).status_code == 404
    assert Client().post(path, {"password": STRONG, "password_again": STRONG}).status_code == 404


def test_expired_invitation_link_is_404(admin, frozen):
    _invitation, raw = people_services.invitation_create(actor=admin.user, email="nova@example.com", full_name="Nova")
    path = reverse("invitation_accept", args=[raw])
    assert Client().get(path).status_code == 200
    frozen.now = START + dt.timedelta(days=services.INVITATION_DAYS + 1)
    response = Client().get(path)
    assert response.status_code == 404
    assert "not valid any more" in response.content.decode()


def test_invitation_form_errors(admin_client, member):
    response = admin_client.post(reverse("invitation_new"), {"email": "member@example.com", "full_name": ""})
    assert response.status_code == 400
    assert "can already sign in" in response.content.decode()
    response = admin_client.post(reverse("invitation_new"), {"email": "not-an-email"})
    assert response.status_code == 400
    assert Invitation.objects.count() == 0
