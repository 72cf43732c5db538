"""The JSON API: one NinjaAPI, each app mounts its router; errors map to responses here, once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema

from courtyard.api.auth import ActiveSessionAuth, TokenAuth
from courtyard.core.domain.text import text_problem
from courtyard.core.errors import ApplicationError
from courtyard.core.unavailable import api_exception
from courtyard.events.api import router as events_router
from courtyard.groups.api import discussions_router
from courtyard.groups.api import router as groups_router
from courtyard.insights.api import router as insights_router
from courtyard.notifications.api import router as notifications_router
from courtyard.pairing.api import router as pairing_router
from courtyard.people.api import router as people_router
from courtyard.recognition.api import router as recognition_router
from courtyard.search.api import router as search_router
from courtyard.surveys.api import router as surveys_router
from courtyard.welcome.api import router as welcome_router

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "Stable, machine-readable reason, e.g. not_found"},
        "message": {"type": "string", "description": "For people: what went wrong and what to do"},
        "details": {"description": "Field or line errors, when there are any"},
    },
    "required": ["code", "message"],
}
ERROR_RESPONSES = {
    "400": "The request was understood but refused: the message says why.",
    "401": "Not signed in, or the API token is missing, revoked or expired.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Not found, or not visible to you (the two look the same).",
    "409": "Conflicts with the current state (for example, changed meanwhile).",
    "422": "A parameter or the body does not match the schema; details list each problem.",
}


class CourtyardAPI(NinjaAPI):
    """Declares, in the OpenAPI document, the error answers that every operation can give, in one shape."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = {str(status): body for status, body in operation.get("responses", {}).items()}
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(status, {"description": description, "content": reference})
                operation["responses"] = responses
        return schema


api = CourtyardAPI(
    title="Courtyard API",
    version="1",
    description=(
        "Everything a member can do in Courtyard, as JSON. Authenticate with a personal access token "
        "(`Authorization: Bearer cy_…`, made on your account's security page) or the browser session."
    ),
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "invalid", "message": "The request is not valid.", "details": exc.errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "not_authenticated", "message": "Sign in or send a valid API token."}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals (a failed CSRF check, a body that is not JSON) in our error shape."""
    codes = {400: "bad_request", 403: "forbidden", 429: "throttled"}
    return api.create_response(
        request, {"code": codes.get(exc.status_code, "error"), "message": str(exc)}, status=exc.status_code
    )


@api.exception_handler(Exception)
def unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else, an unreachable database included, still answers JSON (500, or 503 + Retry-After)."""
    return api_exception(request, exc)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"code": "not_found", "message": "Not found."}, status=404)


def refuse_unreadable_parameters(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Query and path parameters follow the text rule of every input (core/domain/text.py), for every operation
    here at once: their schemas check bodies, but many query parameters are plain function arguments. A
    refused query parameter is a 422 naming it; a refused path parameter cannot name anything, so a 404.
    (PostgreSQL refuses a NUL in any query, which was a 500.)"""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        for name, values in request.GET.lists():
            for value in (name, *values):
                problem = text_problem(value)
                if problem is not None:
                    return api.create_response(request, {
                        "code": "invalid", "message": f"The query parameter “{name}” {problem}.",
                        "details": [{"loc": ["query", name], "msg": problem}],
                    }, status=422)
        if any(isinstance(value, str) and text_problem(value) is not None for value in kwargs.values()):
            return not_found(request, Http404())
        return view(request, *args, **kwargs)

    return checked


# After authentication (an anonymous caller is told 401 first) and validation, before the operation runs.
api.add_decorator(refuse_unreadable_parameters, mode="operation")
api.add_router("/people", people_router, tags=["people"])
api.add_router("/groups", groups_router, tags=["groups"])
api.add_router("/discussions", discussions_router, tags=["discussions"])
api.add_router("/search", search_router, tags=["search"])
api.add_router("/notifications", notifications_router, tags=["notifications"])
api.add_router("/events", events_router, tags=["events"])
api.add_router("/pairing", pairing_router, tags=["pairing"])
api.add_router("/recognition", recognition_router, tags=["recognition"])
api.add_router("/surveys", surveys_router, tags=["surveys"])
api.add_router("/welcome", welcome_router, tags=["welcome"])
api.add_router("/insights", insights_router, tags=["insights"])
