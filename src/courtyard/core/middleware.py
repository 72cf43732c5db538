from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courtyard.core.errors import ApplicationError

CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Scripts and styles only from our own origin: an injected script has nowhere to run."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/docs"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ApplicationErrorMiddleware:
    """Maps ApplicationError raised by a page to a 4xx page (or partial for htmx). The API has its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        template = "partials/_error.html" if getattr(request, "htmx", False) else "error.html"
        return render(request, template, {"error": exception}, status=exception.status)


class PrivatePagesMiddleware:
    """Nothing a signed-in member sees is stored by a shared proxy or kept for the back button after sign-out.

    Responses for a signed-in member (by session or API token), or that read or write a session, get
    ``Cache-Control: private, no-store``. A view that already chose a private policy keeps it (member-only pictures may stay in the
    member's own browser for a day); anything else (public, a max-age) is replaced.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._is_private(request, response) and "private" not in response.get("Cache-Control", ""):
            response.headers["Cache-Control"] = "private, no-store"
        return response

    @staticmethod
    def _is_private(request: HttpRequest, response: HttpResponse) -> bool:
        if "HTTP_AUTHORIZATION" in request.META:
            return True  # an API token: the answer is that member's
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                return True
        except DatabaseError:
            return True  # cannot tell: the careful answer
        session = getattr(request, "session", None)
        if session is not None and (session.accessed or session.modified) and session.session_key:
            return True
        return settings.SESSION_COOKIE_NAME in response.cookies
