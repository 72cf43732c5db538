"""accounts.services on the real database: API tokens, browser sessions, invitations."""

from __future__ import annotations

import datetime as dt
import hashlib
from importlib import import_module

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from courtyard.accounts import services
from courtyard.accounts.models import ApiToken, Invitation, User, UserSession
from courtyard.core import clock
from courtyard.core.errors import ApplicationError, NotFound, PermissionDenied
from courtyard.core.models import AuditEntry
from courtyard.people import services as people_services
from courtyard.people.models import Profile
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 3, 15, 12, 0))
STRONG = "violet-harbour-lantern-87"


@pytest.fixture
def frozen(monkeypatch):
    """The clock, settable: ``frozen.now = ...``."""

    class Clock:
        now = NOW

    monkeypatch.setattr(clock, "now", lambda: Clock.now)
    return Clock


# --- API tokens ----------------------------------------------------------------------------


def test_token_create_returns_the_raw_token_once_and_stores_only_a_hash(member, frozen):
    token, raw = services.api_token_create(actor=member.user, name="  my   script ", expires_in_days=30)
    assert raw.startswith(settings.API_TOKEN_PREFIX)
    assert len(raw) > 40
    token.refresh_from_db()
    assert token.name == "my script"
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:10]
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.expires_at == NOW + dt.timedelta(days=30)
    assert AuditEntry.objects.filter(action="accounts.token.created", actor=member.user).exists()
    # Two tokens are never the same.
    assert services.api_token_create(actor=member.user, name="again")[1] != raw


@pytest.mark.parametrize(
    ("name", "days", "code"),
    [("", None, "required"), ("   ", None, "required"), ("x" * 101, None, "too_long"), ("ok", 0, "bad_expiry"),
     ("ok", 3651, "bad_expiry"), ("ok", -5, "bad_expiry")],
)
def test_token_create_validates(member, name, days, code):
    with pytest.raises(ApplicationError) as error:
        services.api_token_create(actor=member.user, name=name, expires_in_days=days)
    assert error.value.code == code
    assert ApiToken.objects.count() == 0


def test_token_count_is_limited(member):
    for i in range(services.TOKEN_MAX_PER_USER):
        services.api_token_create(actor=member.user, name=f"t{i}")
    with pytest.raises(ApplicationError) as error:
        services.api_token_create(actor=member.user, name="one too many")
    assert error.value.code == "too_many_tokens"


def test_token_authenticates_and_records_last_use(member, frozen):
    token, raw = services.api_token_create(actor=member.user, name="script")
    assert services.api_token_authenticate(raw) == member.user
    token.refresh_from_db()
    assert token.last_used_at == NOW
    # Within five minutes the time is not written again (no write per request) ...
    frozen.now = NOW + dt.timedelta(minutes=4)
    services.api_token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at == NOW
    # ... after that it is.
    frozen.now = NOW + dt.timedelta(minutes=6)
    services.api_token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at == NOW + dt.timedelta(minutes=6)


def test_token_expires(member, frozen):
    _token, raw = services.api_token_create(actor=member.user, name="short", expires_in_days=1)
    frozen.now = NOW + dt.timedelta(hours=23)
    assert services.api_token_authenticate(raw) == member.user
    frozen.now = NOW + dt.timedelta(days=1, seconds=1)
    assert services.api_token_authenticate(raw) is None


def test_token_revoke(member, other_member):
    token, raw = services.api_token_create(actor=member.user, name="script")
    with pytest.raises(NotFound):
        services.api_token_revoke(actor=other_member.user, token_id=token.pk)
    assert services.api_token_authenticate(raw) == member.user
    services.api_token_revoke(actor=member.user, token_id=token.pk)
    assert services.api_token_authenticate(raw) is None
    with pytest.raises(NotFound):
        services.api_token_revoke(actor=member.user, token_id=token.pk)
    assert AuditEntry.objects.filter(action="accounts.token.revoked").count() == 1


