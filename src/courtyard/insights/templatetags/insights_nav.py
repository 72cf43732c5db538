from __future__ import annotations

from typing import Any

from django import template

from courtyard.insights.access import nav_visible

register = template.Library()


@register.simple_tag(takes_context=True)
def insights_visible(context: template.Context) -> bool:
    """Whether the navigation offers the insights dashboard (cached per user: no query on most pages)."""
    user: Any = context.get("user")
    return bool(user is not None and user.is_authenticated and nav_visible(user))
