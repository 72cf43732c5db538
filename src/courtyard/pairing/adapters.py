"""Rows to engine dataclasses: what the matching engine needs to know about people, in a few queries.

Reads only. Every function loads its rows by subquery (never a list of ten thousand ids in an IN clause)
and returns plain data for ``courtyard.pairing.domain``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from courtyard.groups import selectors as groups_selectors
from courtyard.groups.models import Group
from courtyard.pairing.domain import schedule
from courtyard.pairing.domain.types import Person, Reason
from courtyard.people.domain.directory import is_newcomer
from courtyard.people.models import Department, Profile

SMALL_GROUP_MAX = 12  # people in a group this small already know each other


def people_for(
    profile_ids: QuerySet[Any, Any] | Iterable[int],
    *,
    today: dt.date,
    at: dt.datetime,
    with_skills: bool = False,
    with_small_groups: bool = True,
) -> dict[int, Person]:
    """The engine's view of each profile: department, team, manager, interests, languages, time zone,
    tenure, seniority and the small groups they share with others."""
    rows = list(
        Profile.objects.filter(pk__in=profile_ids, is_active=True).values(
            "pk", "department_id", "team_id", "manager_id", "location_id", "languages", "timezone", "start_date",
            "title",
        )
    )
    interests: dict[int, set[str]] = defaultdict(set)
    for profile_id, name in Profile.interests.through.objects.filter(profile_id__in=profile_ids).values_list(
        "profile_id", "tag__name"
    ):
        interests[profile_id].add(name)
    skills: dict[int, set[str]] = defaultdict(set)
    if with_skills:
        for profile_id, name in Profile.skills.through.objects.filter(profile_id__in=profile_ids).values_list(
            "profile_id", "tag__name"
        ):
            skills[profile_id].add(name)
    small: dict[int, set[int]] = {}
    if with_small_groups:
        small = groups_selectors.small_groups_of(profile_ids, max_members=SMALL_GROUP_MAX)
    people: dict[int, Person] = {}
    for row in rows:
        start = row["start_date"]
        people[row["pk"]] = Person(
            id=row["pk"],
            department_id=row["department_id"],
            team_id=row["team_id"],
            manager_id=row["manager_id"],
            location_id=row["location_id"],
            interests=frozenset(interests.get(row["pk"], ())),
            skills=frozenset(skills.get(row["pk"], ())),
            languages=schedule.parse_languages(row["languages"]),
            utc_offset_minutes=schedule.utc_offset_minutes(row["timezone"] or "UTC", at),
            tenure_days=max(0, (today - start).days) if start else 0,
            seniority=schedule.seniority_from_title(row["title"]),
            small_groups=frozenset(small.get(row["pk"], ())),
        )
    return people


def reporting_lines(person_ids: Iterable[int]) -> dict[int, int | None]:
    """person id -> manager id for everyone in the reporting chains above these people (one query per level)."""
    managers: dict[int, int | None] = {}
    wanted = set(person_ids)
    for _level in range(30):
        wanted -= set(managers)
        if not wanted:
            break
        found = dict(Profile.objects.filter(pk__in=wanted).values_list("pk", "manager_id"))
        for pk in wanted:
            managers[pk] = found.get(pk)
        wanted = {m for m in found.values() if m is not None}
    return managers


def side_members(definition: Mapping[str, Any], profile_ids: QuerySet[Any, Any], *, today: dt.date) -> set[int]:
    """Which of these profiles a cross program's side takes: in one of its departments (with the departments
    below), in one of its groups, and newcomers or seasoned people when it says so; every condition given must hold."""
    people = Profile.objects.filter(pk__in=profile_ids, is_active=True)
    department_ids = [int(d) for d in definition.get("departments") or []]
    if department_ids:
        subtree: set[int] = set()
        for department in Department.objects.filter(pk__in=department_ids):
            subtree.add(department.pk)
            subtree.update(Department.objects.filter(path__startswith=department.path + " / ").values_list("pk", flat=True))
        people = people.filter(department_id__in=subtree)
    group_ids = [int(g) for g in definition.get("groups") or []]
    if group_ids:
        people = people.filter(pk__in=groups_selectors.active_member_ids(group_ids))
    tenure = definition.get("tenure") or "any"
    rows = people.values_list("pk", "start_date")
    if tenure == "any":
        return {pk for pk, _start in rows}
    newcomer_days = int(settings.NEWCOMER_DAYS)
    wanted_newcomers = tenure == "newcomers"
    return {pk for pk, start in rows if is_newcomer(start, today, newcomer_days) == wanted_newcomers}


def side_label(definition: Mapping[str, Any]) -> str:
    """A short name for a side: its own label, else what defines it ("Newcomers", "Engineering", ...)."""
    if definition.get("label"):
        return str(definition["label"])
    parts: list[str] = []
    tenure = definition.get("tenure") or "any"
    if tenure == "newcomers":
        parts.append("Newcomers")
    elif tenure == "seasoned":
        parts.append("Seasoned colleagues")
    departments = list(Department.objects.filter(pk__in=definition.get("departments") or []).values_list("name", flat=True))
    groups = list(Group.objects.filter(pk__in=definition.get("groups") or []).values_list("name", flat=True))
    parts.extend(departments + groups)
    return ", ".join(parts) or "Everyone"


def reasons_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [{"label": r.label, "points": round(float(r.points), 2)} for r in reasons]
