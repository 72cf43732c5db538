"""People's middleware: the member's time zone for each request, and the daily-visit fact.

Both live in people, not accounts or core, because they read the profile or record a fact about the member
(accounts and core sit below people in the stack)."""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from courtyard.people import services
from courtyard.people.selectors import profile_for_user

logger = logging.getLogger(__name__)


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


class DailyVisitMiddleware:
    """Records one "visited" participation fact per member per day (``services.visit_record``).

    The fact is recorded after the view answered (and committed): if recording fails, the member still gets
    the view's answer; one lost "visited" fact is worth far less than telling a member that a saved
    reaction failed (a retried toggle would take it off again).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and response.status_code < 400:
            try:
                services.visit_record(user_id=user.pk)
            except Exception:  # see the docstring: never fail an answer already given
                logger.warning("could not record today's visit of user %s", user.pk, exc_info=True)
        return response
