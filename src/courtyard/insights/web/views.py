"""Insights pages: parse the pickers, check the viewer's scope, read the rollups, render (or CSV)."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtyard.accounts.http import AuthedRequest
from courtyard.core import clock
from courtyard.core.access import parse_id
from courtyard.core.errors import ApplicationError, NotFound, PermissionDenied
from courtyard.core.htmx import render_page
from courtyard.insights import access, selectors, services, svg
from courtyard.insights.access import parse_period, parse_scope
from courtyard.insights.domain import kpis, metrics, periods
from courtyard.insights.models import Goal
from courtyard.insights.web.forms import SCOPE_KIND_LABELS, GoalForm, scope_choices
from courtyard.people.models import Profile


def _today() -> dt.date:
    return clock.now().date()


def _pickers(request: AuthedRequest, viewer: access.Viewer, scope: access.Scope, period: periods.Period) -> dict[str, Any]:
    return {
        "viewer": viewer, "scope": scope, "period": period, "previous": periods.previous(period),
        "options": selectors.scope_options(viewer), "period_kinds": ("week", "month", "quarter", "custom"),
        "can_silo": access.can_see_silo_map(viewer), "can_goals": viewer.has_scope,
        "query": request.GET.urlencode(),
    }


@login_required
@require_GET
def dashboard(request: AuthedRequest) -> HttpResponse:
    viewer = access.insights_viewer(request.user)
    if not viewer.has_scope:
        return redirect("insights:me")
    period = parse_period(request.GET, today=_today())
    scope = parse_scope(viewer, request.GET.get("scope", ""))
    board = selectors.dashboard(scope, period, today=_today())
    context = {**_pickers(request, viewer, scope, period), "board": board,
               "goals": [_goal_row(g) for g in selectors.goals_for(viewer)
                         if g.scope_kind == scope.kind and g.scope_id == scope.id],
               "belonging": selectors.belonging_index(scope, period), "tab": "dashboard",
               "structure": selectors.participation_structure(scope, period), "chart": _trend_chart(board)}
    return render_page(request, "insights/dashboard.html", "insights/partials/_dashboard.html", context)


def _trend_chart(board: selectors.Dashboard) -> dict[str, Any]:
    """The data the trend charts draw (passed with json_script: no inline script)."""
    labels = [p.short_label for p in board.trend_periods]
    return {
        "labels": labels,
        "counts": [{"label": f.label, "data": list(f.trend)} for f in board.figures
                   if f.key in ("active_members", "weekly_active", "monthly_active")],
        "shares": [{"label": f.label, "data": [None if v is None else round(v * 100, 1) for v in f.trend]}
                   for f in board.figures if f.key in ("participation_rate", "event_participation", "reply_rate",
                                                        "recognition_reach")],
    }


def _csv_response(filename: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _csv_safe(v) for v in row])
    return response


def _csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula starts with a quote instead."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


@login_required
@require_GET
def dashboard_csv(request: AuthedRequest) -> HttpResponse:
    viewer = access.require_insights(request.user)
    period = parse_period(request.GET, today=_today())
    scope = parse_scope(viewer, request.GET.get("scope", ""))
    board = selectors.dashboard(scope, period, today=_today())
    header = ["kpi", "label", "unit", *[p.key for p in board.trend_periods]]
    rows = [[f.key, f.label, f.unit, *f.trend] for f in board.figures]
    return _csv_response(f"insights-{scope.kind}-{scope.id}-{period.key.replace(':', '_')}.csv", header, rows)


@login_required
@require_GET
def silo(request: AuthedRequest) -> HttpResponse:
    viewer = access.require_insights(request.user)
    scope = access.access_silo_scope(viewer)
    period = parse_period(request.GET, today=_today())
    level = "all" if request.GET.get("level") == "all" else "top"
    silo_map = selectors.silo_map(scope, period, level=level, today=_today())
    context = {**_pickers(request, viewer, scope, period), "silo": silo_map, "level": level, "tab": "silo",
               "heat": svg.heat_rows(silo_map), "network": svg.network_svg(silo_map),
               "chart": {"labels": [p.short_label for p, _v in silo_map.ei_trend],
                         "ei": [None if v is None else round(v, 3) for _p, v in silo_map.ei_trend],
                         "departments": [name for _d, name, _n in silo_map.departments],
                         "department_ei": [None if silo_map.ei.get(d) is None else round(silo_map.ei[d] or 0, 3)
                                           for d, _name, _n in silo_map.departments]}}
    return render_page(request, "insights/silo.html", "insights/partials/_silo.html", context)


@login_required
@require_GET
def silo_csv(request: AuthedRequest) -> HttpResponse:
    viewer = access.require_insights(request.user)
    scope = access.access_silo_scope(viewer)
    period = parse_period(request.GET, today=_today())
    level = "all" if request.GET.get("level") == "all" else "top"
    silo_map = selectors.silo_map(scope, period, level=level, today=_today())
    focus = silo_map.focus
    names = [name for _d, name, _n in silo_map.departments]
    rows = []
    for d, name, size in silo_map.departments:
        if focus is not None and d != focus:
            continue
        cells = [silo_map.matrix.get((d, other)) for other, _n, _s in silo_map.departments]
        rows.append([name, size, silo_map.ei.get(d), *[None if c is None else round(c, 3) for c in cells]])
    return _csv_response(f"silo-map-{period.key.replace(':', '_')}.csv",
                         ["department", "members", "ei_index", *[f"ties per 100 pairs with {n}" for n in names]], rows)


@login_required
@require_http_methods(["GET", "POST"])
def goals(request: AuthedRequest) -> HttpResponse:
    viewer = access.require_insights(request.user)
    form = GoalForm(request.POST or None, viewer=viewer, initial={"due": _today() + dt.timedelta(days=90)})
    status = 200
    if request.method == "POST":
        if not access.can_manage_goals(viewer):
            raise PermissionDenied(_("Only community admins set goals."))
        if form.is_valid():
            try:
                services.goal_create(
                    viewer=viewer, metric=form.cleaned_data["metric"], scope=form.cleaned_data["scope"],
                    period_kind=form.cleaned_data["period_kind"], target=form.target_value(),
                    due=form.cleaned_data["due"], note=form.cleaned_data["note"],
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Goal set."))
                return redirect("insights:goals")
        status = 400
    scope = viewer.default_scope()
    context = {**_pickers(request, viewer, scope, periods.period_of("month", _today())), "tab": "goals",
               "goals": [_goal_row(g) for g in selectors.goals_for(viewer)], "form": form,
               "can_manage": access.can_manage_goals(viewer)}
    context["scope_choices"] = scope_choices(context["options"])
    context["selected_scope"] = form["scope"].value() or "org"
    return render(request, "insights/goals.html", context, status=status)


def _goal_row(goal: Goal) -> dict[str, Any]:
    kpi = kpis.BY_KEY.get(goal.metric)
    unit = kpi.unit if kpi else "count"
    rising = kpi.rising if kpi else True
    progress = metrics.goal_progress(baseline=goal.baseline, current=goal.current, target=goal.target,
                                     rising=kpi.rising if kpi else True)
    return {
        "goal": goal, "label": kpi.label if kpi else goal.metric,
        "scope_kind": SCOPE_KIND_LABELS.get(goal.scope_kind, goal.scope_kind), "target": kpis.format_value(unit, goal.target),
        "current": kpis.format_value(unit, goal.current), "baseline": kpis.format_value(unit, goal.baseline),
        "progress": progress, "percent": round((progress or 0) * 100),
        "met": metrics.goal_met(current=goal.current, target=goal.target, rising=rising),
    }


@login_required
@require_POST
def goal_delete(request: AuthedRequest, goal_id: str) -> HttpResponse:
    viewer = access.require_insights(request.user)
    goal = Goal.objects.filter(pk=parse_id(goal_id)).first()
    if goal is None or goal not in selectors.goals_for(viewer):
        raise NotFound(_("No such goal."))
    services.goal_delete(viewer=viewer, goal=goal)
    messages.success(request, _("Goal removed."))
    return redirect("insights:goals")


def _own_profile(request: AuthedRequest) -> Profile:
    profile = Profile.objects.filter(user=request.user).first()
    if profile is None:
        raise PermissionDenied(_("Your account has no profile yet; ask a community admin."))
    return profile


@login_required
@require_GET
def me(request: AuthedRequest) -> HttpResponse:
    profile = _own_profile(request)
    period = parse_period(request.GET, today=_today())
    viewer = access.insights_viewer(request.user)
    context = {"activity": selectors.my_activity(profile, period), "period": period, "tab": "me",
               "viewer": viewer, "can_silo": access.can_see_silo_map(viewer), "can_goals": viewer.has_scope,
               "period_kinds": ("week", "month", "quarter")}
    return render(request, "insights/me.html", context)


@login_required
@require_POST
def connector(request: AuthedRequest) -> HttpResponse:
    profile = _own_profile(request)
    enabled = request.POST.get("enabled") == "1"
    services.connector_set(actor=request.user, profile=profile, enabled=enabled)
    messages.success(request, _("You are shown as a connector.") if enabled else _("You are no longer shown as a connector."))
    return redirect(reverse("insights:me"))
