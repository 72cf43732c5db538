"""Reads for recognition, each with its own joins so pages run a fixed number of queries."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models import Value as V
from django.db.models.functions import Concat

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.domain import cursors
from courtyard.groups.models import Group, ReactionKind
from courtyard.groups.selectors import readable_group_ids
from courtyard.people.models import Department, Profile, Team
from courtyard.recognition.access import me, visible_kudos
from courtyard.recognition.domain import allowance, badges, celebrations
from courtyard.recognition.models import (
    AllowanceBalance,
    AllowanceEntry,
    Badge,
    BadgeAward,
    Celebration,
    Kudos,
    KudosCoSender,
    KudosReaction,
    KudosReceiver,
    KudosRecipient,
    Settings,
    SpotlightEntry,
    Value,
)

WALL_PAGE = 20
PROFILE_KUDOS = 5


@dataclasses.dataclass(frozen=True)
class WallQuery:
    value_id: int | None = None
    department_id: int | None = None
    team_id: int | None = None
    person_id: int | None = None
    group_id: int | None = None

    @property
    def is_filtered(self) -> bool:
        return any((self.value_id, self.department_id, self.team_id, self.person_id, self.group_id))


def _filtered(queryset: QuerySet[Kudos], query: WallQuery) -> QuerySet[Kudos]:
    if query.value_id:
        queryset = queryset.filter(value_id=query.value_id)
    # Each filter names the (few) kudos ids it matches through an index, so the database starts from those
    # rather than walking the whole wall and testing every kudos.
    if query.person_id:
        queryset = queryset.filter(
            Q(sender_id=query.person_id)
            | Q(pk__in=KudosReceiver.objects.filter(profile_id=query.person_id).values("kudos_id"))
            | Q(pk__in=KudosCoSender.objects.filter(profile_id=query.person_id).values("kudos_id"))
        )
    if query.team_id:
        queryset = queryset.filter(
            Q(pk__in=KudosRecipient.objects.filter(team_id=query.team_id).values("kudos_id"))
            | Q(pk__in=KudosReceiver.objects.filter(profile__team_id=query.team_id).values("kudos_id"))
        )
    if query.department_id:
        prefix = Department.objects.filter(pk=query.department_id).values("path")[:1]
        in_department = Q(profile__department_id=query.department_id) | Q(
            profile__department__path__startswith=_below(prefix)
        )
        # A department is many people: testing the newest kudos one by one finds a page sooner than listing all.
        queryset = queryset.filter(Exists(KudosReceiver.objects.filter(in_department, kudos=OuterRef("pk"))))
    if query.group_id:
        queryset = queryset.filter(pk__in=KudosRecipient.objects.filter(group_id=query.group_id).values("kudos_id"))
    return queryset


def _below(prefix: QuerySet[Department, Any]) -> Concat:
    """The department's path followed by the separator, as a subquery (sub-departments' paths start with it)."""
    return Concat(Subquery(prefix), V(" / "), output_field=CharField())


def wall(actor: User, query: WallQuery, *, cursor: str | None = None, size: int = WALL_PAGE) -> dict[str, Any]:
    """The recognition wall: kudos the actor may see, newest first, by cursor; five queries for any page."""
    kudos = _filtered(visible_kudos(actor), query).select_related("sender", "sender__department", "value")
    kudos = kudos.order_by("-created_at", "-id")
    if cursor:
        position = cursors.decode_cursor(cursor)
        if position is None:
            raise ValueError("bad cursor")
        stamp, pk = position
        kudos = kudos.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, id__lt=pk))
    rows = list(kudos[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    decorate(rows, me(actor).pk)
    next_cursor = cursors.encode_cursor(rows[-1].created_at, rows[-1].pk) if more and rows else None
    return {"items": rows, "next_cursor": next_cursor}


def reaction_kinds() -> list[ReactionKind]:
    return list(ReactionKind.objects.filter(is_active=True))


def decorate(items: Sequence[Kudos], viewer_id: int) -> None:
    """Attach to each kudos what a card shows: who it names, who agreed (+1), the reaction bar and whether the
    viewer agreed. Four queries whatever the number of kudos."""
    ids = [k.pk for k in items]
    recipients: dict[int, list[KudosRecipient]] = defaultdict(list)
    co_senders: dict[int, list[Profile]] = defaultdict(list)
    reacted: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    mine: set[tuple[int, int]] = set()
    kinds: list[ReactionKind] = []
    if ids:
        for row in KudosRecipient.objects.filter(kudos_id__in=ids).select_related("profile", "team", "group"):
            recipients[row.kudos_id].append(row)
        for co in KudosCoSender.objects.filter(kudos_id__in=ids).select_related("profile"):
            co_senders[co.kudos_id].append(co.profile)
        reactions = (
            KudosReaction.objects.filter(kudos_id__in=ids).select_related("profile")
            .only("kudos_id", "kind_id", "profile_id", "profile__full_name", "profile__preferred_name")
            .order_by("created_at", "id")
        )
        for reaction in reactions:
            reacted[reaction.kudos_id][reaction.kind_id].append(reaction.profile.display_name)
            if reaction.profile_id == viewer_id:
                mine.add((reaction.kudos_id, reaction.kind_id))
        kinds = reaction_kinds()
    for kudos in items:
        kudos.recipient_rows = recipients.get(kudos.pk, [])  # type: ignore[attr-defined]
        kudos.co_sender_list = co_senders.get(kudos.pk, [])  # type: ignore[attr-defined]
        kudos.viewer_agrees = any(p.pk == viewer_id for p in kudos.co_sender_list)  # type: ignore[attr-defined]
        people = reacted.get(kudos.pk, {})
        kudos.reaction_bar = [  # type: ignore[attr-defined]
            {"kind": kind, "count": len(people.get(kind.pk, [])), "names": people.get(kind.pk, []),
             "mine": (kudos.pk, kind.pk) in mine}
            for kind in kinds
        ]


def profile_recognition(profile: Profile, viewer: User) -> dict[str, Any]:
    """What a profile shows of recognition, as the viewer may see it: the latest kudos received and given, and
    badges. Four queries (received, given, the names on both lists, badges)."""
    visible = visible_kudos(viewer).select_related("sender", "value").order_by("-created_at", "-id")
    received = list(visible.filter(pk__in=KudosReceiver.objects.filter(profile=profile).values("kudos_id"))[:PROFILE_KUDOS])
    given = list(
        visible.filter(Q(sender=profile) | Q(pk__in=KudosCoSender.objects.filter(profile=profile).values("kudos_id")))
        [:PROFILE_KUDOS]
    )
    names: dict[int, list[KudosRecipient]] = defaultdict(list)
    ids = {k.pk for k in received + given}
    if ids:
        for row in KudosRecipient.objects.filter(kudos_id__in=ids).select_related("profile", "team", "group"):
            names[row.kudos_id].append(row)
    for kudos in received + given:
        kudos.recipient_rows = names.get(kudos.pk, [])  # type: ignore[attr-defined]
    return {"kudos_received": received, "kudos_given": given, "badges": badges_of(profile)}


def badges_of(profile: Profile) -> list[dict[str, Any]]:
    """The badges a member holds, automatic ones described from domain/badges.py. One query."""
    held = []
    for award in BadgeAward.objects.filter(profile=profile).select_related("badge"):
        if award.badge is not None:
            held.append({"name": award.badge.name, "emoji": award.badge.emoji, "description": award.badge.description,
                         "awarded_at": award.awarded_at, "reason": award.reason, "automatic": False, "award": award})
        elif award.automatic_key in badges.BY_KEY:
            definition = badges.BY_KEY[award.automatic_key]
            held.append({"name": definition.name, "emoji": definition.emoji, "description": definition.description,
                         "awarded_at": award.awarded_at, "reason": "", "automatic": True, "award": award})
    return held


def badge_catalogue() -> dict[str, Any]:
    """Every badge there is: the automatic ones and the admins' custom ones, with how many hold each."""
    automatic_counts = dict(
        BadgeAward.objects.filter(badge__isnull=True).values("automatic_key").annotate(n=Count("id")).values_list("automatic_key", "n")
    )
    custom = list(Badge.objects.annotate(holders=Count("awards")).order_by("name"))
    return {
        "automatic": [{"definition": d, "holders": automatic_counts.get(d.key, 0)} for d in badges.BADGES],
        "custom": custom,
    }


