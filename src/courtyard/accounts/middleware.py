"""Session lifetime, per request (the member's time zone is people.middleware's: it reads the profile)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from courtyard.accounts import services
from courtyard.core import clock

STARTED = "cy_started"
SEEN = "cy_seen"
TOUCH_EVERY = 60  # seconds: how stale "last seen" may be before we write it again


def client_ip(request: HttpRequest) -> str | None:
    ip = request.META.get("REMOTE_ADDR")
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            ip = forwarded.split(",")[0].strip()
    return ip or None


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT of inactivity or SESSION_ABSOLUTE_TIMEOUT after sign-in,
    and keeps the record behind the "where you are signed in" page up to date."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.session_key:
            now = clock.now().timestamp()
            started = request.session.get(STARTED)
            seen = request.session.get(SEEN, now)
            expired = started is not None and (
                now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            )
            if expired:
                services.session_end(session_key=request.session.session_key)
                logout(request)
            elif started is None:
                request.session[STARTED] = now
                request.session[SEEN] = now
                services.session_start(
                    user=user,
                    session_key=request.session.session_key,
                    ip_address=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
            elif now - seen > TOUCH_EVERY:
                request.session[SEEN] = now
                services.session_touch(session_key=request.session.session_key)
        return self.get_response(request)
