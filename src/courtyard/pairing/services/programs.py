"""Programs: starting one, its settings (validated here), and pausing, resuming or closing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.access import is_admin
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, Conflict
from courtyard.core.markdown import render_markdown
from courtyard.groups.models import Group
from courtyard.pairing.access import can_create_in_group, check, standing
from courtyard.pairing.domain import policy, schedule
from courtyard.pairing.models import MentorshipMatch, Program
from courtyard.pairing.services._common import _clean_text, _schedule_next
from courtyard.pairing.services.mentorship import (
    MENTORSHIP_WEIGHT_FIELDS,
    _mentorship_complete,
    _published_matches,
)
from courtyard.people.access import actor_profile
from courtyard.people.models import Department

TENURES = ("any", "newcomers", "seasoned")


# --- Programs ---------------------------------------------------------------------------------


def _clean_side(raw: Mapping[str, Any] | None, name: str) -> dict[str, Any]:
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise ApplicationError(_("Side %(name)s is not valid.") % {"name": name}, code="bad_side")
    try:
        departments = sorted({int(d) for d in raw.get("departments") or []})
        groups = sorted({int(g) for g in raw.get("groups") or []})
    except (TypeError, ValueError):
        raise ApplicationError(_("Side %(name)s lists something that is not an id.") % {"name": name},
                               code="bad_side") from None
    tenure = raw.get("tenure") or "any"
    if tenure not in TENURES:
        raise ApplicationError(_("Choose newcomers, seasoned people or anyone for side %(name)s.") % {"name": name},
                               code="bad_side")
    if len(departments) > 50 or len(groups) > 50:
        raise ApplicationError(_("Side %(name)s lists too many departments or groups.") % {"name": name},
                               code="bad_side")
    if Department.objects.filter(pk__in=departments).count() != len(departments):
        raise ApplicationError(_("Side %(name)s names a department that does not exist.") % {"name": name},
                               code="bad_side")
    if Group.objects.filter(pk__in=groups).count() != len(groups):
        raise ApplicationError(_("Side %(name)s names a group that does not exist.") % {"name": name},
                               code="bad_side")
    if not departments and not groups and tenure == "any":
        raise ApplicationError(
            _("Say who is on side %(name)s: departments, groups, newcomers or seasoned people.") % {"name": name},
            code="bad_side",
        )
    label = _clean_text(str(raw.get("label") or ""), field=_("The side's name"), max_length=60)
    return {"departments": departments, "groups": groups, "tenure": tenure, "label": label}


def _clean_weights(raw: Mapping[str, Any] | None) -> dict[str, float]:
    weights: dict[str, float] = {}
    for key, value in (raw or {}).items():
        if key not in MENTORSHIP_WEIGHT_FIELDS:
            raise ApplicationError(_("Unknown weight “%(key)s”.") % {"key": key}, code="bad_weight")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ApplicationError(_("Weights are numbers.") , code="bad_weight") from None
        if not -20 <= number <= 20:
            raise ApplicationError(_("Weights are between -20 and 20."), code="bad_weight")
        weights[key] = number
    return weights


SETTINGS_FIELDS = (
    "name", "description", "starts_on", "ends_on", "cadence", "weekday", "local_time", "timezone", "group_size",
    "lookback_rounds", "goals", "objective", "weights", "require_shared_language", "team_min", "team_max",
    "side_a", "side_b",
)


def _apply_settings(program: Program, data: Mapping[str, Any]) -> list[str]:
    """Validate and set the program's settings; returns the names of the fields that changed."""
    changed: list[str] = []

    def put(field: str, value: Any) -> None:
        if getattr(program, field) != value:
            setattr(program, field, value)
            changed.append(field)

    if "name" in data:
        put("name", _clean_text(data["name"], field=_("The name"), max_length=100, required=True))
    if "description" in data:
        description = _clean_text(data["description"], field=_("The description"), max_length=5000)
        put("description", description)
        program.description_html = str(render_markdown(description))
    if "goals" in data:
        put("goals", _clean_text(data["goals"], field=_("The goals"), max_length=5000))
    for field in ("starts_on", "ends_on"):
        if field in data:
            value = data[field]
            if value is not None and not isinstance(value, dt.date):
                raise ApplicationError(_("Dates look like 2025-03-31."), code="bad_date")
            put(field, value)
    if program.starts_on and program.ends_on and program.ends_on < program.starts_on:
        raise ApplicationError(_("The program cannot end before it starts."), code="bad_dates")
    if "cadence" in data:
        if data["cadence"] not in Program.Cadence.values:
            raise ApplicationError(_("Choose weekly, every 2 weeks or monthly."), code="invalid_choice")
        put("cadence", data["cadence"])
    if "weekday" in data:
        if not isinstance(data["weekday"], int) or not 0 <= data["weekday"] <= 6:
            raise ApplicationError(_("Choose a day of the week."), code="invalid_choice")
        put("weekday", data["weekday"])
    if "local_time" in data:
        if not isinstance(data["local_time"], dt.time):
            raise ApplicationError(_("Times look like 10:00."), code="bad_time")
        put("local_time", data["local_time"].replace(second=0, microsecond=0, tzinfo=None))
    if "timezone" in data:
        tz_name = _clean_text(data["timezone"], field=_("The time zone"), max_length=64, required=True)
        if schedule.zone(tz_name) is dt.UTC and tz_name not in ("UTC", "Etc/UTC"):
            raise ApplicationError(_("“%(tz)s” is not a time zone; try Europe/Berlin.") % {"tz": tz_name},
                                   code="bad_timezone")
        put("timezone", tz_name)
    if "group_size" in data:
        if not isinstance(data["group_size"], int) or not 2 <= data["group_size"] <= 4:
            raise ApplicationError(_("Groups are of 2, 3 or 4 people."), code="bad_group_size")
        put("group_size", data["group_size"])
    if "lookback_rounds" in data:
        if not isinstance(data["lookback_rounds"], int) or not 0 <= data["lookback_rounds"] <= 52:
            raise ApplicationError(_("Look back 0 to 52 rounds."), code="bad_lookback")
        put("lookback_rounds", data["lookback_rounds"])
    if "objective" in data:
        if data["objective"] not in Program.Objective.values:
            raise ApplicationError(_("Choose best total fit or leave nobody unmatched."), code="invalid_choice")
        put("objective", data["objective"])
    if "weights" in data:
        put("weights", _clean_weights(data["weights"]))
    if "require_shared_language" in data:
        put("require_shared_language", bool(data["require_shared_language"]))
    for field in ("team_min", "team_max"):
        if field in data:
            if not isinstance(data[field], int) or not 2 <= data[field] <= 50:
                raise ApplicationError(_("Teams have 2 to 50 people."), code="bad_team_size")
            put(field, data[field])
    if program.team_min > program.team_max:
        raise ApplicationError(_("The smallest team size cannot be above the largest."), code="bad_team_size")
    for field, name in (("side_a", "A"), ("side_b", "B")):
        if field in data and program.scope == Program.Scope.CROSS:
            put(field, _clean_side(data[field], name))
    return changed


