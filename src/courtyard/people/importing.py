"""The organization import, as a service: read the directory, let the domain plan, apply a valid plan at once.

``people_import_preview`` never writes. ``people_import_apply`` validates again inside its transaction and
applies everything or nothing, in bulk (10,000 lines take seconds, not minutes): departments, teams and
locations first, then new people, then changes, then managers once everyone exists, then search documents.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.access import require_admin
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, Conflict
from courtyard.core.models import AuditEntry
from courtyard.people import selectors, services
from courtyard.people.domain.orgimport import ExistingPerson, ImportPlan, Message, Record, plan_import
from courtyard.people.models import Department, Location, Profile, Team

# (done, total): called while applying, so the command line can show a progress bar.
Progress = Callable[[int, int], None]
T = TypeVar("T")
CHUNK = 500
PROFILE_FIELDS = ("full_name", "employee_id", "title", "department", "team", "location", "timezone", "start_date")


@dataclasses.dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    created: int
    updated: int
    unchanged: int
    deactivated: int
    reactivated: int

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
            "reactivated": self.reactivated,
        }


def message_text(message: Message) -> str:
    """An error or note of the plan, in the active language."""
    return message.render(_)


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_size(data: bytes) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ApplicationError(
            _("The file is larger than %(limit)d MB; split it or remove unused columns.")
            % {"limit": limit // (1024 * 1024)},
            code="import_too_large",
            status=413,
        )


def _snapshot() -> list[ExistingPerson]:
    """Everyone in the directory, as plain data, in one query (no model instances: 100,000 rows stay cheap)."""
    rows = Profile.objects.order_by("id").values_list(
        "id", "user__email", "full_name", "employee_id", "title", "department__path", "team__name",
        "team__department__path", "manager_id", "location__name", "timezone", "start_date", "is_active",
    )
    return [
        ExistingPerson(
            id=pk, email=email, full_name=full_name, employee_id=employee_id or "", title=title,
            department=department or "", team=team or "", team_department=team_department or "",
            manager_id=manager_id, location=location or "", timezone=timezone, start_date=start_date,
            is_active=is_active,
        )
        for (
            pk, email, full_name, employee_id, title, department, team, team_department, manager_id, location,
            timezone, start_date, is_active,
        ) in rows.iterator(chunk_size=2000)
    ]


def _plan(actor: User, data: bytes, deactivate_missing: bool) -> ImportPlan:
    actor_profile = Profile.objects.filter(user_id=actor.pk).values_list("id", flat=True).first()
    return plan_import(
        data,
        _snapshot(),
        timezones=services.valid_timezones(),
        deactivate_missing=deactivate_missing,
        protected_ids={actor_profile} if actor_profile is not None else set(),
    )


def people_import_preview(*, actor: User, data: bytes, deactivate_missing: bool) -> ImportPlan:
    """What importing this file would change, or why it cannot be imported. Writes nothing."""
    require_admin(actor)
    _check_size(data)
    return _plan(actor, data, deactivate_missing)


def people_import_apply(
    *,
    actor: User,
    data: bytes,
    deactivate_missing: bool,
    expected_fingerprint: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Apply the file: all of it or, when any line is bad, nothing (ApplicationError with the line errors).

    ``expected_fingerprint`` is the previewed plan's: when the directory changed in between so that the file
    would now do something else, nothing is applied (Conflict) and the admin looks at the preview again.
    """
    require_admin(actor)
    _check_size(data)
    with transaction.atomic():
        plan = _plan(actor, data, deactivate_missing)
        if not plan.is_valid:
            raise ApplicationError(
                _("The file has errors; nothing was imported."),
                code="import_invalid",
                details=[
                    {"line": e.line, "column": e.column, "message": message_text(e)} for e in plan.errors
                ],
            )
        if expected_fingerprint is not None and expected_fingerprint != plan.fingerprint:
            raise Conflict(
                _("The directory changed since the preview; nothing was imported. Check the new preview."),
                code="import_changed",
            )
        try:
            _Applier(actor=actor, plan=plan, progress=progress).run()
        except IntegrityError:
            # Another import or edit committed between our reads and writes; the transaction is rolled back.
            raise Conflict(
                _("The directory changed while importing; nothing was imported. Try again."), code="import_changed"
            ) from None
        result = ImportResult(
            plan=plan,
            created=len(plan.creates),
            updated=len(plan.updates),
            unchanged=len(plan.unchanged),
            deactivated=len(plan.deactivations),
            reactivated=len(plan.reactivations),
        )
        audit_record(
            action="people.import.applied",
            actor=actor,
            data={
                **result.as_dict(),
                "rows": plan.rows,
                "deactivate_missing": deactivate_missing,
                "sha256": hashlib.sha256(data).hexdigest(),
            },
        )
        if plan.has_changes:
            transaction.on_commit(selectors.directory_options_invalidate)
    return result


