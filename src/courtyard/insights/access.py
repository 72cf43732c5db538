"""Who sees which insights — the only door to them.

- Community admins: the whole organization, and any department, location, group, event series or program.
- Managers (someone's ``Profile.manager``): their own department's aggregates.
- Organizers of a group: that group's aggregates, and those of its event series.
- Those who run an event series (its hosts) or a pairing program (its owner): its aggregates — the people
  events and pairing let manage them (events.selectors / pairing.selectors say who).
- Every member: their own activity page. Nobody gets a per-person engagement score.

A scope someone may not see is the same 404 as one that does not exist.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core.access import is_admin, parse_id, require_signed_in
from courtyard.core.errors import ApplicationError, NotFound, PermissionDenied
from courtyard.events import selectors as events_selectors
from courtyard.groups import selectors as groups_selectors
from courtyard.groups.models import Group
from courtyard.insights.domain import periods
from courtyard.insights.domain.periods import Period
from courtyard.pairing import selectors as pairing_selectors
from courtyard.people.models import Profile
from courtyard.people.selectors import directory_filter_options

SCOPE_KINDS = ("org", "dept", "location", "group", "program", "series")
NAV_CACHE_SECONDS = 600


@dataclasses.dataclass(frozen=True)
class Scope:
    kind: str
    id: int
    name: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


ORG = Scope("org", 0, "Organization")


@dataclasses.dataclass(frozen=True)
class Viewer:
    user: User
    is_admin: bool
    profile_id: int | None
    managed_department: tuple[int, str] | None  # (id, path) when they manage someone
    organized_groups: tuple[tuple[int, str], ...]
    run_series: tuple[tuple[int, str], ...] = ()  # event series they host, or of the groups they organize
    run_programs: tuple[tuple[int, str], ...] = ()  # pairing programs they own

    @property
    def has_scope(self) -> bool:
        return (self.is_admin or self.managed_department is not None or bool(self.organized_groups)
                or bool(self.run_series) or bool(self.run_programs))

    def default_scope(self) -> Scope:
        if self.is_admin:
            return ORG
        if self.managed_department is not None:
            return Scope("dept", *self.managed_department)
        if self.organized_groups:
            return Scope("group", *self.organized_groups[0])
        if self.run_series:
            return Scope("series", *self.run_series[0])
        if self.run_programs:
            return Scope("program", *self.run_programs[0])
        raise PermissionDenied(_("Insights are for community admins, managers and organizers."), code="no_scope")


def insights_viewer(actor: User) -> Viewer:
    """The actor's insights scopes: no query for admins, one for everyone else, and one more for each kind of
    scope they have (organized groups, event series, programs)."""
    require_signed_in(actor)
    if is_admin(actor):
        return Viewer(user=actor, is_admin=True, profile_id=None, managed_department=None, organized_groups=())
    profile = (
        Profile.objects.filter(user=actor)
        .select_related("department")
        .annotate(
            manages=Exists(Profile.objects.filter(manager=OuterRef("pk"), is_active=True)),
            organizes=Exists(groups_selectors.organizer_memberships(OuterRef("pk"))),
            hosts_series=Exists(events_selectors.series_hosted_by(OuterRef("pk"))),
            organizes_series=Exists(events_selectors.series_of_groups_organized_by(OuterRef("pk"))),
            owns_programs=Exists(pairing_selectors.programs_owned_by(OuterRef("pk"))),
        )
        .first()
    )
    if profile is None:
        return Viewer(user=actor, is_admin=False, profile_id=None, managed_department=None, organized_groups=())
    managed = None
    if getattr(profile, "manages", False) and profile.department is not None:
        managed = (profile.department.pk, profile.department.path)
    groups: tuple[tuple[int, str], ...] = ()
    if getattr(profile, "organizes", False):
        groups = tuple(groups_selectors.organized_groups(profile))
    series: tuple[tuple[int, str], ...] = ()
    if getattr(profile, "hosts_series", False) or getattr(profile, "organizes_series", False):
        series = tuple(events_selectors.series_run_by(profile.pk))
    programs: tuple[tuple[int, str], ...] = ()
    if getattr(profile, "owns_programs", False):
        programs = tuple(pairing_selectors.programs_run_by(profile.pk))
    return Viewer(user=actor, is_admin=False, profile_id=profile.pk, managed_department=managed, organized_groups=groups,
                  run_series=series, run_programs=programs)


def require_insights(actor: User) -> Viewer:
    viewer = insights_viewer(actor)
    if not viewer.has_scope:
        raise PermissionDenied(_("Insights are for community admins, managers and organizers."), code="no_scope")
    return viewer


def _department_name(department_id: int) -> str | None:
    for department in directory_filter_options()["departments"]:
        if department["id"] == department_id:
            return str(department["path"])
    return None


def _location_name(location_id: int) -> str | None:
    for location in directory_filter_options()["locations"]:
        if location["id"] == location_id:
            return str(location["name"])
    return None


def access_scope(viewer: Viewer, kind: str, raw_id: object = 0) -> Scope:
    """The scope the viewer asked for, if they may see it; otherwise the same 404 as a missing one."""
    if not viewer.has_scope:
        raise PermissionDenied(_("Insights are for community admins, managers and organizers."), code="no_scope")
    if kind in ("", "org"):
        if viewer.is_admin:
            return ORG
        raise NotFound(_("No such scope."))
    if kind not in SCOPE_KINDS:
        raise NotFound(_("No such scope."))
    scope_id = parse_id(raw_id)
    if kind == "dept":
        return _department_scope(viewer, scope_id)
    if kind == "group":
        return _group_scope(viewer, scope_id)
    if kind == "location" and viewer.is_admin:
        name = _location_name(scope_id)
        if name is not None:
            return Scope("location", scope_id, name)
    if kind == "series":
        return _run_scope(viewer, "series", scope_id, viewer.run_series, events_selectors.series_name)
    if kind == "program":
        return _run_scope(viewer, "program", scope_id, viewer.run_programs, pairing_selectors.program_name)
    raise NotFound(_("No such scope."))


# The pickers' parameters, shared by the pages and the API (which may not import the web package).


def parse_period(params: Mapping[str, Any], *, today: dt.date) -> Period:
    """The period picker's values; a bad kind or bad dates are a 400 (ApplicationError), never a 500."""
    get = params.get
    kind = str(get("period", "") or "month")
    if kind not in periods.KINDS:
        raise ApplicationError(_("Choose a week, a month, a quarter or custom dates."), code="invalid_period")
    try:
        return periods.parse(kind, str(get("start", "") or ""), str(get("end", "") or ""), today=today)
    except periods.PeriodError as exc:
        raise ApplicationError(str(exc), code="invalid_period") from None