def values_active() -> list[Value]:
    return list(Value.objects.filter(is_active=True))


def values_all() -> list[Value]:
    return list(Value.objects.all())


def settings_current() -> Settings:
    return Settings.objects.filter(pk=1).first() or Settings(pk=1)


@dataclasses.dataclass(frozen=True)
class AllowanceOverview:
    enabled: bool
    month: dt.date
    granted: int
    spent: int
    per_recipient_limit: int
    max_points_per_kudos: int

    @property
    def remaining(self) -> int:
        return self.granted - self.spent


def allowance_overview(profile: Profile, current: Settings | None = None) -> AllowanceOverview:
    """The member's points this month (their time zone): two queries, one when the allowance is off."""
    current = current or settings_current()
    month = allowance.month_of(celebrations.local_date(clock.now(), profile.timezone))
    balance = AllowanceBalance.objects.filter(member=profile, month=month).first() if current.allowance_enabled else None
    granted = max(balance.granted, current.monthly_points) if balance else current.monthly_points
    return AllowanceOverview(
        enabled=current.allowance_enabled, month=month, granted=granted, spent=balance.spent if balance else 0,
        per_recipient_limit=current.per_recipient_limit, max_points_per_kudos=current.max_points_per_kudos,
    )


def allowance_ledger(profile: Profile, month: dt.date) -> list[AllowanceEntry]:
    return list(
        AllowanceEntry.objects.filter(member=profile, month=month).select_related("recipient", "kudos").order_by("created_at", "id")
    )


