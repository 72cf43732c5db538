"""Calendar subscriptions: the secret feed addresses (created, revoked, authenticated) and the domain the
iCalendar entries are named in.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from courtyard.accounts.models import User
from courtyard.accounts.services import token_hash
from courtyard.core import clock
from courtyard.core.audit import audit_record
from courtyard.events.models import CalendarFeed
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile

FEED_PREFIX = "cal_"


# --- Calendar subscriptions -------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, actor: User) -> tuple[CalendarFeed, str]:
    """A new secret subscription address (the old one stops working). The address is shown only now."""
    profile = actor_profile(actor)
    now = clock.now()
    CalendarFeed.objects.filter(profile=profile, revoked_at__isnull=True).update(revoked_at=now)
    raw = FEED_PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(profile=profile, prefix=raw[:10], token_hash=token_hash(raw), created_at=now)
    audit_record(action="events.calendar_feed.created", actor=actor, target=feed)
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> int:
    profile = actor_profile(actor)
    count = CalendarFeed.objects.filter(profile=profile, revoked_at__isnull=True).update(revoked_at=clock.now())
    if count:
        audit_record(action="events.calendar_feed.revoked", actor=actor, data={"count": count})
    return count


def calendar_feeds_revoke_of_deactivated(profile_ids: Sequence[int]) -> int:
    """A subscription address is a secret that reads one's calendar, like an API token: deactivation revokes
    it for good (a reactivated member makes a new one)."""
    return CalendarFeed.objects.filter(profile_id__in=list(profile_ids), revoked_at__isnull=True).update(
        revoked_at=clock.now())


def calendar_feed_authenticate(raw: str) -> Profile | None:
    """The active member a subscription address belongs to, or None (unknown, revoked, deactivated)."""
    if not raw or not raw.startswith(FEED_PREFIX) or len(raw) > 100:
        return None
    feed = CalendarFeed.objects.select_related("profile", "profile__user").filter(token_hash=token_hash(raw)).first()
    if feed is None or feed.revoked_at is not None or not feed.profile.is_active or not feed.profile.user.is_active:
        return None
    now = clock.now()
    if feed.last_used_at is None or now - feed.last_used_at > dt.timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.profile


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "courtyard.local"
