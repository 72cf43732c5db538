"""Goals a viewer may see, and the current value of a goal's KPI."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from courtyard.insights.access import Scope, Viewer
from courtyard.insights.domain.periods import Period
from courtyard.insights.models import Goal
from courtyard.insights.selectors.dashboard import dashboard


def goals_for(viewer: Viewer) -> list[Goal]:
    goals = Goal.objects.all()
    if not viewer.is_admin:
        visible = Q(pk__in=[])
        if viewer.managed_department is not None:
            visible |= Q(scope_kind="dept", scope_id=viewer.managed_department[0])
        if viewer.organized_groups:
            visible |= Q(scope_kind="group", scope_id__in=[g for g, _name in viewer.organized_groups])
        if viewer.run_series:
            visible |= Q(scope_kind="series", scope_id__in=[s for s, _name in viewer.run_series])
        if viewer.run_programs:
            visible |= Q(scope_kind="program", scope_id__in=[p for p, _name in viewer.run_programs])
        goals = goals.filter(visible)
    return list(goals.order_by("due", "pk"))


def kpi_value(scope: Scope, period: Period, key: str, *, today: dt.date) -> float | None:
    return dashboard(scope, period, today=today).figure(key).value