def points_received(profile: Profile, month: dt.date) -> int:
    total = AllowanceEntry.objects.filter(recipient=profile, month=month).aggregate(total=Sum("amount"))["total"]
    return -int(total or 0)


def celebrations_recent(*, days: int = 14, limit: int = 100) -> list[Celebration]:
    """Celebrations of the last ``days`` days (any member's local day), newest first, of active members, and
    never one the member has since opted out of. One query."""
    since = clock.now().date() - dt.timedelta(days=days)
    opted_out = (
        Q(kind=Celebration.Kind.ANNIVERSARY, profile__celebration_preference__skip_anniversary=True)
        | Q(kind=Celebration.Kind.WELCOME, profile__celebration_preference__skip_welcome=True)
        | Q(kind=Celebration.Kind.MILESTONE, profile__celebration_preference__skip_milestone=True)
        | Q(kind=Celebration.Kind.BIRTHDAY, profile__celebration_preference__birthday_month__isnull=True)
    )
    return list(
        Celebration.objects.filter(celebrated_on__gte=since, profile__is_active=True)
        .exclude(opted_out)
        .select_related("profile", "profile__department")
        .order_by("-celebrated_on", "-id")[:limit]
    )


def spotlight_current(limit: int = 20) -> list[SpotlightEntry]:
    """The spotlight as the digest and newsletter will read it: public, standing kudos and active people only,
    newest first. Two queries (entries, the names on the kudos)."""
    entries = list(
        SpotlightEntry.objects.filter(removed_at__isnull=True)
        .filter(Q(kudos__isnull=True) | Q(kudos__deleted_at__isnull=True, kudos__is_private=False))
        .exclude(kudos__recipients__group__read_access="members")
        .filter(Q(profile__isnull=True) | Q(profile__is_active=True))
        .select_related("kudos", "kudos__sender", "kudos__value", "profile", "profile__department", "added_by")
        .order_by("-created_at", "-id")[:limit]
    )
    kudos_ids = [e.kudos_id for e in entries if e.kudos_id]
    names: dict[int, list[KudosRecipient]] = defaultdict(list)
    if kudos_ids:
        for row in KudosRecipient.objects.filter(kudos_id__in=kudos_ids).select_related("profile", "team", "group"):
            names[row.kudos_id].append(row)
    for entry in entries:
        if entry.kudos is not None:
            entry.kudos.recipient_rows = names.get(entry.kudos.pk, [])  # type: ignore[attr-defined]
    return entries


