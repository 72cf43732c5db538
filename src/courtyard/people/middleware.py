"""The daily-visit fact: a member's visit is a fact about the member, so it is recorded by people."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from courtyard.people import services

logger = logging.getLogger(__name__)


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
