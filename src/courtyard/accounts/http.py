"""Typed requests for signed-in views and the API: the user is a Courtyard ``User``, htmx details are present."""

from __future__ import annotations

from django.http import HttpRequest

from courtyard.accounts.models import User
from courtyard.core.http import HtmxRequest


class AuthedRequest(HtmxRequest):
    user: User


class ApiRequest(HttpRequest):
    """An API request after authentication: ``auth`` is the signed-in or token-holding user."""

    auth: User