@transaction.atomic
def program_create(
    *,
    actor: User,
    kind: str,
    name: str,
    scope: str = Program.Scope.ORGANIZATION,
    group: Group | None = None,
    **settings: Any,
) -> Program:
    """Community admins start organization-wide and cross programs; group organizers start their group's."""
    owner = actor_profile(actor)
    if kind not in Program.Kind.values or scope not in Program.Scope.values:
        raise ApplicationError(_("Choose a kind of program and who it is for."), code="invalid_choice")
    if scope == Program.Scope.GROUP:
        if group is None:
            raise ApplicationError(_("Choose the group this program is for."), code="group_required")
        check(can_create_in_group(actor, group.pk), _("Only the group's organizers can start a program for it."))
        if group.archived_at is not None:
            raise ApplicationError(_("That group is archived."), code="archived")
    else:
        check(is_admin(actor), _("Only community admins start programs for the whole organization."))
        group = None
    if scope == Program.Scope.CROSS and kind != Program.Kind.COFFEE:
        raise ApplicationError(_("Only coffee programs pair two sets of people across."), code="invalid_choice")
    unknown = set(settings) - set(SETTINGS_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))},
                               code="invalid")
    now = clock.now()
    program = Program(kind=kind, scope=scope, group=group, owner=owner, created_at=now, status=Program.Status.OPEN)
    if scope == Program.Scope.CROSS:
        settings.setdefault("side_a", None)
        settings.setdefault("side_b", None)
    _apply_settings(program, {"name": name, **settings})
    _schedule_next(program, now)
    program.save()
    audit_record(action="pairing.program.created", actor=actor, target=program, data={"kind": kind, "scope": scope})
    return program


@transaction.atomic
def program_update(*, actor: User, program: Program, data: Mapping[str, Any]) -> Program:
    check(policy.can_manage(standing(actor, program)), _("Only the program's owner can change it."))
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))},
                               code="invalid")
    changed = _apply_settings(program, data)
    if changed:
        _schedule_next(program, clock.now())
        program.save()
        audit_record(action="pairing.program.updated", actor=actor, target=program, data={"fields": changed})
    return program


@transaction.atomic
def program_set_status(*, actor: User, program: Program, status: str) -> Program:
    """Coffee: pause, resume or close. Mentorship: close (completes every published match)."""
    check(policy.can_manage(standing(actor, program)), _("Only the program's owner can change it."))
    allowed = {
        Program.Kind.COFFEE: {Program.Status.OPEN, Program.Status.PAUSED, Program.Status.CLOSED},
        Program.Kind.MENTORSHIP: {Program.Status.CLOSED},
        Program.Kind.TEAMS: {Program.Status.CLOSED},
    }[Program.Kind(program.kind)]
    if status not in allowed:
        raise ApplicationError(_("That change is not possible for this program."), code="bad_status")
    if program.status == Program.Status.CLOSED:
        raise Conflict(_("This program is closed."), code="closed")
    if status == program.status:
        return program
    if program.kind == Program.Kind.MENTORSHIP:
        MentorshipMatch.objects.filter(program=program, status=MentorshipMatch.Status.DRAFT).delete()
        for match in _published_matches(program):
            _mentorship_complete(match, actor=actor)
    program.status = status
    _schedule_next(program, clock.now())
    program.save(update_fields=["status", "next_round_at"])
    audit_record(action=f"pairing.program.{status}", actor=actor, target=program)
    return program
