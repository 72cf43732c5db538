from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from courtyard.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cy_…`` with a personal access token made on the security page."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The browser's session cookie (CSRF-checked for writes); deactivated members are refused."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a session cookie there is nobody to protect from CSRF: answer 401 (sign in), not 403.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and getattr(user, "is_active", False):
            return user
        return None
