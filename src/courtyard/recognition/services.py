"""Writes for recognition. Each records the audit log and the activity facts insights need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.access import is_admin, require_admin
from courtyard.core.activity import interaction_record, participation_record
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, Conflict, PermissionDenied
from courtyard.core.markdown import render_markdown
from courtyard.core.models import Interaction, Participation
from courtyard.core.ratelimit import ratelimit_check
from courtyard.core.validation import clean_text
from courtyard.groups.access import access_group_content
from courtyard.groups.models import Group, ReactionKind
from courtyard.groups.selectors import group_members
from courtyard.people.models import Profile, Team
from courtyard.recognition import notify
from courtyard.recognition.access import is_curator, me, require_curator
from courtyard.recognition.domain import allowance, badges, celebrations, rules
from courtyard.recognition.models import (
    AllowanceBalance,
    AllowanceEntry,
    Badge,
    BadgeAward,
    Celebration,
    CelebrationPreference,
    Kudos,
    KudosCoSender,
    KudosReaction,
    KudosReceiver,
    KudosRecipient,
    Settings,
    SpotlightEntry,
    Value,
)

KUDOS_LIMITS = ((6, 60), (40, 3600))  # per member: 6 a minute, 40 an hour
MESSAGE_MAX = 4000
MAX_PEOPLE, MAX_TEAMS, MAX_GROUPS = 20, 5, 5
# A team or group kudos thanks each of its active members at that moment (their profile, notifications,
# facts), up to this many; a bigger team or group (an "everyone" group of thousands) is thanked as a whole:
# the kudos shows on the wall and under the group, but no per-person rows, facts or notifications.
TEAM_KUDOS_MAX_MEMBERS = 200


def _clean_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    # The last line behind every surface; whether line breaks are allowed is each surface's call.
    value = clean_text(value, multiline=True, field=field)
    if required and not value:
        raise ApplicationError(_("%(field)s cannot be empty.") % {"field": field}, code="required")
    if len(value) > max_length:
        raise ApplicationError(
            _("%(field)s is longer than %(max)d characters.") % {"field": field, "max": max_length}, code="too_long"
        )
    return value


# --- Settings and values -------------------------------------------------------------------------


def settings_get() -> Settings:
    found = Settings.objects.filter(pk=1).first()
    return found if found is not None else Settings(pk=1)


def policy_of(current: Settings) -> allowance.Policy:
    return allowance.Policy(
        enabled=current.allowance_enabled, monthly_points=current.monthly_points,
        per_recipient_limit=current.per_recipient_limit, max_points_per_kudos=current.max_points_per_kudos,
    )


@transaction.atomic
def settings_update(
    *, actor: User, allowance_enabled: bool, monthly_points: int, per_recipient_limit: int, max_points_per_kudos: int
) -> Settings:
    """Admins switch the allowance on or off and set its numbers. Raising the allowance tops up this month."""
    require_admin(actor)
    for label, number in ((_("The monthly allowance"), monthly_points), (_("The limit per colleague"), per_recipient_limit),
                          (_("The most points in one kudos"), max_points_per_kudos)):
        if not 0 <= number <= 10_000:
            raise ApplicationError(_("%(field)s must be between 0 and 10,000.") % {"field": label}, code="out_of_range")
    if allowance_enabled and min(monthly_points, per_recipient_limit, max_points_per_kudos) < 1:
        raise ApplicationError(_("With the allowance on, every number must be at least 1."), code="out_of_range")
    current = Settings.objects.select_for_update().filter(pk=1).first() or Settings(pk=1)
    current.allowance_enabled = allowance_enabled
    current.monthly_points = monthly_points
    current.per_recipient_limit = per_recipient_limit
    current.max_points_per_kudos = max_points_per_kudos
    current.updated_at = clock.now()
    current.save()
    audit_record(action="recognition.settings.updated", actor=actor, data={
        "allowance_enabled": allowance_enabled, "monthly_points": monthly_points,
        "per_recipient_limit": per_recipient_limit, "max_points_per_kudos": max_points_per_kudos,
    })
    return current


def _value_fields(name: str, emoji: str, description: str) -> tuple[str, str, str]:
    name = _clean_text(name, field=_("The name"), max_length=60)
    emoji = _clean_text(emoji, field=_("The emoji"), max_length=16, required=False)
    description = _clean_text(description, field=_("The description"), max_length=1000, required=False)
    return name, emoji, description


@transaction.atomic
def value_create(*, actor: User, name: str, emoji: str = "", description: str = "") -> Value:
    require_admin(actor)
    name, emoji, description = _value_fields(name, emoji, description)
    if Value.objects.filter(name__iexact=name).exists():
        raise Conflict(_("A value called “%(name)s” already exists.") % {"name": name}, code="duplicate_value")
    position = (Value.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    value = Value.objects.create(name=name, emoji=emoji, description=description, position=position, created_at=clock.now())
    audit_record(action="recognition.value.created", actor=actor, target=value, data={"name": name})
    return value


@transaction.atomic
def value_update(*, actor: User, value: Value, data: dict[str, Any]) -> Value:
    """Rename, re-describe, re-order or retire a value (retired values stay on the kudos that carry them)."""
    require_admin(actor)
    name, emoji, description = _value_fields(
        data.get("name", value.name), data.get("emoji", value.emoji), data.get("description", value.description)
    )
    if Value.objects.filter(name__iexact=name).exclude(pk=value.pk).exists():
        raise Conflict(_("A value called “%(name)s” already exists.") % {"name": name}, code="duplicate_value")
    value.name, value.emoji, value.description = name, emoji, description
    if "is_active" in data and data["is_active"] is not None:
        value.is_active = bool(data["is_active"])
    if "position" in data and data["position"] is not None:
        if not 0 <= int(data["position"]) <= 1000:
            raise ApplicationError(_("The position must be between 0 and 1,000."), code="out_of_range")
        value.position = int(data["position"])
    value.save()
    audit_record(action="recognition.value.updated", actor=actor, target=value, data={"fields": sorted(data)})
    return value


# --- The allowance -------------------------------------------------------------------------------


def _locked_balance(member: Profile, month: dt.date, policy: allowance.Policy) -> AllowanceBalance:
    """The member's balance row for the month, locked until the transaction ends; opened (with its grant entry)
    on first use. Two first sends at once: one creates the row, the other waits for it on the unique index and
    then locks the same row."""
    now = clock.now()
    try:
        with transaction.atomic():
            AllowanceBalance.objects.create(member=member, month=month, granted=policy.monthly_points, spent=0)
            AllowanceEntry.objects.create(member=member, month=month, kind=AllowanceEntry.Kind.GRANT,
                                          amount=policy.monthly_points, created_at=now)
    except IntegrityError:
        pass  # already opened (maybe by a concurrent send that just committed)
    balance = AllowanceBalance.objects.select_for_update().get(member=member, month=month)
    extra = allowance.top_up(balance.granted, policy)
    if extra:
        balance.granted += extra
        balance.save(update_fields=["granted"])
        AllowanceEntry.objects.create(member=member, month=month, kind=AllowanceEntry.Kind.GRANT, amount=extra, created_at=now)
    return balance


def month_for(profile: Profile) -> dt.date:
    return allowance.month_of(celebrations.local_date(clock.now(), profile.timezone))


REFUSALS = {
    "negative_points": lambda p: _("Points cannot be negative."),
    "allowance_off": lambda p: _("Points are switched off: send your thanks without points."),
    "self_points": lambda p: _("You cannot give points to yourself."),
    "points_need_people": lambda p: _("Points go to people thanked by name, not to teams or groups."),
    "too_many_points": lambda p: _("At most %(max)d points in one kudos.") % p,
    "recipient_limit": lambda p: _(
        "You can give one colleague at most %(limit)d points a month; %(left)d are left for %(name)s."
    ) % p,
    "not_enough_points": lambda p: _("That needs %(needed)d points and you have %(left)d left this month.") % p,
}


def _spend(*, sender: Profile, people: Sequence[Profile], points: int) -> tuple[AllowanceBalance | None, dt.date | None]:
    """Check (under the balance lock) and return the locked balance; the spend entries are written once the
    kudos exists. ``points == 0`` needs no allowance at all."""
    if points == 0:
        return None, None
    policy = policy_of(settings_get())
    month = month_for(sender)
    balance = _locked_balance(sender, month, policy) if policy.enabled else None
    given = dict(
        AllowanceEntry.objects.filter(member=sender, month=month, recipient__in=[p.pk for p in people])
        .values("recipient").annotate(total=Sum("amount")).values_list("recipient", "total")
    ) if balance is not None else {}
    state = allowance.Balance(
        granted=balance.granted if balance else 0, spent=balance.spent if balance else 0,
        given_to={pk: -total for pk, total in given.items()},
    )
    refusal = allowance.check_spend(policy, sender_id=sender.pk, recipient_ids=[p.pk for p in people], points=points,
                                    balance=state)
    if refusal is not None:
        names = {p.pk: p.display_name for p in people}
        params = {**refusal.params, "name": names.get(int(refusal.params.get("recipient", 0)), "")}
        raise ApplicationError(REFUSALS[refusal.code](params), code=refusal.code)
    return balance, month


# --- Kudos ---------------------------------------------------------------------------------------


def _receivers_of(*, sender: Profile, people: Sequence[Profile], teams: Sequence[Team], groups: Sequence[Group]) -> dict[int, tuple[Profile, str]]:
    """Everyone a kudos thanks, once each, by how they were named (a person before their team or group)."""
    found: dict[int, tuple[Profile, str]] = {p.pk: (p, KudosReceiver.Via.PERSON) for p in people}
    for team in teams:
        members = list(Profile.objects.filter(team=team, is_active=True).exclude(pk=sender.pk).select_related("user")[: TEAM_KUDOS_MAX_MEMBERS + 1])
        if len(members) <= TEAM_KUDOS_MAX_MEMBERS:
            for member in members:
                found.setdefault(member.pk, (member, KudosReceiver.Via.TEAM))
    for group in groups:
        if group.member_count > TEAM_KUDOS_MAX_MEMBERS:
            continue
        for membership in group_members(group)["active"]:
            member = membership.profile
            if member.pk != sender.pk and member.is_active:
                found.setdefault(member.pk, (member, KudosReceiver.Via.GROUP))
    return found


@transaction.atomic
def kudos_send(
    *,
    actor: User,
    message: str,
    people: Sequence[Profile] = (),
    teams: Sequence[Team] = (),
    groups: Sequence[Group] = (),
    value: Value | None = None,
    is_private: bool = False,
    share_with_manager: bool = False,
    points: int = 0,
) -> Kudos:
    """Thank people, teams or groups. Validated in full before anything is written; points are checked and
    spent under the sender's locked monthly balance."""
    sender = me(actor)
    people = list({p.pk: p for p in people}.values())
    teams = list({t.pk: t for t in teams}.values())
    groups = list({g.pk: g for g in groups}.values())
    if not (people or teams or groups):
        raise ApplicationError(_("Choose at least one person, team or group to thank."), code="no_recipient")
    if len(people) > MAX_PEOPLE or len(teams) > MAX_TEAMS or len(groups) > MAX_GROUPS:
        raise ApplicationError(
            _("A kudos can name up to %(p)d people, %(t)d teams and %(g)d groups.")
            % {"p": MAX_PEOPLE, "t": MAX_TEAMS, "g": MAX_GROUPS}, code="too_many_recipients",
        )
    if any(p.pk == sender.pk for p in people):
        raise ApplicationError(_("You cannot send kudos to yourself."), code="self_kudos")
    for person in people:
        if not person.is_active:
            raise ApplicationError(
                _("%(name)s is deactivated and cannot receive kudos.") % {"name": person.display_name}, code="inactive"
            )
    # Fetched again through the groups' door: the same 404 as the groups pages for a group one may not read,
    # and a fresh member count for the size rule.
    groups = [access_group_content(actor, group.pk)[0] for group in groups]
    message = _clean_text(message, field=_("The message"), max_length=MESSAGE_MAX)
    if value is not None and not value.is_active:
        raise ApplicationError(_("That value is not offered any more."), code="inactive_value")
    if is_private and (teams or groups):
        raise ApplicationError(_("Private kudos go to people by name, not to a team or group."), code="private_to_people")
    if share_with_manager and not is_private:
        raise ApplicationError(_("Only private kudos are shared with managers; public ones everyone sees."),
                               code="share_needs_private")
    if not isinstance(points, int) or points < 0:
        raise ApplicationError(_("Points cannot be negative."), code="negative_points")
    ratelimit_check(scope="kudos", key=actor.pk, limits=KUDOS_LIMITS)
    balance, month = _spend(sender=sender, people=people, points=points)
    now = clock.now()
    kudos = Kudos.objects.create(
        sender=sender, message=message, message_html=str(render_markdown(message)), value=value,
        is_private=is_private, share_with_manager=share_with_manager, points=points, created_at=now,
    )
    position = 0
    rows = []
    for person in people:
        rows.append(KudosRecipient(kudos=kudos, profile=person, position=position))
        position += 1
    for team in teams:
        rows.append(KudosRecipient(kudos=kudos, team=team, position=position))
        position += 1
    for group in groups:
        rows.append(KudosRecipient(kudos=kudos, group=group, position=position))
        position += 1
    KudosRecipient.objects.bulk_create(rows)
    receivers = _receivers_of(sender=sender, people=people, teams=teams, groups=groups)
    KudosReceiver.objects.bulk_create(
        KudosReceiver(kudos=kudos, profile=profile, via=via, created_at=now) for profile, via in receivers.values()
    )
    if balance is not None and month is not None:
        cost = allowance.cost(points, [p.pk for p in people])
        AllowanceBalance.objects.filter(pk=balance.pk).update(spent=F("spent") + cost)
        AllowanceEntry.objects.bulk_create(
            AllowanceEntry(member=sender, month=month, kind=AllowanceEntry.Kind.SPEND, amount=-points, kudos=kudos,
                           recipient=person, created_at=now)
            for person in people
        )
    # Facts carry the group when exactly one group was thanked (insights count a group's kudos).
    group_id = groups[0].pk if len(groups) == 1 else None
    group_of = {pk: group_id for pk, (_p, via) in receivers.items() if via == KudosReceiver.Via.GROUP}
    _facts_for_thanks(giver=sender, kudos=kudos, receivers=[p for p, _via in receivers.values()], group_of=group_of,
                      received=True, at=now, group_id=group_id)
    audit_record(action="recognition.kudos.sent", actor=actor, target=kudos, data={
        "people": [p.pk for p in people], "teams": [t.pk for t in teams], "groups": [g.pk for g in groups],
        "value": value.pk if value else None, "private": is_private, "points": points,
    })
    notify.kudos_received(kudos=kudos, sender_name=sender.display_name,
                          receivers=[p.user for p, _via in receivers.values()], actor=actor)
    badges_check([sender.pk, *receivers])
    return kudos


