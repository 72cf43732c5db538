"""Writes for people: profiles, photos, the department tree, tag vocabularies."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.accounts.models import Invitation, User
from courtyard.accounts.services import INVITATION_DAYS, access_end_for_deactivated, token_hash
from courtyard.core import clock
from courtyard.core.access import is_admin, require_admin
from courtyard.core.activity import participation_record
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, PermissionDenied
from courtyard.core.images import image_to_jpeg
from courtyard.core.models import Participation
from courtyard.core.validation import clean_text, clean_texts
from courtyard.people.domain.directory import build_search_document, slugify_tag, split_tag_names
from courtyard.people.domain.orgimport import department_path_parts
from courtyard.people.models import Department, Follow, Location, Profile, Tag, Team
from courtyard.people.selectors import directory_options_invalidate

PATH_SEPARATOR = " / "
PHOTO_SIZE = 512

# Fields a member edits on their own profile; the rest come from the organization (admins, import).
SELF_EDITABLE = frozenset(
    {
        "preferred_name", "pronouns", "location", "timezone", "languages",
        "interests", "skills", "ask_me_about", "bio", "hidden_fields",
    }
)
ADMIN_EDITABLE = SELF_EDITABLE | {"full_name", "title", "department", "team", "manager", "start_date", "employee_id"}
MULTILINE_FIELDS = frozenset({"bio"})


@lru_cache(maxsize=1)
def valid_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def timezone_validate(name: str) -> str:
    name = (name or "").strip()
    if name not in valid_timezones():
        raise ApplicationError(
            _("“%(name)s” is not a known time zone (use a name like Europe/Berlin).") % {"name": name},
            code="bad_timezone",
        )
    return name


def department_path_split(path: str) -> list[str]:
    """"Engineering / Platform", "Engineering > Platform" and "Engineering/Platform" are the same path."""
    return department_path_parts(path)


def department_ensure_path(path: str) -> Department | None:
    """The department at this path, creating missing levels of the tree."""
    parts = department_path_split(path)
    parent: Department | None = None
    for depth, name in enumerate(parts):
        full_path = PATH_SEPARATOR.join(parts[: depth + 1])
        parent, created = Department.objects.get_or_create(
            path=full_path, defaults={"name": name, "parent": parent, "depth": depth}
        )
        if created:
            # The directory's filter menus are cached: show the new department at once.
            transaction.on_commit(directory_options_invalidate)
    return parent


def team_ensure(name: str, department: Department | None) -> Team | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    team, _ = Team.objects.get_or_create(name=name, department=department)
    return team


def location_ensure(name: str, timezone: str = "") -> Location | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    location, created = Location.objects.get_or_create(name=name, defaults={"timezone": timezone})
    if created:
        transaction.on_commit(directory_options_invalidate)
    if not created and timezone and not location.timezone:
        location.timezone = timezone
        location.save(update_fields=["timezone"])
    return location


def tags_resolve(kind: str, names: Iterable[str]) -> list[Tag]:
    """Tags of one vocabulary by name, created when new; "Rock climbing" and "rock-climbing" are one tag."""
    wanted: dict[str, str] = {}
    for name in split_tag_names(list(names)):
        wanted.setdefault(slugify_tag(name), name)  # the first spelling names a new tag
    existing = {tag.slug: tag for tag in Tag.objects.filter(kind=kind, slug__in=wanted)}
    missing = [Tag(kind=kind, name=name, slug=slug) for slug, name in wanted.items() if slug not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.slug: tag for tag in Tag.objects.filter(kind=kind, slug__in=wanted)}
    return [existing[slug] for slug in wanted if slug in existing]


def profile_search_document(profile: Profile) -> str:
    """What the directory and global search find a person by: only what every member may see of them, so a
    hidden location, languages or "ask me about" cannot be found by searching for it. (One document serves
    every searcher; admins see hidden fields on the profile, but do not search by them.) A change of what
    the person hides changes the document, and ``profile_update`` rebuilds it."""
    hidden = set(profile.hidden_fields or ())
    return build_search_document(
        full_name=profile.full_name,
        preferred_name=profile.preferred_name,
        email=profile.user.email,
        title=profile.title,
        department_path=profile.department.path if profile.department else "",
        team=profile.team.name if profile.team else "",
        location=profile.location.name if profile.location and "location" not in hidden else "",
        interests=[tag.name for tag in profile.interests.all()],
        skills=[tag.name for tag in profile.skills.all()],
        ask_me_about="" if "ask_me_about" in hidden else profile.ask_me_about,
        languages="" if "languages" in hidden else profile.languages,
    )


def profile_search_refresh(profile: Profile) -> None:
    document = profile_search_document(profile)
    if document != profile.search_document:
        profile.search_document = document
        Profile.objects.filter(pk=profile.pk).update(search_document=document)


def manager_check(profile: Profile, manager: Profile | None) -> None:
    """A manager must exist, be someone else, and not sit below the person in the reporting line."""
    if manager is None:
        return
    if manager.pk == profile.pk:
        raise ApplicationError(_("A person cannot be their own manager."), code="manager_cycle")
    seen = {profile.pk}
    current: Profile | None = manager
    while current is not None:
        if current.pk in seen:
            raise ApplicationError(
                f"{manager.display_name} reports (directly or not) to {profile.display_name}: that would be a cycle.",
                code="manager_cycle",
            )
        seen.add(current.pk)
        current = current.manager if current.manager_id else None


@transaction.atomic
def profile_create(
    *,
    email: str,
    full_name: str,
    actor: User | None = None,
    password: str | None = None,
    is_admin: bool = False,
    **fields: Any,
) -> Profile:
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(_("Someone with the address %(email)s already exists.") % {"email": email}, code="duplicate_email")
    user = User.objects.create_user(email, password, is_staff=is_admin, is_superuser=is_admin)
    full_name = clean_text(full_name.strip(), field=_("The full name"))
    fields = clean_texts(fields, multiline=MULTILINE_FIELDS)
    interests = fields.pop("interests", [])
    skills = fields.pop("skills", [])
    profile = Profile.objects.create(user=user, full_name=full_name, **fields)
    if interests:
        profile.interests.set(tags_resolve(Tag.Kind.INTEREST, interests))
    if skills:
        profile.skills.set(tags_resolve(Tag.Kind.SKILL, skills))
    profile_search_refresh(profile)
    audit_record(action="people.profile.created", actor=actor, target=profile, data={"email": email})
    return profile


@transaction.atomic
def admin_ensure(*, email: str, full_name: str, password: str | None = None, department_path: str = "") -> tuple[Profile, bool]:
    """The first community admin, from the command line: a new account with a profile, or (for an account made
    with Django's ``createsuperuser``, which has none) a profile for the existing account. Either way the account
    becomes an active admin. A given password replaces the old one; without one an existing password is kept.
    Returns the profile and whether the account was created."""
    email = User.objects.normalize_email(email).strip().lower()
    department = department_ensure_path(department_path) if department_path.strip() else None
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        profile = profile_create(email=email, full_name=full_name, password=password, is_admin=True,
                                 department=department)
        return profile, True
    existing = Profile.objects.filter(user=user).first()
    if existing is not None:
        profile = existing
    else:
        profile = Profile.objects.create(user=user, full_name=clean_text(full_name.strip(), field=_("The full name")),
                                         department=department)
        profile_search_refresh(profile)
        audit_record(action="people.profile.created", actor=None, target=profile, data={"email": email})
    user.is_staff = user.is_superuser = user.is_active = True
    if password:
        user.set_password(password)
    user.save()
    if not profile.is_active:
        Profile.objects.filter(pk=profile.pk).update(is_active=True)
        profile.is_active = True
    audit_record(action="people.admin.ensured", actor=None, target=profile, data={"email": email})
    return profile, False


@transaction.atomic
def profile_update(*, actor: User, profile: Profile, data: dict[str, Any]) -> Profile:
    """Change a profile. Members change their own personal fields; admins change any field of anyone."""
    acting_as_admin = is_admin(actor)
    if not acting_as_admin and actor.pk != profile.user_id:
        raise PermissionDenied(_("You can only edit your own profile."))
    allowed = ADMIN_EDITABLE if acting_as_admin else SELF_EDITABLE
    refused = sorted(set(data) - allowed)
    if refused:
        raise PermissionDenied(
            "These fields are managed by your community admins: " + ", ".join(refused) + ".", code="field_not_editable"
        )
    data = clean_texts(data, multiline=MULTILINE_FIELDS)
    changed: list[str] = []
    for field, value in data.items():
        if field in {"interests", "skills"}:
            continue
        if field == "timezone":
            value = timezone_validate(value)
        if field == "hidden_fields":
            unknown = set(value) - set(Profile.OPTIONAL_FIELDS)
            if unknown:
                raise ApplicationError(
                    _("Unknown fields to hide: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code="bad_field"
                )
            value = sorted(set(value))
        if field == "manager":
            manager_check(profile, value)
        if field == "full_name" and not str(value).strip():
            raise ApplicationError(_("The full name cannot be empty."), code="required")
        if getattr(profile, field) != value:
            setattr(profile, field, value)
            changed.append(field)
    if changed:
        profile.save()
    for kind, field in ((Tag.Kind.INTEREST, "interests"), (Tag.Kind.SKILL, "skills")):
        if field in data:
            tags = tags_resolve(kind, data[field])
            before = set(getattr(profile, field).values_list("pk", flat=True))
            if before != {tag.pk for tag in tags}:
                getattr(profile, field).set(tags)
                changed.append(field)
    if changed:
        profile_search_refresh(profile)
        audit_record(action="people.profile.updated", actor=actor, target=profile, data={"fields": sorted(changed)})
    return profile


@transaction.atomic
def profile_photo_set(*, actor: User, profile: Profile, upload: UploadedFile) -> Profile:
    """Store a square, resized JPEG of the uploaded image; the original is not kept (it may carry EXIF data)."""
    if actor.pk != profile.user_id and not is_admin(actor):
        raise PermissionDenied(_("You can only change your own photo."))
    data = image_to_jpeg(upload, (PHOTO_SIZE, PHOTO_SIZE))
    old = profile.photo.name if profile.photo else ""
    profile.photo.save(f"{profile.pk}.jpg", ContentFile(data), save=True)
    if old and old != profile.photo.name:
        transaction.on_commit(lambda: profile.photo.storage.delete(old), robust=True)
    audit_record(action="people.profile.photo_set", actor=actor, target=profile)
    return profile


@transaction.atomic
def profile_save(*, actor: User, profile: Profile, data: dict[str, Any], photo: UploadedFile | None = None) -> Profile:
    """The profile form's one save: its fields (``profile_update``) and, when one was chosen, the new photo
    (``profile_photo_set``, with its checks), all or nothing. A photo that cannot be used rolls the fields back
    too, so the member never reads "saved" about half of what they sent. A team may be given by name (the
    form's text box): it is created with the department inside the same transaction."""
    if isinstance(data.get("team"), str):
        data = {**data, "team": team_ensure(data["team"], data.get("department", profile.department))}
    profile_update(actor=actor, profile=profile, data=data)
    if photo is not None:
        # Last, so that nothing can fail after the new file is written.
        profile_photo_set(actor=actor, profile=profile, upload=photo)
    return profile


@transaction.atomic
def profile_photo_remove(*, actor: User, profile: Profile) -> Profile:
    if actor.pk != profile.user_id and not is_admin(actor):
        raise PermissionDenied(_("You can only change your own photo."))
    if profile.photo:
        name = str(profile.photo.name)
        storage = profile.photo.storage
        profile.photo = ""
        profile.save(update_fields=["photo", "updated_at"])
        transaction.on_commit(lambda: storage.delete(name), robust=True)
        audit_record(action="people.profile.photo_removed", actor=actor, target=profile)
    return profile


# What other apps end when members are deactivated (an event seat, say), registered from their ready(): people
# sits below them and imports none of them. Each is called with the deactivated profiles' ids, in the same
# transaction as the deactivation.
DeactivationHook = Callable[[Sequence[int]], object]
_DEACTIVATION_HOOKS: dict[str, DeactivationHook] = {}


def deactivation_hook_register(name: str, hook: DeactivationHook) -> None:
    _DEACTIVATION_HOOKS[name] = hook


def members_deactivated(*, profile_ids: Sequence[int]) -> None:
    """Everything a deactivation ends besides the flag: every session and API token (so that a reactivation does
    not revive them), then what other apps registered (seats at events still to come)."""
    ids = list(profile_ids)
    if not ids:
        return
    access_end_for_deactivated(user_ids=Profile.objects.filter(pk__in=ids).values_list("user_id", flat=True))
    for hook in _DEACTIVATION_HOOKS.values():
        hook(ids)


@transaction.atomic
def member_set_active(*, actor: User, profile: Profile, active: bool) -> Profile:
    """Deactivate (keep the data, end sign-in, sessions, tokens and seats to come) or reactivate a member.
    Admins only."""
    if not is_admin(actor):
        raise PermissionDenied(_("Only community admins can deactivate members."))
    if actor.pk == profile.user_id and not active:
        raise ApplicationError(_("You cannot deactivate yourself."), code="self_deactivation")
    if profile.is_active != active:
        Profile.objects.filter(pk=profile.pk).update(is_active=active)
        User.objects.filter(pk=profile.user_id).update(is_active=active)
        profile.is_active = active
        profile.user.is_active = active
        audit_record(
            action="people.member.reactivated" if active else "people.member.deactivated", actor=actor, target=profile
        )
        if not active:
            members_deactivated(profile_ids=[profile.pk])
    return profile


@transaction.atomic
def department_update(*, actor: User, department: Department, name: str, parent: Department | None) -> Department:
    """Rename or move a department; paths below it and the members' search documents follow."""
    name = " ".join((name or "").split())
    if not name or "/" in name or ">" in name:
        raise ApplicationError(_("A department name cannot be empty or contain “/” or “>”."), code="bad_name")
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == department.pk:
            raise ApplicationError(_("A department cannot be moved below itself."), code="department_cycle")
        ancestor = ancestor.parent
    old_path = department.path
    department.name = name
    department.parent = parent
    department.depth = parent.depth + 1 if parent else 0
    department.path = f"{parent.path}{PATH_SEPARATOR}{name}" if parent else name
    if Department.objects.exclude(pk=department.pk).filter(path=department.path).exists():
        raise ApplicationError(
            _("A department “%(path)s” already exists.") % {"path": department.path}, code="duplicate_department"
        )
    department.save()
    if old_path != department.path:
        for child in Department.objects.filter(path__startswith=old_path + PATH_SEPARATOR).order_by("depth"):
            child.path = department.path + child.path[len(old_path) :]
            child.depth = child.path.count(PATH_SEPARATOR)
            child.save(update_fields=["path", "depth"])
        subtree = Department.objects.filter(path__startswith=department.path + PATH_SEPARATOR).values("pk")
        affected = Profile.objects.filter(models.Q(department=department) | models.Q(department__in=subtree))
        for profile in affected.select_related("user", "department", "team", "location").prefetch_related(
            "interests", "skills"
        ).iterator(chunk_size=500):
            profile_search_refresh(profile)
    audit_record(
        action="people.department.updated", actor=actor, target=department, data={"from": old_path, "to": department.path}
    )
    return department


def _follower(actor: User, profile: Profile) -> Profile:
    me = Profile.objects.filter(user=actor).first()
    if me is None:
        raise PermissionDenied(_("Your account has no profile yet; ask a community admin."))
    if me.pk == profile.pk:
        raise ApplicationError(_("You cannot follow yourself."), code="self_follow")
    return me


# Following is quiet on purpose: nobody is notified (privacy), and it is not an interaction, so no activity
# fact is recorded either. Only the audit log keeps it.
@transaction.atomic
def follow_create(*, actor: User, profile: Profile) -> Follow:
    """Follow a colleague: their discussions reach the actor's home feed. Idempotent."""
    me = _follower(actor, profile)
    if not profile.is_active:
        raise ApplicationError(_("%(name)s is deactivated.") % {"name": profile.display_name}, code="inactive")
    follow, created = Follow.objects.get_or_create(follower=me, followed=profile, defaults={"created_at": clock.now()})
    if created:
        audit_record(action="people.follow.created", actor=actor, target=profile)
    return follow


@transaction.atomic
def follow_delete(*, actor: User, profile: Profile) -> bool:
    """Stop following a colleague (also a deactivated one). Idempotent; True when there was something to end."""
    me = _follower(actor, profile)
    deleted = Follow.objects.filter(follower=me, followed=profile).delete()[0] > 0
    if deleted:
        audit_record(action="people.follow.deleted", actor=actor, target=profile)
    return deleted


def follow_set(*, actor: User, profile: Profile, following: bool) -> bool:
    """follow_create or follow_delete, for a form's or a test's yes/no."""
    if following:
        follow_create(actor=actor, profile=profile)
    else:
        follow_delete(actor=actor, profile=profile)
    return following


# --- Daily visits ----------------------------------------------------------------------------


def visit_record(*, user_id: int) -> bool:
    """Record that a member visited today (UTC day), once, with their department: the basis of active-member
    counts. A cache key guards the write, so later requests of the day cost one cache read. Returns True when a
    fact was written."""
    now = clock.now().astimezone(dt.UTC)
    today = now.date()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    key = f"visited:{user_id}:{today.isoformat()}"
    if not cache.add(key, 1, timeout=60 * 60 * 26):
        return False
    profile = Profile.objects.filter(user_id=user_id).values("pk", "department_id").first()
    if profile is None:
        return False
    if Participation.objects.filter(member_id=profile["pk"], verb="visited", occurred_at__gte=day_start).exists():
        return False
    participation_record(member_id=profile["pk"], verb="visited", department_id=profile["department_id"])
    return True


# --- Invitations -----------------------------------------------------------------------------
# The invitation (its model, its link, accepting it) belongs to accounts; creating one is here because a person
# not yet in the directory is added to it, and accounts sits below people.


@transaction.atomic
def invitation_create(*, actor: User, email: str, full_name: str = "") -> tuple[Invitation, str]:
    """Invite someone by email. A person not yet in the directory is added with the given name."""
    require_admin(actor)
    email = User.objects.normalize_email(email or "").strip().lower()
    if "@" not in email:
        raise ApplicationError(_("Enter a valid email address."), code="bad_email")
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        if not full_name.strip():
            raise ApplicationError(_("Give the name of the person you invite."), code="required")
        profile_create(email=email, full_name=full_name, actor=actor)
    elif not user.is_active:
        raise ApplicationError(_("%s is deactivated; reactivate them first.") % email, code="inactive")
    elif user.has_usable_password():
        raise ApplicationError(_("%s can already sign in.") % email, code="already_member")
    raw = secrets.token_urlsafe(32)
    now = clock.now()
    invitation = Invitation.objects.create(
        email=email,
        token_hash=token_hash(raw),
        invited_by=actor,
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    link = settings.SITE_URL + reverse("invitation_accept", kwargs={"token": raw})
    transaction.on_commit(lambda: invitation_send(email=email, link=link, inviter=str(actor)))
    audit_record(action="accounts.invitation.created", actor=actor, target=invitation, data={"email": email})
    return invitation, raw


def invitation_send(*, email: str, link: str, inviter: str) -> None:
    send_mail(
        subject=_("You are invited to %s") % settings.SITE_NAME,
        message=_(
            "%(inviter)s invited you to %(site)s, where colleagues find each other, meet and talk.\n\n"
            "Choose your password here (the link works for %(days)d days):\n%(link)s\n"
        )
        % {"inviter": inviter, "site": settings.SITE_NAME, "days": INVITATION_DAYS, "link": link},
        from_email=None,
        recipient_list=[email],
    )