def parse_scope(viewer: Viewer, raw: str) -> Scope:
    """The scope picker's value ("kind:id", empty for the viewer's default) through access_scope."""
    if not raw:
        return viewer.default_scope()
    kind, _sep, scope_id = raw.partition(":")
    return access_scope(viewer, kind, scope_id or 0)


def _run_scope(
    viewer: Viewer, kind: str, scope_id: int, run: tuple[tuple[int, str], ...], name_of: Callable[[int], str | None]
) -> Scope:
    """An event series or a program: one the viewer runs, or any that exists for an admin."""
    for run_id, name in run:
        if run_id == scope_id:
            return Scope(kind, scope_id, name)
    if viewer.is_admin:
        found = name_of(scope_id)
        if found is not None:
            return Scope(kind, scope_id, found)
    raise NotFound(_("No such scope."))


def _department_scope(viewer: Viewer, department_id: int) -> Scope:
    if viewer.managed_department is not None and viewer.managed_department[0] == department_id:
        return Scope("dept", *viewer.managed_department)
    if viewer.is_admin:
        name = _department_name(department_id)
        if name is not None:
            return Scope("dept", department_id, name)
    raise NotFound(_("No such scope."))


def _group_scope(viewer: Viewer, group_id: int) -> Scope:
    for organized_id, name in viewer.organized_groups:
        if organized_id == group_id:
            return Scope("group", group_id, name)
    if viewer.is_admin:
        group_name = Group.objects.filter(pk=group_id).values_list("name", flat=True).first()
        if group_name is not None:
            return Scope("group", group_id, group_name)
    raise NotFound(_("No such scope."))


def access_silo_scope(viewer: Viewer) -> Scope:
    """The silo map's scope, through the same check as every other figure: the organization for admins; for a
    manager exactly their own department. The map is read for that scope only, so a sub-department's manager
    never gets the parent department it folds into at the top level (which access_scope refuses them)."""
    if viewer.is_admin:
        return access_scope(viewer, "org")
    if viewer.managed_department is not None:
        return access_scope(viewer, "dept", viewer.managed_department[0])
    raise PermissionDenied(_("The silo map is for community admins and managers."))


def can_see_silo_map(viewer: Viewer) -> bool:
    """The organization's silo map for admins; a manager sees their own department's row of it."""
    return viewer.is_admin or viewer.managed_department is not None


def can_manage_goals(viewer: Viewer) -> bool:
    return viewer.is_admin


def nav_visible(user: User) -> bool:
    """Whether the navigation shows Insights: admins always; managers, organizers and those who run an event
    series or a program too. Cached per user for a few minutes, so that other pages pay no query for it."""
    if is_admin(user):
        return True
    key = f"insights:nav:{user.pk}"
    visible = cache.get(key)
    if visible is None:
        visible = (
            Profile.objects.filter(manager__user=user, is_active=True).exists()
            or groups_selectors.organizes_any_group(user)
            or _runs_series_or_program(user)
        )
        cache.set(key, visible, NAV_CACHE_SECONDS)
    return bool(visible)


def _runs_series_or_program(user: User) -> bool:
    profile_id = Profile.objects.filter(user=user).values_list("pk", flat=True).first()
    if profile_id is None:
        return False
    return events_selectors.series_hosted_by(profile_id).exists() or pairing_selectors.programs_owned_by(profile_id).exists()
