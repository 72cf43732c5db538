"""The member's time zone, per request: dates and times are shown in the zone of their profile.

It lives in people, not accounts, because it reads the profile (accounts sits below people in the stack)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from courtyard.people.selectors import profile_for_user


class MemberTimezoneMiddleware:
    """Dates and times are shown in the member's own time zone (kept in the session after sign-in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        tz_name = None
        if user is not None and user.is_authenticated:
            tz_name = request.session.get("cy_tz")
            if tz_name is None:
                profile = profile_for_user(user.pk)
                tz_name = profile.timezone if profile else "UTC"
                request.session["cy_tz"] = tz_name
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz_name)) if tz_name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
