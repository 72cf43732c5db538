"""The silo map (ties between departments, E-I indexes, communities, connectors) and the participation
structure of a scope: the groups its members actually form. Department names and sizes are today's."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import TruncMonth

from courtyard.core.domain.anonymity import community_listed, named_departments
from courtyard.groups import selectors as groups_selectors
from courtyard.insights import rollups
from courtyard.insights.access import Scope
from courtyard.insights.domain import network, periods
from courtyard.insights.domain.periods import Period
from courtyard.insights.models import (
    CommunitySnapshot,
    DepartmentPairDay,
    EventMember,
    MemberMonth,
    MemberTie,
)
from courtyard.insights.selectors._common import _date, _fetch, cache_seconds
from courtyard.people.models import Profile
from courtyard.people.selectors import directory_filter_options

LIVE_COMMUNITY_LIMIT = 5_000  # member ties detected on each view below this; above it, the nightly snapshot
COMMUNITY_SEED = 7
CONNECTORS_SHOWN = 8


@dataclasses.dataclass(frozen=True)
class SiloMap:
    period: Period
    level: str  # "top" (top-level departments) or "all"
    departments: tuple[tuple[int, str, int], ...]  # (id, name, members)
    matrix: dict[tuple[int, int], float | None]  # ties per 100 possible pairs
    raw: dict[tuple[int, int], float]  # undirected ties
    ei: dict[int, float | None]
    overall_ei: float | None
    department_modularity: float | None
    detected_modularity: float | None
    communities: tuple[dict[str, Any], ...]
    communities_note: str
    inward: tuple[int, ...]
    ei_trend: tuple[tuple[Period, float | None], ...]
    connectors: tuple[dict[str, Any], ...]
    focus: int | None  # a manager's own department
    smaller_communities: int = 0  # below the minimum group size: counted, not described



def _department_pairs(start: dt.date, end: dt.date) -> dict[tuple[int, int], float]:
    rows = (
        DepartmentPairDay.objects.filter(day__gte=start, day__lte=end)
        .values("actor_department_id", "other_department_id").annotate(total=Sum("ties"))
    )
    return {(r["actor_department_id"], r["other_department_id"]): float(r["total"]) for r in rows}



def _department_levels(level: str) -> tuple[dict[int, int], dict[int, str]]:
    """Each department's unit on the map (itself, or its top-level ancestor) and the units' names."""
    departments = directory_filter_options()["departments"]
    by_path = {d["path"]: d["id"] for d in departments}
    unit: dict[int, int] = {}
    names: dict[int, str] = {}
    for d in departments:
        top = str(d["path"]).split(" / ")[0]
        target = by_path.get(top, d["id"]) if level == "top" else d["id"]
        unit[d["id"]] = target
    for d in departments:
        if d["id"] in unit.values():
            names[d["id"]] = str(d["path"])
    return unit, names


def silo_map(scope: Scope, period: Period, *, level: str = "top", today: dt.date) -> SiloMap:
    """The silo map for a scope from access.access_silo_scope: the organization, or one department. For a
    department every figure is that department's own — its row of ties, its E-I — at the level of single
    departments (at the top level a sub-department would fold into its parent, whose figures are not the
    scope's); the organization-wide figures, communities and connectors are left out."""
    if scope.kind not in ("org", "dept"):
        raise ValueError(f"the silo map has no {scope.kind} scope")
    focus = scope.id if scope.kind == "dept" else None
    if focus is not None:
        level = "all"
    key = f"insights:silo:{rollups.rollup_version()}:{period.key}:{level}:{scope.key}:{today.isoformat()}"
    seconds = cache_seconds()
    cached = cache.get(key) if seconds else None
    if isinstance(cached, SiloMap):
        return cached
    result = _silo_map(period, level=level, focus=focus, today=today)
    if focus is not None:
        result = _only_department(result, focus)
    if seconds:
        cache.set(key, result, seconds)
    return result


def _silo_map(period: Period, *, level: str, focus: int | None, today: dt.date) -> SiloMap:
    unit, names = _department_levels(level)
    sizes_by_department = dict(
        Profile.objects.filter(is_active=True, department__isnull=False).values_list("department_id")
        .annotate(n=Count("id")).values_list("department_id", "n")
    )
    sizes: dict[int, int] = defaultdict(int)
    for department_id, n in sizes_by_department.items():
        sizes[unit.get(department_id, department_id)] += n
    if focus is not None:
        focus = unit.get(focus, focus)

    def units(pairs: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
        folded: dict[tuple[int, int], float] = defaultdict(float)
        for (a, b), weight in pairs.items():
            if a and b:  # ties with someone of no department are left out of the map
                folded[(unit.get(a, a), unit.get(b, b))] += weight
        return dict(folded)

    pairs = units(_department_pairs(period.start, period.end))
    ties = network.ties_by_group(pairs)
    shown = sorted((d for d in sizes if d in names), key=lambda d: names[d])
    density = network.density_matrix(pairs, {d: sizes[d] for d in shown})
    matrix = {k: (v * 100 if v is not None else None) for k, v in density.items()}
    ei = {d: ties[d].ei if d in ties else None for d in shown}
    trend_periods = periods.recent(periods.period_of("month", period.end), 6)
    ei_trend = []
    all_pairs = _monthly_pairs(trend_periods[0].start, trend_periods[-1].end)
    for month in trend_periods:
        month_pairs = units(all_pairs.get(month.start, {}))
        if focus is not None:
            value = network.ties_by_group(month_pairs).get(focus, network.GroupTies(0, 0)).ei
        else:
            value = network.overall_ei(month_pairs)
        ei_trend.append((month, value))
    detected_q, note, found = _communities(period)
    return SiloMap(
        period=period, level=level, departments=tuple((d, names[d], sizes[d]) for d in shown), matrix=matrix,
        raw=network.undirected(pairs), ei=ei, overall_ei=network.overall_ei(pairs),
        department_modularity=network.block_modularity(pairs), detected_modularity=detected_q,
        communities=tuple(_community_shown(c, unit, names) for c in found if community_listed(c["size"])),
        smaller_communities=sum(1 for c in found if not community_listed(c["size"])),
        communities_note=note,
        inward=tuple(network.few_outside_ties(ties, {d: sizes[d] for d in shown}, overall=network.overall_ei(pairs))),
        ei_trend=tuple(ei_trend), connectors=tuple(_connectors(period)), focus=focus,
    )


def _only_department(silo: SiloMap, department_id: int) -> SiloMap:
    """A department's own part of the map: its ties with each department and its E-I, nothing of others."""
    return dataclasses.replace(
        silo, matrix={k: v for k, v in silo.matrix.items() if department_id in k},
        raw={k: v for k, v in silo.raw.items() if department_id in k},
        ei={d: v for d, v in silo.ei.items() if d == department_id}, overall_ei=None, department_modularity=None,
        detected_modularity=None, communities=(), smaller_communities=0, communities_note="", inward=(), connectors=(),
        focus=department_id,
    )


def _community_shown(community: dict[str, Any], unit: dict[int, int], names: dict[int, str]) -> dict[str, Any]:
    """A community's members by department at the level shown (sub-departments add up under their parent
    first), named only from the floor of anonymity.named_departments; the others only counted."""
    at_level = [(names.get(unit.get(d, d), "—") if d else "—", n) for d, n in community["departments"]]
    named, others = named_departments(sorted(at_level), unnamed=("—",))
    return {"size": community["size"], "departments": named, "other_departments": others}


def _monthly_pairs(start: dt.date, end: dt.date) -> dict[dt.date, dict[tuple[int, int], float]]:
    rows = (
        DepartmentPairDay.objects.filter(day__gte=start, day__lte=end).annotate(m=TruncMonth("day"))
        .values("m", "actor_department_id", "other_department_id").annotate(total=Sum("ties"))
    )
    result: dict[dt.date, dict[tuple[int, int], float]] = defaultdict(dict)
    for r in rows:
        result[_date(r["m"])][(r["actor_department_id"], r["other_department_id"])] = float(r["total"])
    return result


def _months_of(period: Period) -> tuple[dt.date, dt.date]:
    return periods.month_start(period.start), periods.month_start(period.end)


def _communities(period: Period) -> tuple[float | None, str, list[dict[str, Any]]]:
    """Communities on the member tie graph of the months the period covers: detected here for a small
    graph, read from the nightly snapshot for a large one."""
    first, last = _months_of(period)
    ties = list(
        MemberTie.objects.filter(month__gte=first, month__lte=last).values_list("low_id", "high_id", "weight")
        [: LIVE_COMMUNITY_LIMIT + 1]
    )
    if len(ties) > LIVE_COMMUNITY_LIMIT:
        snapshot = CommunitySnapshot.objects.filter(months_key=f"{first}:{last}").first()
        if snapshot is None:
            return None, "The interaction graph of this period is large: its communities are detected by the " \
                "nightly job (courtyard insights_rebuild computes them now).", []
        return snapshot.detected_modularity, f"Detected {snapshot.computed_at:%d %b %Y %H:%M} UTC.", \
            list(snapshot.communities)
    result = detect_communities(ties)
    return result["modularity"], "", result["communities"]


def detect_communities(
    ties: Sequence[tuple[int, int, int]], *, departments: dict[int, int | None] | None = None
) -> dict[str, Any]:
    """Louvain communities of a member tie list, with each community's departments (today's directory, read
    here unless the caller passes member -> department)."""
    edges: dict[tuple[int, int], float] = defaultdict(float)
    for low, high, weight in ties:
        edges[(low, high)] += weight
    found = network.communities(edges, seed=COMMUNITY_SEED)
    modularity = network.modularity(edges, network.partition_of(found)) if found else None
    members = {m for c in found for m in c}
    if departments is None:
        departments = dict(Profile.objects.filter(pk__in=members).values_list("pk", "department_id")) if members else {}
    communities = []
    for community in found[:12]:
        counted: dict[int, int] = defaultdict(int)
        for member in community:
            counted[departments.get(member) or 0] += 1
        # Every department is kept: the page adds sub-departments up under the level it shows.
        by_size = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
        communities.append({"size": len(community), "departments": by_size})
    return {"modularity": modularity, "communities": communities, "count": len(found), "members": len(members),
            "ties": len(edges)}


def _scope_member_ids(scope: Scope) -> Any:
    """The scope's own members as a subquery of profile ids (no query of its own)."""
    if scope.kind == "dept":
        return Profile.objects.filter(department_id=scope.id, is_active=True).values("id")
    if scope.kind == "location":
        return Profile.objects.filter(location_id=scope.id, is_active=True).values("id")
    if scope.kind == "group":
        return groups_selectors.active_member_ids([scope.id])
    if scope.kind == "series":
        return EventMember.objects.filter(event_id=scope.id).values("member_id")
    return MemberMonth.objects.filter(scope_kind=scope.kind, scope_id=scope.id).values("member_id")


def participation_structure(scope: Scope, period: Period) -> dict[str, Any] | None:
    """The groups a scope's members actually form: Louvain communities on the ties among its own members
    (replies, reactions, co-attendance, coffee met, kudos, mentoring) in the months the period covers, each
    as a size and its departments — never names. Communities smaller than the minimum group size are only
    counted. None for the organization (the silo map shows it); ``too_large`` above LIVE_COMMUNITY_LIMIT ties."""
    if scope.kind == "org":
        return None
    seconds = cache_seconds()
    key = f"insights:structure:{scope.key}:{period.key}"  # like the belonging index: for a few minutes
    cached = cache.get(key) if seconds else None
    if isinstance(cached, dict):
        return cached
    first, last = _months_of(period)
    members = _scope_member_ids(scope)
    department = Profile.objects.values("department_id")
    rows = list(
        MemberTie.objects.filter(month__gte=first, month__lte=last, low_id__in=members, high_id__in=members)
        .annotate(low_department=Subquery(department.filter(pk=OuterRef("low_id"))),
                  high_department=Subquery(department.filter(pk=OuterRef("high_id"))))
        .values_list("low_id", "high_id", "weight", "low_department", "high_department")[: LIVE_COMMUNITY_LIMIT + 1]
    )
    ties = [(low, high, weight) for low, high, weight, _a, _b in rows]
    departments = {m: d for low, high, _w, a, b in rows for m, d in ((low, a), (high, b))}
    result: dict[str, Any]
    if len(ties) > LIVE_COMMUNITY_LIMIT:
        result = {"too_large": True, "limit": LIVE_COMMUNITY_LIMIT}
    elif not ties:
        result = {"members": 0, "ties": 0, "modularity": None, "communities": [], "smaller": 0}
    else:
        found = detect_communities(ties, departments=departments)
        names = {d["id"]: d["path"] for d in directory_filter_options()["departments"]}
        # The same floor as the silo map's communities (anonymity.named_departments): "Executive Office 1"
        # would point at a person.
        shown = []
        for c in found["communities"]:
            if not community_listed(c["size"]):
                continue
            named, others = named_departments(c["departments"], unnamed=(0, None))
            shown.append({"size": c["size"], "departments": [(names.get(d, "—"), n) for d, n in named],
                          "other_departments": others})
        result = {"members": found["members"], "ties": found["ties"], "modularity": found["modularity"],
                  "communities": shown, "smaller": found["count"] - len(shown)}
    if seconds:
        cache.set(key, result, seconds)
    return result


def _connectors(period: Period) -> list[dict[str, Any]]:
    """Members who opted in to be shown as connectors, by their colleagues in other departments (ties in
    the months the period covers) — a positive, consented role; nobody else appears by name."""
    first, last = _months_of(period)
    rows = _fetch(
        "SELECT c.profile_id, pr.preferred_name, pr.full_name, COUNT(DISTINCT t.partner) FROM insights_connectoroptin c "
        "JOIN people_profile pr ON pr.id = c.profile_id "
        "JOIN (SELECT low_id AS member, high_id AS partner FROM insights_membertie WHERE month >= %s AND month <= %s "
        "UNION ALL SELECT high_id, low_id FROM insights_membertie WHERE month >= %s AND month <= %s) t "
        "ON t.member = c.profile_id "
        "JOIN people_profile other ON other.id = t.partner "
        "WHERE pr.is_active = %s AND other.department_id IS NOT NULL AND pr.department_id IS NOT NULL "
        "AND other.department_id <> pr.department_id "
        "GROUP BY c.profile_id, pr.preferred_name, pr.full_name ORDER BY COUNT(DISTINCT t.partner) DESC, c.profile_id "
        "LIMIT %s",
        [first, last, first, last, True, CONNECTORS_SHOWN],
    )
    return [{"id": pid, "name": preferred or full, "colleagues": int(n)} for pid, preferred, full, n in rows]
