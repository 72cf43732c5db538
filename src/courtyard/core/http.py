"""Typed requests for views: htmx details are always present (django-htmx's middleware sets them).

The signed-in variants, whose ``user`` is a Courtyard ``User``, are in ``accounts/http.py``: core imports no app.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails
