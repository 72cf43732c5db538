from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """One view, two templates: the whole page, or only the part htmx asked to swap."""
    is_partial = bool(getattr(request, "htmx", False)) and not getattr(request.htmx, "boosted", False)
    response = render(request, partial if is_partial else template, context, status=status)
    response.headers["Vary"] = "HX-Request"
    return response
