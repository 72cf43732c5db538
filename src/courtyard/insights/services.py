"""Writes for insights: goals, the connector opt-in, and keeping goal progress and community snapshots fresh."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, PermissionDenied
from courtyard.insights import selectors
from courtyard.insights.access import ORG, Scope, Viewer, can_manage_goals
from courtyard.insights.domain import kpis, periods
from courtyard.insights.models import CommunitySnapshot, ConnectorOptIn, Goal, MemberTie
from courtyard.people.models import Profile

log = logging.getLogger(__name__)
GOAL_PERIODS = ("week", "month", "quarter")
MAX_GOALS = 200


def _check_target(kpi: kpis.Kpi, target: float) -> None:
    if target != target or target in (float("inf"), float("-inf")):  # NaN or infinite
        raise ApplicationError(_("The target must be a number."), code="invalid_target")
    if kpi.unit == "share" and not 0 <= target <= 1:
        raise ApplicationError(_("A share is between 0 % and 100 %."), code="invalid_target")
    if kpi.unit == "index" and not -1 <= target <= 1:
        raise ApplicationError(_("An E-I index is between −1 and +1."), code="invalid_target")
    if kpi.unit in ("count", "per_member", "hours", "days") and not 0 <= target <= 10_000_000:
        raise ApplicationError(_("The target must be zero or more."), code="invalid_target")


@transaction.atomic
def goal_create(
    *, viewer: Viewer, metric: str, scope: Scope = ORG, period_kind: str = "month", target: float, due: dt.date,
    note: str = "",
) -> Goal:
    if not can_manage_goals(viewer):
        raise PermissionDenied(_("Only community admins set goals."))
    kpi = next((k for k in kpis.GOAL_KPIS if k.key == metric), None)
    if kpi is None:
        raise ApplicationError(_("Choose one of the KPIs."), code="invalid_metric")
    if period_kind not in GOAL_PERIODS:
        raise ApplicationError(_("Measure a goal per week, month or quarter."), code="invalid_period")
    _check_target(kpi, target)
    today = clock.now().date()
    if not today <= due <= today + dt.timedelta(days=3 * 366):
        raise ApplicationError(_("The due date must be between today and three years from now."), code="invalid_due")
    note = (note or "").strip()
    if len(note) > 200:
        raise ApplicationError(_("The note is at most 200 characters."), code="invalid_note")
    if Goal.objects.count() >= MAX_GOALS:
        raise ApplicationError(_("There are already {n} goals; remove some first.").format(n=MAX_GOALS),
                               code="too_many_goals")
    current_period = periods.period_of(period_kind, today)
    board = selectors.dashboard(scope, current_period, today=today)
    figure = board.figure(metric)
    goal = Goal.objects.create(
        metric=metric, scope_kind=scope.kind, scope_id=scope.id, scope_name=scope.name, period_kind=period_kind,
        target=target, baseline=figure.previous, current=figure.value, due=due, note=note,
        created_by=viewer.user, created_at=clock.now(), refreshed_at=clock.now(),
    )
    audit_record(action="insights.goal.created", actor=viewer.user, target=goal,
                 data={"metric": metric, "scope": scope.key, "target": target, "due": due.isoformat()})
    return goal


@transaction.atomic
def goal_delete(*, viewer: Viewer, goal: Goal) -> None:
    if not can_manage_goals(viewer):
        raise PermissionDenied(_("Only community admins remove goals."))
    audit_record(action="insights.goal.deleted", actor=viewer.user, target=goal, data={"metric": goal.metric})
    goal.delete()


def goals_refresh(*, today: dt.date | None = None) -> int:
    """Recompute each goal's current value (one dashboard per scope and period, however many goals)."""
    today = today or clock.now().date()
    by_board: dict[tuple[str, int, str, str], list[Goal]] = defaultdict(list)
    for goal in Goal.objects.filter(due__gte=today - dt.timedelta(days=31)):
        by_board[(goal.scope_kind, goal.scope_id, goal.scope_name, goal.period_kind)].append(goal)
    now = clock.now()
    for (kind, scope_id, name, period_kind), goals in by_board.items():
        board = selectors.dashboard(Scope(kind, scope_id, name), periods.period_of(period_kind, today), today=today)
        for goal in goals:
            goal.current = board.figure(goal.metric).value
            goal.refreshed_at = now
    Goal.objects.bulk_update([g for goals in by_board.values() for g in goals], ["current", "refreshed_at"])
    return sum(len(g) for g in by_board.values())


@transaction.atomic
def connector_set(*, actor: User, profile: Profile, enabled: bool) -> bool:
    """Opt in (or out) of being shown by name as a connector on the silo map. Returns the new setting."""
    if profile.user_id != actor.pk:
        raise PermissionDenied(_("Only you can decide whether you are shown as a connector."))
    existing = ConnectorOptIn.objects.filter(profile=profile).first()
    if enabled and existing is None:
        ConnectorOptIn.objects.create(profile=profile, created_at=clock.now())
        audit_record(action="insights.connector.opted_in", actor=actor, target=profile)
    elif not enabled and existing is not None:
        existing.delete()
        audit_record(action="insights.connector.opted_out", actor=actor, target=profile)
    return enabled


def communities_snapshot(*, first_month: dt.date, last_month: dt.date) -> CommunitySnapshot:
    """Detect communities on the member tie graph of some months and keep the result (the nightly job)."""
    ties = list(
        MemberTie.objects.filter(month__gte=first_month, month__lte=last_month)
        .values_list("low_id", "high_id", "weight").iterator(chunk_size=50_000)
    )
    result = selectors.detect_communities(ties)
    snapshot, _created = CommunitySnapshot.objects.update_or_create(
        months_key=f"{first_month}:{last_month}",
        defaults={
            "computed_at": clock.now(), "members": result["members"], "ties": result["ties"],
            "detected_modularity": result["modularity"], "communities": result["communities"],
        },
    )
    return snapshot


def communities_refresh(*, today: dt.date | None = None) -> list[CommunitySnapshot]:
    """Snapshots for this month, last month and this quarter (what the silo map shows by default)."""
    today = today or clock.now().date()
    month = periods.period_of("month", today)
    last = periods.previous(month)
    quarter = periods.period_of("quarter", today)
    spans = {(month.start, month.start), (last.start, last.start),
             (quarter.start, periods.month_start(quarter.end))}
    return [communities_snapshot(first_month=a, last_month=b) for a, b in sorted(spans)]
