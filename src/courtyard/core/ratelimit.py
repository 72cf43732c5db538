"""A small fixed-window rate limiter on the shared cache (Redis in production), for writes people make."""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import gettext as _

from courtyard.core import clock
from courtyard.core.errors import ApplicationError


class RateLimited(ApplicationError):
    status = 429


def ratelimit_check(*, scope: str, key: object, limits: tuple[tuple[int, int], ...]) -> None:
    """Count one action; refuse with 429 when any (count, seconds) window is full. Counts expire by themselves."""
    now = int(clock.now().timestamp())
    for count, seconds in limits:
        window = now // seconds
        cache_key = f"ratelimit:{scope}:{key}:{seconds}:{window}"
        if cache.add(cache_key, 1, timeout=seconds + 5):
            used = 1
        else:
            try:
                used = cache.incr(cache_key)
            except ValueError:  # expired between add and incr
                cache.add(cache_key, 1, timeout=seconds + 5)
                used = 1
        if used > count:
            raise RateLimited(
                _("You are doing that too often. Please wait a moment; what you wrote is still here."),
                code="rate_limited",
            )