def _facts_for_thanks(*, giver: Profile, kudos: Kudos, receivers: Sequence[Profile], group_of: dict[int, int | None],
                      received: bool, at: dt.datetime, group_id: int | None) -> None:
    """gave_kudos for the giver; for a new kudos, received_kudos for each person thanked; a kudos interaction from
    the giver to each of them (bulk: one insert per table whatever the number of people)."""
    participation_record(member_id=giver.pk, verb="gave_kudos", department_id=giver.department_id, occurred_at=at,
                         group_id=group_id, object_type="kudos", object_id=kudos.pk)
    if received:
        Participation.objects.bulk_create(
            Participation(member_id=p.pk, verb="received_kudos", department_id=p.department_id, occurred_at=at,
                          group_id=group_of.get(p.pk), object_type="kudos", object_id=kudos.pk)
            for p in receivers
        )
    Interaction.objects.bulk_create(
        Interaction(actor_id=giver.pk, other_id=p.pk, kind="kudos", actor_department_id=giver.department_id,
                    other_department_id=p.department_id, occurred_at=at, group_id=group_of.get(p.pk))
        for p in receivers if p.pk != giver.pk
    )


@transaction.atomic
def kudos_plus_one(*, actor: User, kudos: Kudos, current: rules.Standing, agree: bool = True) -> bool:
    """"+1 — I agree": join the thanks as a co-sender (or take it back). Returns whether the actor agrees now."""
    profile = me(actor)
    if not agree:
        deleted, _rows = KudosCoSender.objects.filter(kudos=kudos, profile=profile).delete()
        if deleted:
            Kudos.objects.filter(pk=kudos.pk).update(co_sender_count=F("co_sender_count") - 1)
            audit_record(action="recognition.kudos.plus_one_removed", actor=actor, target=kudos)
        return False
    if current.is_co_sender:
        return True
    if not rules.can_plus_one(current):
        raise PermissionDenied(
            _("You can add +1 to public kudos that you did not send and that do not thank you."), code="cannot_plus_one"
        )
    now = clock.now()
    try:
        with transaction.atomic():
            KudosCoSender.objects.create(kudos=kudos, profile=profile, created_at=now)
    except IntegrityError:
        return True  # a double click
    Kudos.objects.filter(pk=kudos.pk).update(co_sender_count=F("co_sender_count") + 1)
    receivers = [r.profile for r in KudosReceiver.objects.filter(kudos=kudos).select_related("profile")]
    group_ids = list(KudosRecipient.objects.filter(kudos=kudos, group__isnull=False).values_list("group_id", flat=True))
    group_id = group_ids[0] if len(group_ids) == 1 else None
    _facts_for_thanks(giver=profile, kudos=kudos, receivers=receivers, group_of={}, received=False, at=now,
                      group_id=group_id)
    audit_record(action="recognition.kudos.plus_one", actor=actor, target=kudos)
    notify.kudos_agreed(kudos=kudos, sender=kudos.sender.user, agreeing_name=profile.display_name, actor=actor)
    badges_check([profile.pk])
    return True


