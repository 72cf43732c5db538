"""One's own activity: what a member did in a period and the one before, never a score."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from courtyard.core.domain.facts import TIE_KINDS
from courtyard.core.models import Interaction, Participation
from courtyard.insights.domain import periods
from courtyard.insights.domain.periods import Period
from courtyard.insights.models import ConnectorOptIn
from courtyard.people.models import Profile


def my_activity(profile: Profile, period: Period) -> dict[str, Any]:
    """A member's own activity in a period and the one before — what they did, never a score."""
    previous = periods.previous(period)
    start = dt.datetime.combine(previous.start, dt.time(), dt.UTC)
    middle = dt.datetime.combine(period.start, dt.time(), dt.UTC)
    end = dt.datetime.combine(period.end_exclusive, dt.time(), dt.UTC)
    rows = (
        Participation.objects.filter(member_id=profile.pk, occurred_at__gte=start, occurred_at__lt=end)
        .values("verb").annotate(now=Count("id", filter=Q(occurred_at__gte=middle)),
                                 before=Count("id", filter=Q(occurred_at__lt=middle)))
    )
    verbs = {r["verb"]: (r["now"], r["before"]) for r in rows}
    partners = (
        Interaction.objects.filter(Q(actor_id=profile.pk) | Q(other_id=profile.pk), occurred_at__gte=middle,
                                   occurred_at__lt=end, kind__in=sorted(TIE_KINDS))
        .values_list("actor_id", "other_id", "actor_department_id", "other_department_id")
    )
    colleagues: set[int] = set()
    across: set[int] = set()
    for actor, other, actor_department, other_department in partners[:5000]:
        mine, theirs = (actor_department, other_department) if actor == profile.pk else (other_department, actor_department)
        colleague = other if actor == profile.pk else actor
        colleagues.add(colleague)
        if mine and theirs and mine != theirs:
            across.add(colleague)

    def both(*names: str) -> tuple[int, int]:
        return (sum(verbs.get(n, (0, 0))[0] for n in names), sum(verbs.get(n, (0, 0))[1] for n in names))

    return {
        "period": period, "previous": previous,
        "rows": [
            ("Days you visited", both("visited")),
            ("Discussions and questions you started", both("posted", "asked")),
            ("Replies you wrote", both("replied")),
            ("Events you attended", both("attended")),
            ("Coffee chats you had", both("met")),
            ("Kudos you gave", both("gave_kudos")),
            ("Kudos you received", both("received_kudos")),
            ("Surveys you answered", both("answered_survey")),
        ],
        "colleagues": len(colleagues), "across": len(across),
        "connector": ConnectorOptIn.objects.filter(profile=profile).exists(),
    }
