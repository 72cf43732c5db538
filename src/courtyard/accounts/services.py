"""Writes for accounts: browser sessions, API tokens, accepting an invitation (people creates them)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courtyard.accounts.models import ApiToken, Invitation, User, UserSession
from courtyard.core import clock
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, NotFound

INVITATION_DAYS = 14
TOKEN_MAX_PER_USER = 20


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _session_store(session_key: str):  # type: ignore[no-untyped-def]
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


# --- Browser sessions ------------------------------------------------------------------------


def session_start(*, user: User, session_key: str, ip_address: str | None, user_agent: str) -> UserSession:
    now = clock.now()
    record, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "created_at": now,
            "last_seen_at": now,
            "ip_address": ip_address,
            "user_agent": user_agent[:300],
            "ended_at": None,
        },
    )
    return record


def session_touch(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(last_seen_at=clock.now())


def session_end(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(ended_at=clock.now())


@transaction.atomic
def session_revoke(*, actor: User, session_id: int) -> None:
    """End one of the actor's own sessions, wherever it is: the session is deleted from the store."""
    record = UserSession.objects.filter(pk=session_id, user=actor, ended_at__isnull=True).first()
    if record is None:
        raise NotFound(_("That session is not active."))
    _session_store(record.session_key).delete()
    record.ended_at = clock.now()
    record.save(update_fields=["ended_at"])
    audit_record(action="accounts.session.revoked", actor=actor, target=record)


@transaction.atomic
def sessions_revoke_others(*, actor: User, keep_session_key: str | None) -> int:
    records = list(UserSession.objects.filter(user=actor, ended_at__isnull=True).exclude(session_key=keep_session_key))
    for record in records:
        _session_store(record.session_key).delete()
    UserSession.objects.filter(pk__in=[r.pk for r in records]).update(ended_at=clock.now())
    if records:
        audit_record(action="accounts.session.revoked_others", actor=actor, data={"count": len(records)})
    return len(records)


def access_end_for_deactivated(*, user_ids: Iterable[int]) -> tuple[int, int]:
    """Deactivated members lose every way in they had: each browser session is deleted from the store (so the
    cookie signs in nobody, even after a reactivation) and each API token is revoked for good. A reactivated
    member signs in again and makes new tokens. Returns (sessions ended, tokens revoked)."""
    ids = list(user_ids)
    if not ids:
        return 0, 0
    now = clock.now()
    records = list(UserSession.objects.filter(user_id__in=ids, ended_at__isnull=True).values_list("pk", "session_key"))
    for _pk, session_key in records:
        _session_store(session_key).delete()
    UserSession.objects.filter(pk__in=[pk for pk, _key in records]).update(ended_at=now)
    tokens = ApiToken.objects.filter(user_id__in=ids, revoked_at__isnull=True).update(revoked_at=now)
    return len(records), tokens


def sessions_expire() -> int:
    """Close the records of sessions that timed out (idle or absolute)."""
    now = clock.now()
    idle_cutoff = now - dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)
    absolute_cutoff = now - dt.timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT)
    stale = UserSession.objects.filter(ended_at__isnull=True, last_seen_at__lt=idle_cutoff) | UserSession.objects.filter(
        ended_at__isnull=True, created_at__lt=absolute_cutoff
    )
    return stale.update(ended_at=now)


# --- API tokens ------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, actor: User, name: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a personal access token. Returns the record and the token, which is never shown again."""
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError(_("Give the token a name, so you recognize it later."), code="required")
    if len(name) > 100:
        raise ApplicationError(_("The name is longer than 100 characters."), code="too_long")
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise ApplicationError(_("A token expires after 1 to 3650 days."), code="bad_expiry")
    if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= TOKEN_MAX_PER_USER:
        raise ApplicationError(_("You have too many tokens; revoke one first."), code="too_many_tokens")
    raw = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=raw[:10],
        token_hash=token_hash(raw),
        created_at=now,
        expires_at=now + dt.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    audit_record(action="accounts.token.created", actor=actor, target=token, data={"name": name})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=actor, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound(_("That token does not exist or is already revoked."))
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit_record(action="accounts.token.revoked", actor=actor, target=token)
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None. Records when the token was last used."""
    if not raw or not raw.startswith(settings.API_TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=token_hash(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Invitations -----------------------------------------------------------------------------
# Creating and sending one adds the person to the directory: that is people/services.py (invitation_create).


def invitation_lookup(raw: str) -> Invitation:
    invitation = Invitation.objects.filter(token_hash=token_hash(raw or "")).first()
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at < clock.now():
        raise NotFound(_("This invitation link is not valid any more. Ask a community admin for a new one."))
    return invitation


@transaction.atomic
def invitation_accept(*, raw_token: str, password: str) -> User:
    invitation = invitation_lookup(raw_token)
    user = User.objects.select_for_update().filter(email__iexact=invitation.email, is_active=True).first()
    if user is None:
        raise NotFound(_("This invitation link is not valid any more. Ask a community admin for a new one."))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="weak_password", details=exc.messages) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = clock.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(action="accounts.invitation.accepted", actor=user, target=invitation)
    return user
