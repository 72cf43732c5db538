from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from courtyard.core.http import HtmxRequest


def render_page(
    request: HtmxRequest, template: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """One view, two templates: the whole page, or only the part htmx asked to swap."""
    is_partial = bool(request.htmx) and not request.htmx.boosted
    response = render(request, partial if is_partial else template, context, status=status)
    response.headers["Vary"] = "HX-Request"
    return response