def test_token_of_a_deactivated_member_does_not_work(member, admin):
    from courtyard.people.services import member_set_active

    _token, raw = services.api_token_create(actor=member.user, name="script")
    member_set_active(actor=admin.user, profile=member, active=False)
    assert services.api_token_authenticate(raw) is None


@pytest.mark.parametrize("raw", ["", "cy_", "cy_nope", "Bearer cy_x", "x" * 50, "cy_" + "a" * 300])
def test_unknown_tokens_do_not_authenticate(member, raw):
    services.api_token_create(actor=member.user, name="script")
    assert services.api_token_authenticate(raw) is None


# --- browser sessions ----------------------------------------------------------------------


def signed_in(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    assert client.get("/healthz").status_code == 200  # the middleware records the session
    return client


def session_exists(client: Client) -> bool:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return store().exists(client.session.session_key)


def test_session_start_is_recorded_with_ip_and_device(member):
    client = Client(HTTP_USER_AGENT="Firefox on Linux", REMOTE_ADDR="10.0.0.7")
    client.force_login(member.user)
    client.get("/healthz")
    record = UserSession.objects.get(user=member.user)
    assert record.session_key == client.session.session_key
    assert (record.ip_address, record.user_agent, record.ended_at) == ("10.0.0.7", "Firefox on Linux", None)


def test_session_revoke_signs_that_browser_out(member):
    phone, laptop = signed_in(member), signed_in(member)
    phone_record = UserSession.objects.get(session_key=phone.session.session_key)
    services.session_revoke(actor=member.user, session_id=phone_record.pk)
    phone_record.refresh_from_db()
    assert phone_record.ended_at is not None
    assert not session_exists(phone)
    response = phone.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert laptop.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.session.revoked").count() == 1


def test_session_revoke_of_someone_elses_session_is_not_found(member, other_member):
    phone = signed_in(member)
    record = UserSession.objects.get(session_key=phone.session.session_key)
    before = db_snapshot()
    with pytest.raises(NotFound):
        services.session_revoke(actor=other_member.user, session_id=record.pk)
    assert db_snapshot() == before
    assert phone.get("/").status_code == 200


def test_revoke_other_sessions_keeps_this_one(member, other_member):
    here, there, elsewhere = signed_in(member), signed_in(member), signed_in(member)
    colleague = signed_in(other_member)
    count = services.sessions_revoke_others(actor=member.user, keep_session_key=here.session.session_key)
    assert count == 2
    assert here.get("/").status_code == 200
    assert there.get("/").status_code == 302
    assert elsewhere.get("/").status_code == 302
    assert colleague.get("/").status_code == 200
    assert services.sessions_revoke_others(actor=member.user, keep_session_key=here.session.session_key) == 0


def test_sessions_expire_closes_stale_records(member, frozen, settings):
    settings.SESSION_IDLE_TIMEOUT = 3600
    settings.SESSION_ABSOLUTE_TIMEOUT = 86400
    services.session_start(user=member.user, session_key="idle", ip_address=None, user_agent="")
    frozen.now = NOW + dt.timedelta(minutes=30)
    services.session_start(user=member.user, session_key="fresh", ip_address=None, user_agent="")
    frozen.now = NOW + dt.timedelta(minutes=61)
    assert services.sessions_expire() == 1
    assert UserSession.objects.get(session_key="idle").ended_at is not None
    assert UserSession.objects.get(session_key="fresh").ended_at is None


# --- invitations ---------------------------------------------------------------------------


def test_invitation_create_adds_the_person_and_sends_the_link(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, raw = people_services.invitation_create(actor=admin.user, email=" New.Person@Example.com ", full_name="Nova Person")
    assert invitation.email == "new.person@example.com"
    assert invitation.token_hash == services.token_hash(raw)
    profile = Profile.objects.get(user__email="new.person@example.com")
    assert profile.full_name == "Nova Person"
    assert not profile.user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert f"/accounts/invitation/{raw}/" in message.body
    assert message.body.count(settings.SITE_URL) == 1
    assert "Ada Admin" in message.body or "admin@example.com" in message.body


def test_invitation_mail_is_sent_only_after_commit(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        people_services.invitation_create(actor=admin.user, email="later@example.com", full_name="Lee Later")
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_only_admins_invite(member):
    before = db_snapshot()
    with pytest.raises(PermissionDenied):
        people_services.invitation_create(actor=member.user, email="friend@example.com", full_name="Fred Friend")
    assert db_snapshot() == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("email", "name", "code"),
    [("not-an-address", "X", "bad_email"), ("", "X", "bad_email"), ("nobody@example.com", "  ", "required"),
     ("member@example.com", "", "already_member")],
)
def test_invitation_create_refusals(admin, member, email, name, code):
    with pytest.raises(ApplicationError) as error:
        people_services.invitation_create(actor=admin.user, email=email, full_name=name)
    assert error.value.code == code
    assert Invitation.objects.count() == 0


def test_inviting_a_deactivated_person_is_refused(admin, member):
    from courtyard.people.services import member_set_active

    member_set_active(actor=admin.user, profile=member, active=False)
    with pytest.raises(ApplicationError) as error:
        people_services.invitation_create(actor=admin.user, email="member@example.com")
    assert error.value.code == "inactive"


def test_invitation_for_someone_already_in_the_directory_without_password(admin):
    from courtyard.people.services import profile_create

    profile_create(email="imported@example.com", full_name="Ida Imported")
    invitation, _raw = people_services.invitation_create(actor=admin.user, email="imported@example.com")
    assert invitation.email == "imported@example.com"
    assert User.objects.filter(email="imported@example.com").count() == 1


def test_invitation_accept_sets_the_password_once(admin, frozen):
    _invitation, raw = people_services.invitation_create(actor=admin.user, email="nova@example.com", full_name="Nova")
    user = services.invitation_accept(raw_token=raw, password=STRONG)
    assert user.check_password(STRONG)
    assert Invitation.objects.get().accepted_at == NOW
    with pytest.raises(NotFound):
        services.invitation_accept(raw_token=raw, password="another-strong-one-99")
    user.refresh_from_db()
    assert user.check_password(STRONG)


@pytest.mark.parametrize(
    "password",
    ["short-1A", "password1234", "qwerty123456", "Q1w2e3r4t5y6", "123456789012345", "nova@example.com", "novaexample1"],
)
def test_invitation_accept_refuses_weak_passwords(admin, password):
    _invitation, raw = people_services.invitation_create(actor=admin.user, email="nova@example.com", full_name="Nova")
    with pytest.raises(ApplicationError) as error:
        services.invitation_accept(raw_token=raw, password=password)
    assert error.value.code == "weak_password"
    assert error.value.details
    user = User.objects.get(email="nova@example.com")
    assert not user.has_usable_password()
    assert Invitation.objects.get().accepted_at is None


def test_expired_invitation_is_not_found(admin, frozen):
    _invitation, raw = people_services.invitation_create(actor=admin.user, email="nova@example.com", full_name="Nova")
    frozen.now = NOW + dt.timedelta(days=services.INVITATION_DAYS, seconds=1)
    with pytest.raises(NotFound):
        services.invitation_lookup(raw)
    with pytest.raises(NotFound):
        services.invitation_accept(raw_token=raw, password=STRONG)


def test_invitation_of_a_since_deactivated_person_is_not_found(admin):
    from courtyard.people.services import member_set_active

    _invitation, raw = people_services.invitation_create(actor=admin.user, email="nova@example.com", full_name="Nova")
    member_set_active(actor=admin.user, profile=Profile.objects.get(user__email="nova@example.com"), active=False)
    with pytest.raises(NotFound):
        services.invitation_accept(raw_token=raw, password=STRONG)


@pytest.mark.parametrize("raw", ["", "nope", "x" * 500])
def test_unknown_invitation_is_not_found(db, raw):
    with pytest.raises(NotFound):
        services.invitation_lookup(raw)
