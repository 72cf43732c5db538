"""Answers for when a service Courtyard needs is unreachable, and for unexpected errors.

While the database (or the job queue's Redis) does not answer, every request gets a calm 503 with
``Retry-After`` — JSON under /api/, a plain page elsewhere — instead of a crash page; once the service is back,
requests succeed again without a restart (connections are re-opened per request).
Nothing here touches the database or the session, which may be what failed.
"""

from __future__ import annotations

import logging

import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger("courtyard.unavailable")

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


def is_outage(exc: BaseException | None) -> bool:
    """A service that does not answer (connection refused, lost, timed out), rather than a bug."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    return isinstance(exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(request: HttpRequest, exc: BaseException | None) -> HttpResponse:
    """503 + Retry-After for an outage, 500 otherwise; JSON for the API, a plain page (no context processors,
    which read the user and the database) for everything else."""
    outage = is_outage(exc)
    status = 503 if outage else 500
    response: HttpResponse
    if is_api(request):
        body = (
            {"code": "unavailable", "message": "Courtyard is briefly unavailable. Please try again in a minute."}
            if outage
            else {"code": "server_error", "message": "Something went wrong on our side. Please try again."}
        )
        response = JsonResponse(body, status=status)
    else:
        response = HttpResponse(render_to_string("503.html" if outage else "500.html"), status=status)
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


def api_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The API's answer to an exception nothing else handled: never Django's HTML page."""
    if is_outage(exc):
        logger.warning("service unavailable: %s %s: %s", request.method, request.path, exc)
    else:
        logger.error("Internal Server Error: %s", request.path, exc_info=exc)
    return error_response(request, exc)

