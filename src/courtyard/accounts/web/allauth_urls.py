"""The django-allauth pages Courtyard offers, and nothing a new allauth release adds on its own.

allauth's URLconf grows with its releases (65.22 added reauthentication by code, for example). Rather
than inherit whatever a release mounts, Courtyard keeps allauth's URL patterns and names (allauth's own
views reverse them) but answers 404 on every pattern whose name is not in ``OFFERED``. A feature is
switched on by adding its names here, together with tests for it in the permission matrix.

What is switched off, and why:

- sign-up, ``password/set``, and SSO sign-up: people join through an invitation, the organization
  import or an admin, and set their first password through the invitation;
- email management, verification and confirmation: addresses come from the organization's directory;
- sign-in and reauthentication by emailed code, phone numbers, passkey sign-up: not offered;
- the "inactive account" page: deactivated accounts cannot authenticate at all;
- the SSO connections page and the legacy ``social/`` aliases: SSO links the directory's account by
  its address and members have no connections to manage.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include

OFFERED: frozenset[str] = frozenset(
    {
        "account_login",
        "account_logout",
        "account_change_password",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "openid_connect_login",
        "openid_connect_callback",
        "socialaccount_login_cancelled",
        "socialaccount_login_error",
    }
)


def not_offered(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404("This sign-in feature is not offered here.")


def _restrict(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    restricted: list[URLPattern | URLResolver] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            entry.url_patterns  # noqa: B018 - force the lazy include before it is copied
            restricted.append(
                URLResolver(
                    entry.pattern,
                    _restrict(list(entry.url_patterns)),
                    app_name=entry.app_name,
                    namespace=entry.namespace,
                )
            )
        elif entry.name in OFFERED:
            restricted.append(entry)
        else:
            restricted.append(URLPattern(entry.pattern, not_offered, name=entry.name))
    return restricted


def urlpatterns() -> list[URLPattern | URLResolver]:
    module, _app_name, _namespace = include("allauth.urls")
    patterns = module.urlpatterns if hasattr(module, "urlpatterns") else module
    return _restrict(list(patterns))


def routes_not_offered() -> list[str]:
    """Names of allauth's patterns that answer 404, for the tests."""
    names: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver]) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(list(entry.url_patterns))
            elif entry.callback is not_offered and entry.name:
                names.append(entry.name)

    walk(urlpatterns())
    return names
