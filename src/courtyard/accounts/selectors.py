from __future__ import annotations

from typing import Any

from courtyard.accounts.domain.useragent import describe_user_agent
from courtyard.accounts.models import ApiToken, User, UserSession


def security_overview(user: User, *, current_session_key: str | None) -> dict[str, Any]:
    sessions = list(UserSession.objects.filter(user=user, ended_at__isnull=True).order_by("-last_seen_at")[:50])
    for record in sessions:
        record.is_current = record.session_key == current_session_key  # type: ignore[attr-defined]
        record.device = describe_user_agent(record.user_agent)  # type: ignore[attr-defined]
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at"))
    return {"sessions": sessions, "tokens": tokens}
