"""The insights API: every KPI, goal and silo-map figure, with the same access rules as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Query, Router, Schema, Status

from courtyard.accounts.http import ApiRequest
from courtyard.core import clock
from courtyard.core.access import parse_id
from courtyard.core.errors import NotFound, PermissionDenied
from courtyard.core.schemas import CleanText, InputSchema, Ok
from courtyard.insights import access, selectors, services
from courtyard.insights.access import parse_period, parse_scope
from courtyard.insights.domain import kpis, metrics, periods
from courtyard.insights.models import Goal
from courtyard.people.models import Profile

router = Router()


class ScopeOut(Schema):
    kind: str
    id: int
    name: str


class PeriodOut(Schema):
    kind: str
    start: dt.date
    end: dt.date
    label: str


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    value: float | None
    previous: float | None
    trend: list[float | None] = Field(description="Oldest first; the last value is the period asked for.")
    help: str


class BreakdownOut(Schema):
    department_id: int
    department: str
    members: int
    active: int
    participation_rate: float | None
    survey_respondents: int | None = Field(description="Null when withheld (below the minimum group size).")
    survey_withheld: bool


class BelongingOut(Schema):
    withheld: bool = Field(description="True when too few answered in the scope, or the figure could be worked "
                                       "out by subtracting one shown segment from another.")
    reason: Literal["small", "derivable"] | None
    value: float | None = Field(description="The belonging index, 0–100; null when withheld.")
    respondents: int | None = Field(description="Responses it rests on (one per survey answered); null when "
                                                "withheld.")
    surveys: int | None
    minimum: int = Field(description="The strictest minimum group size among the surveys involved.")


class StructureCommunityOut(Schema):
    size: int
    departments: list[tuple[str, int]] = Field(description="Up to four departments with their members in it.")
    other_departments: int


class StructureOut(Schema):
    too_large: bool = Field(description="More ties than are detected on a request: see the silo map.")
    members: int | None
    ties: int | None
    modularity: float | None
    communities: list[StructureCommunityOut] = Field(
        description="Communities of at least the minimum group size, largest first; nobody is named.")
    smaller: int | None = Field(description="Smaller clusters, only counted.")


class KpisOut(Schema):
    scope: ScopeOut
    period: PeriodOut
    trend_periods: list[PeriodOut]
    headcount: int
    figures: list[FigureOut]
    breakdown: list[BreakdownOut]
    min_group_size: int
    belonging: BelongingOut | None = Field(
        description="The surveys' belonging index for this scope and period; null when no survey asked, or for "
                    "scopes survey answers cannot be broken down by (groups, programs, event series).")
    structure: StructureOut | None = Field(
        description="The communities the scope's members form among themselves (Louvain on their ties in the "
                    "months of the period); null for the organization, whose communities are on the silo map.")


class DepartmentOut(Schema):
    id: int
    name: str
    members: int
    ei_index: float | None


class CellOut(Schema):
    department_id: int
    other_department_id: int
    ties: float
    ties_per_100_pairs: float | None


class CommunityOut(Schema):
    size: int
    departments: list[tuple[str, int]] = Field(
        description="Up to four departments with at least three of its members each (fewer would point at people).")
    other_departments: int = Field(description="Departments of its other members, only counted.")


class EiPointOut(Schema):
    month: dt.date
    ei_index: float | None


class ConnectorOut(Schema):
    id: int
    name: str
    colleagues: int


class SiloOut(Schema):
    period: PeriodOut
    level: str
    departments: list[DepartmentOut]
    cells: list[CellOut]
    overall_ei_index: float | None
    department_modularity: float | None
    detected_modularity: float | None
    communities: list[CommunityOut]
    few_outside_ties: list[int]
    ei_trend: list[EiPointOut]
    connectors: list[ConnectorOut]


class GoalOut(Schema):
    id: int
    metric: str
    label: str
    scope: ScopeOut
    period_kind: str
    target: float
    baseline: float | None
    current: float | None
    due: dt.date
    note: str
    progress: float | None


class GoalIn(InputSchema):
    metric: Literal[tuple(k.key for k in kpis.GOAL_KPIS)]  # type: ignore[valid-type]
    scope: str = Field("org", max_length=40, description='"org", or "dept:<id>", "group:<id>", "location:<id>", '
                                                       '"series:<event id>", "program:<id>"')
    period_kind: Literal["week", "month", "quarter"] = "month"
    target: float = Field(..., description="In the KPI's unit: a share is between 0 and 1.")
    due: dt.date
    note: CleanText = Field("", max_length=200)


class ActivityRowOut(Schema):
    label: str
    current: int
    previous: int


class MyActivityOut(Schema):
    period: PeriodOut
    previous: PeriodOut
    rows: list[ActivityRowOut]
    colleagues: int
    colleagues_in_other_departments: int
    connector: bool


class ConnectorIn(InputSchema):
    enabled: bool


class ScopesOut(Schema):
    scopes: list[ScopeOut]
    silo_map: bool
    manage_goals: bool


PeriodKind = Literal["week", "month", "quarter", "custom"]


def _period_out(p: periods.Period) -> dict[str, Any]:
    return {"kind": p.kind, "start": p.start, "end": p.end, "label": p.label}


def _scope_out(scope: access.Scope) -> dict[str, Any]:
    return {"kind": scope.kind, "id": scope.id, "name": scope.name}


def _period(kind: str, start: str, end: str) -> periods.Period:
    return parse_period({"period": kind, "start": start, "end": end}, today=clock.now().date())


def _goal_out(goal: Goal) -> dict[str, Any]:
    kpi = kpis.BY_KEY.get(goal.metric)
    return {
        "id": goal.pk, "metric": goal.metric, "label": kpi.label if kpi else goal.metric,
        "scope": {"kind": goal.scope_kind, "id": goal.scope_id, "name": goal.scope_name},
        "period_kind": goal.period_kind, "target": goal.target, "baseline": goal.baseline, "current": goal.current,
        "due": goal.due, "note": goal.note,
        "progress": metrics.goal_progress(baseline=goal.baseline, current=goal.current, target=goal.target,
                                     rising=kpi.rising if kpi else True),
    }


@router.get("/scopes", response=ScopesOut, summary="The scopes whose insights you may read")
def scopes(request: ApiRequest) -> dict[str, Any]:
    viewer = access.insights_viewer(request.auth)
    options: dict[str, Any] = selectors.scope_options(viewer) if viewer.has_scope else {
        "org": False, "departments": [], "locations": [], "groups": [], "series": [], "programs": []}
    listed = [access.ORG] if options["org"] else []
    listed += [access.Scope("dept", i, n) for i, n in options["departments"]]
    listed += [access.Scope("location", i, n) for i, n in options["locations"]]
    listed += [access.Scope("group", i, n) for i, n in options["groups"]]
    listed += [access.Scope("series", i, n) for i, n in options["series"]]
    listed += [access.Scope("program", i, n) for i, n in options["programs"]]
    return {"scopes": [_scope_out(s) for s in listed], "silo_map": access.can_see_silo_map(viewer),
            "manage_goals": access.can_manage_goals(viewer)}


@router.get("/kpis", response=KpisOut, summary="Every KPI for a scope and period, with its trend")
def kpis_read(
    request: ApiRequest,
    scope: str = Query("", max_length=40, description='"org", "dept:<id>", "group:<id>", "location:<id>", '
                                                        '"series:<event id>", "program:<id>"; empty: your default scope'),
    period: PeriodKind = "month",
    start: str = Query("", max_length=10, description="A day in the period (custom: its first day), YYYY-MM-DD"),
    end: str = Query("", max_length=10, description="Custom periods: the last day, YYYY-MM-DD"),
) -> dict[str, Any]:
    viewer = access.require_insights(request.auth)
    chosen = _period(period, start, end)
    board = selectors.dashboard(parse_scope(viewer, scope), chosen, today=clock.now().date())
    return {
        "scope": _scope_out(board.scope), "period": _period_out(board.period),
        "trend_periods": [_period_out(p) for p in board.trend_periods], "headcount": board.headcount,
        "figures": [f.as_dict() for f in board.figures], "breakdown": list(board.breakdown),
        "min_group_size": board.min_group_size,
        "belonging": _belonging_out(selectors.belonging_index(board.scope, board.period)),
        "structure": _structure_out(selectors.participation_structure(board.scope, board.period)),
    }


def _structure_out(found: dict[str, Any] | None) -> dict[str, Any] | None:
    if found is None:
        return None
    if found.get("too_large"):
        return {"too_large": True, "members": None, "ties": None, "modularity": None, "communities": [],
                "smaller": None}
    return {"too_large": False, **found}


def _belonging_out(found: dict[str, Any] | None) -> dict[str, Any] | None:
    if found is None:
        return None
    withheld = bool(found.get("withheld"))
    return {"withheld": withheld, "reason": found.get("reason"), "minimum": found["minimum"],
            "value": None if withheld else found["value"], "respondents": None if withheld else found["respondents"],
            "surveys": None if withheld else found["surveys"]}


@router.get("/silo", response=SiloOut, summary="The silo map: departments, ties, E-I, modularity, communities")
def silo_read(
    request: ApiRequest,
    period: PeriodKind = "month",
    start: str = Query("", max_length=10),
    end: str = Query("", max_length=10),
    level: Literal["top", "all"] = "top",
) -> dict[str, Any]:
    viewer = access.require_insights(request.auth)
    scope = access.access_silo_scope(viewer)
    silo = selectors.silo_map(scope, _period(period, start, end), level=level, today=clock.now().date())
    focus = silo.focus
    shown = [d for d, _n, _s in silo.departments if focus is None or d == silo.focus]
    cells = [
        {"department_id": a, "other_department_id": b,
         "ties": silo.raw.get((a, b) if a <= b else (b, a), 0.0), "ties_per_100_pairs": silo.matrix.get((a, b))}
        for a in shown for b, _n, _s in silo.departments
    ]
    return {
        "period": _period_out(silo.period), "level": silo.level,
        "departments": [{"id": d, "name": n, "members": s, "ei_index": silo.ei.get(d)} for d, n, s in silo.departments
                        if focus is None or d == silo.focus],
        "cells": cells, "overall_ei_index": silo.overall_ei if focus is None else None,
        "department_modularity": silo.department_modularity if focus is None else None,
        "detected_modularity": silo.detected_modularity if focus is None else None,
        "communities": list(silo.communities) if focus is None else [],
        "few_outside_ties": list(silo.inward) if focus is None else [],
        "ei_trend": [{"month": p.start, "ei_index": v} for p, v in silo.ei_trend],
        "connectors": list(silo.connectors) if focus is None else [],
    }


@router.get("/goals", response=list[GoalOut], summary="Goals for the scopes you may read")
def goals_list(request: ApiRequest) -> list[dict[str, Any]]:
    viewer = access.require_insights(request.auth)
    return [_goal_out(g) for g in selectors.goals_for(viewer)]


@router.post("/goals", response={201: GoalOut}, summary="Set a goal (community admins)")
def goal_create(request: ApiRequest, payload: GoalIn) -> Status:
    viewer = access.require_insights(request.auth)
    if not access.can_manage_goals(viewer):
        raise PermissionDenied("Only community admins set goals.")
    goal = services.goal_create(viewer=viewer, metric=payload.metric, scope=parse_scope(viewer, payload.scope),
                                period_kind=payload.period_kind, target=payload.target, due=payload.due,
                                note=payload.note)
    return Status(201, _goal_out(goal))


@router.delete("/goals/{goal_id}", response=Ok, summary="Remove a goal (community admins)")
def goal_delete(request: ApiRequest, goal_id: str) -> dict[str, bool]:
    viewer = access.require_insights(request.auth)
    goal = Goal.objects.filter(pk=parse_id(goal_id)).first()
    if goal is None or goal not in selectors.goals_for(viewer):
        raise NotFound("No such goal.")
    services.goal_delete(viewer=viewer, goal=goal)
    return {"ok": True}


def _own_profile(request: ApiRequest) -> Profile:
    profile = Profile.objects.filter(user=request.auth).first()
    if profile is None:
        raise PermissionDenied("Your account has no profile yet; ask a community admin.")
    return profile


@router.get("/me", response=MyActivityOut, summary="Your own activity (only you see it)")
def me(request: ApiRequest, period: Literal["week", "month", "quarter"] = "month",
       start: str = Query("", max_length=10)) -> dict[str, Any]:
    activity = selectors.my_activity(_own_profile(request), _period(period, start, ""))
    return {
        "period": _period_out(activity["period"]), "previous": _period_out(activity["previous"]),
        "rows": [{"label": label, "current": now, "previous": before} for label, (now, before) in activity["rows"]],
        "colleagues": activity["colleagues"], "colleagues_in_other_departments": activity["across"],
        "connector": activity["connector"],
    }


@router.put("/me/connector", response=ConnectorIn, summary="Choose whether the silo map shows you as a connector")
def connector_set(request: ApiRequest, payload: ConnectorIn) -> dict[str, bool]:
    enabled = services.connector_set(actor=request.auth, profile=_own_profile(request), enabled=payload.enabled)
    return {"enabled": enabled}
