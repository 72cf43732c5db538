"""Typed requests for views: the user of a signed-in view is a User, and htmx details are always present."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from courtyard.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    user: User


class ApiRequest(HttpRequest):
    """An API request after authentication: ``auth`` is the signed-in or token-holding user."""

    auth: User
