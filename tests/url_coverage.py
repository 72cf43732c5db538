"""Which URL patterns the test suite requested, and which of ours it never did (Zulip's url coverage).

Each request is recorded by the route of the pattern it resolved to (``ResolverMatch.route``), so
``people/<str:profile_id>/`` counts once whatever the id. Routes are compared with the routes built
by walking the URLconf the same way Django's resolver joins them.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator

from django.core.handlers.base import BaseHandler
from django.urls import URLPattern, URLResolver, get_resolver

ENV_FLAG = "COURTYARD_URL_COVERAGE"

# Patterns we do not have to request, each with the reason. Everything else in the URLconf must be
# requested at least once by the suite.
EXCLUDED_ROUTES: dict[str, str] = {
    # allauth pages that Courtyard does not offer answer 404 (courtyard.accounts.web.allauth_urls); the
    # permission matrix requests each of them, so they are not excluded here.
    # Django's admin: only its index is ours to test (admins reach it); its login, per-model pages
    # and helpers are Django's own and tested there. See admin_page() below.
    # The API's root is django-ninja's and only names the mount point.
    "api/": "django-ninja's root marker",
}
_requested: set[str] = set()
_lock = threading.Lock()


def _join(route1: str, route2: str) -> str:
    # The same joining rule as django.urls.resolvers.URLResolver._join_route.
    if not route1:
        return route2
    return route1 + route2.removeprefix("^")


def all_routes(patterns: list | None = None, prefix: str = "") -> set[str]:
    routes: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = _join(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            routes |= all_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            routes.add(route)
    return routes


def routes_served_by(callback: object, patterns: list | None = None, prefix: str = "") -> list[str]:
    """The routes whose view is ``callback`` (for example every allauth page that is switched off)."""
    routes: list[str] = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = _join(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            routes += routes_served_by(callback, pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and pattern.callback is callback:
            routes.append(route)
    return routes


def example_path(route: str) -> str:
    """A concrete path that resolves to ``route``: every parameter becomes ``x1``."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x1", route)  # regex groups first: they contain <name> too
    path = re.sub(r"<[^>]+>", "x1", path)
    return "/" + path.replace("^", "").replace("$", "")


def admin_page(route: str) -> bool:
    """Any page of Django's admin other than its index (which is tested)."""
    return route.startswith("admin/") and route != "admin/"


def excluded(route: str) -> bool:
    return route in EXCLUDED_ROUTES or admin_page(route)


def routes_to_cover() -> set[str]:
    return {route for route in all_routes() if not excluded(route)}


def requested_routes() -> set[str]:
    with _lock:
        return set(_requested)


def missing_routes() -> list[str]:
    return sorted(routes_to_cover() - requested_routes())


def record(route: str) -> None:
    with _lock:
        _requested.add(route)


@contextlib.contextmanager
def recording() -> Iterator[None]:
    original = BaseHandler.resolve_request

    def resolve_request(self, request):  # type: ignore[no-untyped-def]
        match = original(self, request)
        record(match.route)
        return match

    BaseHandler.resolve_request = resolve_request  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseHandler.resolve_request = original  # type: ignore[method-assign]


def merge_worker_output(workeroutput: dict) -> None:
    for route in workeroutput.get("courtyard_requested_routes", []):
        record(route)


def session_finish(session) -> None:  # type: ignore[no-untyped-def]
    config = session.config
    if hasattr(config, "workeroutput"):
        # An xdist worker hands its routes to the controller, which decides.
        config.workeroutput["courtyard_requested_routes"] = sorted(requested_routes())
        return
    if os.environ.get(ENV_FLAG) != "1":
        return
    missing = missing_routes()
    if not missing:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    lines = [
        f"{ENV_FLAG}=1: these URL patterns were never requested by the test suite:",
        *(f"  {route}" for route in missing),
        "Add a test that requests each, or an exclusion with a reason in tests/url_coverage.py.",
    ]
    if reporter is not None:
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line, red=True)
    else:
        print("\n".join(lines))
    session.exitstatus = 1