@transaction.atomic
def kudos_reaction_toggle(*, actor: User, kudos: Kudos, current: rules.Standing, kind: ReactionKind) -> bool:
    """Add the reaction, or take it back if it was there. Returns whether it is there now."""
    profile = me(actor)
    if not rules.can_react(current):
        raise PermissionDenied(_("You cannot react to this kudos."))
    if not kind.is_active:
        raise ApplicationError(_("That reaction is not offered any more."), code="inactive_reaction")
    existing = KudosReaction.objects.filter(kudos=kudos, kind=kind, profile=profile).first()
    if existing is not None:
        existing.delete()
        Kudos.objects.filter(pk=kudos.pk).update(reaction_count=F("reaction_count") - 1)
        return False
    try:
        with transaction.atomic():
            KudosReaction.objects.create(kudos=kudos, kind=kind, profile=profile, created_at=clock.now())
    except IntegrityError:
        return True
    Kudos.objects.filter(pk=kudos.pk).update(reaction_count=F("reaction_count") + 1)
    participation_record(member_id=profile.pk, verb="reacted", department_id=profile.department_id,
                         object_type="kudos", object_id=kudos.pk)
    interaction_record(actor_id=profile.pk, other_id=kudos.sender_id, kind="reaction",
                       actor_department_id=profile.department_id, other_department_id=kudos.sender.department_id)
    return True


