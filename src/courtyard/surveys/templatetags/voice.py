from __future__ import annotations

from typing import Any

from django import template

from courtyard.surveys.selectors import home_actions

register = template.Library()


@register.inclusion_tag("surveys/partials/_home_card.html")
def voice_home_card() -> dict[str, Any]:
    """"You said, we did" on the home page: the latest updates every member may see (cached, no query once warm)."""
    return {"home_actions": home_actions()}