class _Applier:
    """Writes a valid plan. One instance per import; caches departments, teams and locations by name."""

    def __init__(self, *, actor: User, plan: ImportPlan, progress: Progress | None) -> None:
        self.actor = actor
        self.plan = plan
        self.progress = progress
        self.now = clock.now()
        self.departments: dict[str, Department] = {}
        self.teams: dict[tuple[int | None, str], Team] = {}
        self.locations: dict[str, Location] = {}
        changed = [*self.plan.creates, *(update.record for update in self.plan.updates)]
        self.touched: list[Record] = changed
        # Writing people, setting managers and refreshing search documents each count once per person.
        self.total = 3 * len(changed) + len(plan.deactivations)
        self.done = 0

    def _advance(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)

    def run(self) -> None:
        if self.progress is not None:
            self.progress(0, self.total)
        if self.touched:
            self._ensure_places()
            profile_ids = self._create_people()
            profile_ids.update(self._update_people())
            self._set_managers()
            self._refresh_search(sorted(profile_ids.values()))
        self._deactivate()

    # Departments, teams and locations: few distinct names, created through the usual helpers.

    def _ensure_places(self) -> None:
        records = self.touched
        paths = {str(r.values["department"]) for r in records if r.values.get("department")}
        self.departments = {d.path: d for d in Department.objects.filter(path__in=paths)}
        for path in sorted(paths - set(self.departments)):
            department = services.department_ensure_path(path)
            if department is not None:
                self.departments[path] = department
        for team in Team.objects.filter(name__in={str(r.values["team"]) for r in records if r.values.get("team")}):
            self.teams[(team.department_id, team.name)] = team
        names: dict[str, str] = {}  # a new location takes the time zone of the first line naming one
        for record in records:
            if record.values.get("location"):
                name = str(record.values["location"])
                if not names.get(name):
                    names[name] = str(record.values.get("timezone") or "")
        self.locations = {loc.name: loc for loc in Location.objects.filter(name__in=names)}
        for name in sorted(set(names) - set(self.locations)):
            location = services.location_ensure(name, names[name])
            if location is not None:
                self.locations[name] = location

    def _department(self, record: Record, current: Department | None) -> Department | None:
        if "department" not in record.values:
            return current
        path = str(record.values["department"] or "")
        return self.departments[path] if path else None

    def _team(self, record: Record, department: Department | None, current: Team | None) -> Team | None:
        if "team" not in record.values:
            return current
        name = str(record.values["team"] or "")
        if not name:
            return None
        key = (department.pk if department else None, name)
        if key not in self.teams:
            team = services.team_ensure(name, department)
            if team is None:
                return None
            self.teams[key] = team
        return self.teams[key]

    def _apply_values(self, profile: Profile, record: Record) -> None:
        values = record.values
        profile.full_name = record.full_name
        if "employee_id" in values:
            profile.employee_id = str(values["employee_id"])
        if "title" in values:
            profile.title = str(values["title"])
        profile.department = self._department(record, profile.department if profile.department_id else None)
        profile.team = self._team(record, profile.department, profile.team if profile.team_id else None)
        if "location" in values:
            profile.location = self.locations[str(values["location"])]
        if "timezone" in values:
            profile.timezone = str(values["timezone"])
        if "start_date" in values:
            start_date = values["start_date"]
            profile.start_date = start_date if not isinstance(start_date, str) else None
        profile.is_active = True

    # People

    def _create_people(self) -> dict[str, int]:
        """New users and profiles in bulk. An account that exists without a profile (rare) gets one."""
        creates = list(self.plan.creates)
        if not creates:
            return {}
        emails = [record.email for record in creates]
        users: dict[str, User] = {}
        for chunk in _chunks(emails):
            users.update({user.email.lower(): user for user in User.objects.filter(email__in=chunk)})
        User.objects.filter(pk__in=[user.pk for user in users.values() if not user.is_active]).update(is_active=True)
        new_users = []
        for email in emails:
            if email not in users:
                user = User(email=email, is_active=True, date_joined=self.now)
                user.set_unusable_password()  # they sign in after an invitation or with single sign-on
                new_users.append(user)
        User.objects.bulk_create(new_users, batch_size=CHUNK)
        for chunk in _chunks([user.email for user in new_users]):
            users.update({user.email: user for user in User.objects.filter(email__in=chunk)})
        for batch in _chunks(creates):
            profiles = []
            for record in batch:
                profile = Profile(user=users[record.email], timezone="UTC")
                self._apply_values(profile, record)
                profiles.append(profile)
            Profile.objects.bulk_create(profiles)
            self._advance(len(profiles))
        ids: dict[str, int] = {}
        for emails_chunk in _chunks(emails):
            ids.update(dict(Profile.objects.filter(user__email__in=emails_chunk).values_list("user__email", "id")))
        return ids

    def _update_people(self) -> dict[str, int]:
        updates = {update.person_id: update.record for update in self.plan.updates}
        reactivated = {update.person_id for update in self.plan.reactivations}
        ids: dict[str, int] = {}
        for chunk in _chunks(sorted(updates)):
            profiles = list(
                Profile.objects.filter(pk__in=chunk).select_related("user", "department", "team", "location")
            )
            users: list[User] = []
            for profile in profiles:
                record = updates[profile.pk]
                self._apply_values(profile, record)
                profile.updated_at = self.now
                user = profile.user
                if user.email != record.email or not user.is_active:
                    user.email = record.email
                    user.is_active = True
                    users.append(user)
                ids[record.email] = profile.pk
            # The plan refuses an address that belongs to someone else, so the unique constraint holds.
            User.objects.bulk_update(users, ["email", "is_active"], batch_size=CHUNK)
            Profile.objects.bulk_update(profiles, [*PROFILE_FIELDS, "is_active", "updated_at"], batch_size=CHUNK)
            self._audit_each("people.member.reactivated", [p.pk for p in profiles if p.pk in reactivated])
            self._advance(len(profiles))
        return ids

    def _set_managers(self) -> None:
        """After everyone exists: managers by their address after the import."""
        wanted = {r.email: r.values["manager"] for r in self.touched if "manager" in r.values}
        if not wanted:
            self._advance(len(self.touched))
            return
        emails = sorted({*wanted, *(str(m) for m in wanted.values() if m)})
        ids: dict[str, int] = {}
        current: dict[int, int | None] = {}
        for chunk in _chunks(emails):
            for pk, email, manager_id in Profile.objects.filter(user__email__in=chunk).values_list(
                "id", "user__email", "manager_id"
            ):
                ids[email] = pk
                current[pk] = manager_id
        changed = []
        for email, manager_email in wanted.items():
            new_manager_id = ids[str(manager_email)] if manager_email else None
            if current[ids[email]] != new_manager_id:
                changed.append(Profile(pk=ids[email], manager_id=new_manager_id))
        for batch in _chunks(changed):
            Profile.objects.bulk_update(batch, ["manager"])
            self._advance(len(batch))
        self._advance(len(self.touched) - len(changed))

    def _refresh_search(self, profile_ids: Sequence[int]) -> None:
        """Search documents of everyone touched, computed like ``services.profile_search_refresh`` does."""
        for chunk in _chunks(profile_ids):
            profiles = list(
                Profile.objects.filter(pk__in=chunk)
                .select_related("user", "department", "team", "location")
                .prefetch_related("interests", "skills")
            )
            stale = []
            for profile in profiles:
                document = services.profile_search_document(profile)
                if document != profile.search_document:
                    profile.search_document = document
                    stale.append(profile)
            Profile.objects.bulk_update(stale, ["search_document"], batch_size=CHUNK)
            self._advance(len(profiles))

    def _deactivate(self) -> None:
        """Like ``services.member_set_active(active=False)``: data kept, sign-in ended."""
        ids = [person.id for person in self.plan.deactivations]
        for chunk in _chunks(ids):
            Profile.objects.filter(pk__in=chunk).update(is_active=False, updated_at=self.now)
            User.objects.filter(profile__id__in=chunk).update(is_active=False)
            self._audit_each("people.member.deactivated", chunk)
            services.members_deactivated(profile_ids=chunk)
            self._advance(len(chunk))

    def _audit_each(self, action: str, profile_ids: Iterable[int]) -> None:
        """One entry per person whose sign-in changed, as member_set_active writes them, in bulk."""
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    action=action,
                    actor=self.actor,
                    object_type=Profile._meta.label_lower,
                    object_id=str(pk),
                    data={"source": "import"},
                    created_at=self.now,
                )
                for pk in profile_ids
            ],
            batch_size=CHUNK,
        )
