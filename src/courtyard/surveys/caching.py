"""Cache keys of the surveys app, shared by the selectors that fill the caches and the services that clear
them (so neither imports the other)."""

from __future__ import annotations

from django.core.cache import cache

from courtyard.surveys.models import Survey

HOME_ACTIONS_KEY = "surveys:home-actions"


def results_key(survey: Survey) -> str:
    # Every input of the results is in the key, so a new answer, closing or a new minimum is a new entry.
    return (f"surveys:results:{survey.pk}:{survey.response_count}:{survey.status}:"
            f"{survey.min_group_size}:{survey.min_comment_group_size}")


def home_actions_invalidate() -> None:
    cache.delete(HOME_ACTIONS_KEY)