@transaction.atomic
def kudos_set_deleted(*, actor: User, kudos: Kudos, current: rules.Standing, deleted: bool) -> Kudos:
    """The sender withdraws their kudos, an admin removes or restores one. Nothing is erased: the text, the
    points given (the ledger is never rewritten) and the facts stay; the kudos leaves the wall and profiles."""
    if deleted and not rules.can_delete(current):
        raise PermissionDenied(_("Only the sender or a community admin can withdraw a kudos."))
    if not deleted and not rules.can_restore(current):
        raise PermissionDenied(_("Only community admins can restore a kudos."))
    kudos.deleted_at = clock.now() if deleted else None
    kudos.deleted_by = me(actor) if deleted else None
    kudos.save(update_fields=["deleted_at", "deleted_by"])
    if deleted:
        SpotlightEntry.objects.filter(kudos=kudos, removed_at__isnull=True).update(removed_at=kudos.deleted_at)
    audit_record(action="recognition.kudos.deleted" if deleted else "recognition.kudos.restored", actor=actor, target=kudos)
    return kudos


# --- Celebrations --------------------------------------------------------------------------------


@transaction.atomic
def celebration_preferences_set(
    *, actor: User, birthday: tuple[int, int] | None, skip: Iterable[str] = ()
) -> CelebrationPreference:
    """A member's own choices: a birthday (day and month, opt-in) and the kinds not to celebrate."""
    profile = me(actor)
    skipped = set(skip)
    unknown = skipped - {celebrations.ANNIVERSARY, celebrations.WELCOME, celebrations.MILESTONE}
    if unknown:
        raise ApplicationError(_("Unknown kinds of celebration: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))},
                               code="bad_kind")
    if birthday is not None and not celebrations.valid_birthday(*birthday):
        raise ApplicationError(_("That day does not exist in that month."), code="bad_birthday")
    preference = CelebrationPreference.objects.select_for_update().filter(profile=profile).first() or CelebrationPreference(profile=profile)
    preference.birthday_month, preference.birthday_day = birthday if birthday is not None else (None, None)
    preference.skip_anniversary = celebrations.ANNIVERSARY in skipped
    preference.skip_welcome = celebrations.WELCOME in skipped
    preference.skip_milestone = celebrations.MILESTONE in skipped
    preference.updated_at = clock.now()
    preference.save()
    # Nothing about the member is shown again that they opted out of (the birthday's day is not logged either).
    audit_record(action="recognition.celebrations.preferences_set", actor=actor, target=profile,
                 data={"birthday": birthday is not None, "skip": sorted(skipped)})
    return preference


def _skips(preference: CelebrationPreference | None) -> frozenset[str]:
    if preference is None:
        return frozenset()
    skipped = {
        celebrations.ANNIVERSARY: preference.skip_anniversary,
        celebrations.WELCOME: preference.skip_welcome,
        celebrations.MILESTONE: preference.skip_milestone,
    }
    return frozenset(kind for kind, on in skipped.items() if on)


def celebrations_generate(*, now: dt.datetime | None = None) -> int:
    """The scheduled job: create today's celebrations for every member whose local date makes them due.

    Safe to run any number of times (hourly): the unique (profile, kind, key) constraint and
    ``ignore_conflicts`` make a retry create nothing twice. Only members whose start date or birthday falls
    near one of today's local dates (at most three around the world) are read, a few per day."""
    now = now or clock.now()
    utc_day = now.astimezone(dt.UTC).date()
    days = [utc_day + dt.timedelta(days=offset) for offset in (-1, 0, 1)]
    pairs = celebrations.month_days_for(days)
    by_date = Q()
    by_birthday = Q()
    for month, day in pairs:
        by_date |= Q(start_date__month=month, start_date__day=day)
        by_birthday |= Q(celebration_preference__birthday_month=month, celebration_preference__birthday_day=day)
    welcome_since = utc_day - dt.timedelta(days=celebrations.WELCOME_DAYS + 1)
    candidates = (
        Profile.objects.filter(is_active=True)
        .filter(by_date | by_birthday | Q(start_date__gte=welcome_since, start_date__lte=utc_day + dt.timedelta(days=1)))
        .select_related("celebration_preference", "user")
    )
    made: list[Celebration] = []
    users = {}
    for profile in candidates.iterator(chunk_size=2000):
        preference = getattr(profile, "celebration_preference", None)
        birthday = None
        if preference is not None and preference.birthday_month and preference.birthday_day:
            birthday = (preference.birthday_month, preference.birthday_day)
        today = celebrations.local_date(now, profile.timezone)
        for due in celebrations.due_on(today, start_date=profile.start_date, birthday=birthday, skip=_skips(preference)):
            made.append(Celebration(profile=profile, kind=due.kind, key=due.key, occasion=due.occasion,
                                    celebrated_on=today, years=due.years, created_at=now))
            users[profile.pk] = profile.user
    return _celebrations_store(made, users)


def _celebrations_store(made: list[Celebration], users: dict[int, User]) -> int:
    if not made:
        return 0
    with transaction.atomic():
        existing = set(
            Celebration.objects.filter(profile_id__in={c.profile_id for c in made}, key__in={c.key for c in made})
            .values_list("profile_id", "kind", "key")
        )
        fresh = [c for c in made if (c.profile_id, c.kind, c.key) not in existing]
        Celebration.objects.bulk_create(fresh, ignore_conflicts=True)
        stored = {
            (c.profile_id, c.kind, c.key): c
            for c in Celebration.objects.filter(profile_id__in={c.profile_id for c in fresh}, key__in={c.key for c in fresh})
        }
        created = [stored[(c.profile_id, c.kind, c.key)] for c in fresh if (c.profile_id, c.kind, c.key) in stored]
        notify.celebrated(celebrations=[(c, users[c.profile_id]) for c in created])
    return len(created)


def celebration_milestone_record(
    *, profile_id: int, program_id: int, title: str, occurred_at: dt.datetime | None = None, kind_key: str = "mentorship"
) -> Celebration | None:
    """For other capabilities (pairing: a mentorship completed): celebrate a member's milestone once per program.
    Returns the celebration, or None when the member opted out of milestones, is deactivated, or it exists."""
    profile = Profile.objects.select_related("celebration_preference", "user").filter(pk=profile_id, is_active=True).first()
    if profile is None:
        return None
    if celebrations.MILESTONE in _skips(getattr(profile, "celebration_preference", None)):
        return None
    moment = occurred_at or clock.now()
    day = celebrations.local_date(moment, profile.timezone)
    title = (title or "").strip()[:200]
    key = f"{kind_key}:{program_id}"
    made = _celebrations_store(
        [Celebration(profile=profile, kind=Celebration.Kind.MILESTONE, key=key, occasion=day, celebrated_on=day,
                     title=title, program_id=program_id, created_at=clock.now())],
        {profile.pk: profile.user},
    )
    return Celebration.objects.filter(profile=profile, kind=Celebration.Kind.MILESTONE, key=key).first() if made else None


def milestones_from_activity(*, since: dt.datetime) -> int:
    """Milestones from the activity facts (completed_mentorship), for programs that record the fact but do not
    call celebration_milestone_record themselves. Idempotent like every celebration."""
    made = 0
    facts = Participation.objects.filter(verb="completed_mentorship", occurred_at__gte=since).values(
        "member_id", "program_id", "occurred_at"
    )
    for fact in facts.iterator(chunk_size=2000):
        if fact["program_id"] is None:
            continue
        if celebration_milestone_record(profile_id=fact["member_id"], program_id=fact["program_id"],
                                        title=_("Completed a mentorship"), occurred_at=fact["occurred_at"]):
            made += 1
    return made


# --- Badges --------------------------------------------------------------------------------------


def badges_check(profile_ids: Iterable[int]) -> int:
    """Award the automatic badges these members have earned and do not hold yet (domain/badges.py), counting
    their facts in the activity ledger. Idempotent; returns how many were awarded."""
    ids = sorted(set(profile_ids))
    if not ids:
        return 0
    counts: dict[int, dict[tuple[str, str], int]] = {pk: {} for pk in ids}
    rows = (
        Participation.objects.filter(member_id__in=ids, verb__in=badges.VERBS)
        .values("member_id", "verb", "object_type").annotate(n=Count("id"))
    )
    for row in rows:
        mine = counts[row["member_id"]]
        keys = {(row["verb"], row["object_type"]), (row["verb"], "")}  # each fact counts for its type and for "any"
        for key in keys:
            mine[key] = mine.get(key, 0) + row["n"]
    held = set(BadgeAward.objects.filter(profile_id__in=ids, badge__isnull=True).values_list("profile_id", "automatic_key"))
    now = clock.now()
    new = [
        BadgeAward(profile_id=pk, automatic_key=key, awarded_at=now)
        for pk in ids for key in badges.earned(counts[pk]) if (pk, key) not in held
    ]
    if not new:
        return 0
    with transaction.atomic():
        BadgeAward.objects.bulk_create(new, ignore_conflicts=True)
        users = {p.pk: p.user for p in Profile.objects.filter(pk__in={a.profile_id for a in new}, is_active=True).select_related("user")}
        for award in new:
            if award.profile_id in users:
                notify.badge_awarded(user=users[award.profile_id], badge_name=_(badges.BY_KEY[award.automatic_key].name),
                                     actor=None, profile_id=award.profile_id)
    return len(new)


def badges_award_recent(*, since: dt.datetime) -> int:
    """The scheduled job: check the members with badge-relevant facts since ``since`` (from any capability)."""
    ids = set(Participation.objects.filter(verb__in=badges.VERBS, occurred_at__gte=since).values_list("member_id", flat=True).distinct())
    awarded = 0
    ordered = sorted(ids)
    for start in range(0, len(ordered), 1000):
        awarded += badges_check(ordered[start : start + 1000])
    return awarded


@transaction.atomic
def badge_create(*, actor: User, name: str, emoji: str = "", description: str = "") -> Badge:
    require_admin(actor)
    name, emoji, description = _value_fields(name, emoji, description)
    if Badge.objects.filter(name__iexact=name).exists() or any(name.lower() == b.name.lower() for b in badges.BADGES):
        raise Conflict(_("A badge called “%(name)s” already exists.") % {"name": name}, code="duplicate_badge")
    badge = Badge.objects.create(name=name, emoji=emoji, description=description, created_by=me(actor), created_at=clock.now())
    audit_record(action="recognition.badge.created", actor=actor, target=badge, data={"name": name})
    return badge


@transaction.atomic
def badge_award(*, actor: User, badge: Badge, profile: Profile, reason: str = "") -> BadgeAward:
    """Admins award a custom badge to an active member, once."""
    require_admin(actor)
    if not badge.is_active:
        raise ApplicationError(_("That badge is retired."), code="inactive_badge")
    if not profile.is_active:
        raise ApplicationError(_("%(name)s is deactivated.") % {"name": profile.display_name}, code="inactive")
    reason = _clean_text(reason, field=_("The reason"), max_length=300, required=False)
    if BadgeAward.objects.filter(profile=profile, badge=badge).exists():
        raise Conflict(_("%(name)s already has this badge.") % {"name": profile.display_name}, code="already_awarded")
    award = BadgeAward.objects.create(profile=profile, badge=badge, reason=reason, awarded_by=me(actor), awarded_at=clock.now())
    audit_record(action="recognition.badge.awarded", actor=actor, target=badge, data={"profile": profile.pk})
    notify.badge_awarded(user=profile.user, badge_name=badge.name, actor=actor, profile_id=profile.pk)
    return award


@transaction.atomic
def badge_award_remove(*, actor: User, award: BadgeAward) -> None:
    """Admins take back a custom badge given by mistake (automatic badges follow the facts and stay)."""
    require_admin(actor)
    if award.badge_id is None:
        raise ApplicationError(_("Automatic badges cannot be taken back."), code="automatic_badge")
    audit_record(action="recognition.badge.award_removed", actor=actor, target=award.badge,
                 data={"profile": award.profile_id})
    award.delete()


@transaction.atomic
def badge_set_active(*, actor: User, badge: Badge, active: bool) -> Badge:
    require_admin(actor)
    if badge.is_active != active:
        badge.is_active = active
        badge.save(update_fields=["is_active"])
        audit_record(action="recognition.badge.updated", actor=actor, target=badge, data={"active": active})
    return badge


# --- Spotlight -----------------------------------------------------------------------------------


@transaction.atomic
def spotlight_add(
    *, actor: User, kudos: Kudos | None = None, current: rules.Standing | None = None, profile: Profile | None = None,
    note: str = "",
) -> SpotlightEntry:
    """Admins and organizers put a public kudos or an active person in the spotlight (once while it is there)."""
    require_curator(actor)
    if (kudos is None) == (profile is None):
        raise ApplicationError(_("Spotlight either a kudos or a person."), code="one_target")
    note = _clean_text(note, field=_("The note"), max_length=300, required=False)
    if kudos is not None and (current is None or not rules.can_spotlight(current, is_curator=True)):
        raise ApplicationError(_("Only public kudos can be in the spotlight."), code="not_public")
    if profile is not None and not profile.is_active:
        raise ApplicationError(_("%(name)s is deactivated.") % {"name": profile.display_name}, code="inactive")
    lookup = {"kudos": kudos} if kudos is not None else {"profile": profile}
    if SpotlightEntry.objects.filter(removed_at__isnull=True, **lookup).exists():
        raise Conflict(_("That is in the spotlight already."), code="already_spotlighted")
    entry = SpotlightEntry.objects.create(note=note, added_by=me(actor), created_at=clock.now(), **lookup)
    audit_record(action="recognition.spotlight.added", actor=actor, target=entry,
                 data={"kudos": kudos.pk if kudos else None, "profile": profile.pk if profile else None})
    return entry


@transaction.atomic
def spotlight_remove(*, actor: User, entry: SpotlightEntry) -> None:
    require_curator(actor)
    if entry.removed_at is None:
        entry.removed_at = clock.now()
        entry.save(update_fields=["removed_at"])
        audit_record(action="recognition.spotlight.removed", actor=actor, target=entry)


def can_curate(actor: User) -> bool:
    return is_curator(actor)


def can_administer(actor: User) -> bool:
    return is_admin(actor)