@dataclasses.dataclass
class ReportSummary:
    """Recognition one direct report received in a month, as their manager may see it."""

    person: Profile
    kudos: int = 0
    points: int = 0
    values: Counter[str] = dataclasses.field(default_factory=Counter)
    senders: list[str] = dataclasses.field(default_factory=list)
    latest: Kudos | None = None

    @property
    def recognized(self) -> bool:
        return self.kudos > 0

    @property
    def top_values(self) -> list[tuple[str, int]]:
        return self.values.most_common()


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC)
    end = dt.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=dt.UTC)
    return start, end


def manager_monthly_summary(manager: Profile, manager_user: User, month: dt.date) -> list[ReportSummary]:
    """For each active direct report: kudos and points received in the month (UTC), values and senders — only
    kudos the manager may see (public ones, and private ones shared with managers). Reusable by the digest.
    Three queries whatever the team's size."""
    reports = list(Profile.objects.filter(manager=manager, is_active=True).select_related("department").order_by("full_name"))
    summaries = {p.pk: ReportSummary(person=p) for p in reports}
    if not reports:
        return []
    start, end = month_bounds(month)
    seen = visible_kudos(manager_user).filter(created_at__gte=start, created_at__lt=end).values("pk")
    rows = (
        KudosReceiver.objects.filter(profile_id__in=summaries, kudos_id__in=seen)
        .select_related("kudos", "kudos__sender", "kudos__value")
        .order_by("kudos__created_at", "kudos_id")
    )
    senders: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        summary = summaries[row.profile_id]
        kudos = row.kudos
        summary.kudos += 1
        if row.via == KudosReceiver.Via.PERSON:
            summary.points += kudos.points
        if kudos.value is not None:
            summary.values[f"{kudos.value.emoji} {kudos.value.name}".strip()] += 1
        senders[row.profile_id][kudos.sender.display_name] += 1
        summary.latest = kudos
    for pk, counter in senders.items():
        summaries[pk].senders = [name for name, _n in counter.most_common(3)]
    return sorted(summaries.values(), key=lambda s: (s.recognized, s.person.full_name))


def recipient_suggestions(actor: User, kind: str, text: str, limit: int = 8) -> list[tuple[str, str]]:
    """Autocomplete for the kudos form: (value to put in the field, label) for people, teams or groups."""
    word = (text or "").split(",")[-1].strip()
    if len(word) < 1 or len(word) > 60:
        return []
    if kind == "team":
        teams = Team.objects.filter(name__istartswith=word).select_related("department").order_by("name")[:limit]
        return [(team_label(t), team_label(t)) for t in teams]
    if kind == "group":
        groups = (Group.objects.filter(pk__in=readable_group_ids(actor), archived_at__isnull=True, name__icontains=word)
                  .order_by("-member_count", "name")[:limit])
        return [(g.name, g.name) for g in groups]
    people = list(
        Profile.objects.filter(is_active=True)
        .filter(Q(full_name__istartswith=word) | Q(preferred_name__istartswith=word) | Q(user__email__istartswith=word))
        .select_related("user").order_by("full_name")[:limit]
    )
    return [(p.user.email, p.display_name) for p in people]


def team_label(team: Team) -> str:
    return f"{team.name} ({team.department.path})" if team.department_id and team.department else team.name


def is_reporting_manager(profile: Profile) -> bool:
    return Profile.objects.filter(manager=profile, is_active=True).exists()
