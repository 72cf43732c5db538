"""The recognition API: thin handlers over access, services and selectors, with the same rules as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from courtyard.accounts.http import ApiRequest
from courtyard.core import clock
from courtyard.core.access import is_admin
from courtyard.core.errors import ApplicationError, NotFound
from courtyard.core.pagination import cursor_checked
from courtyard.core.schemas import CleanText, DbId, InputSchema, Ok, PersonRef
from courtyard.groups.access import access_group_content
from courtyard.groups.models import ReactionKind
from courtyard.people.models import Profile, Team
from courtyard.recognition import selectors, services
from courtyard.recognition.access import (
    access_badge,
    access_kudos,
    access_recipient,
    access_spotlight_entry,
    access_value,
    me,
    require_curator,
)
from courtyard.recognition.domain import allowance
from courtyard.recognition.models import (
    CelebrationPreference,
    Kudos,
    KudosRecipient,
    SpotlightEntry,
    Value,
)

router = Router()


class RecipientOut(Schema):
    kind: str = Field(description="person, team or group")
    id: int
    name: str


class ValueRef(Schema):
    id: int
    name: str
    emoji: str


class KudosReactionCount(Schema):
    kind_id: int
    emoji: str
    label: str
    count: int
    people: list[str]
    mine: bool


class KudosOut(Schema):
    id: int
    sender: PersonRef
    recipients: list[RecipientOut]
    co_senders: list[PersonRef]
    message: str
    message_html: str
    value: ValueRef | None
    points: int = Field(description="Points each person thanked by name received.")
    is_private: bool
    share_with_manager: bool
    withdrawn: bool
    created_at: dt.datetime
    reactions: list[KudosReactionCount]
    i_agree: bool = Field(description="Whether you added +1.")
    url: str


class KudosPage(Schema):
    items: list[KudosOut]
    next_cursor: str | None


class KudosIn(InputSchema):
    message: CleanText = Field(..., max_length=4000)
    person_ids: list[DbId] = Field(default_factory=list, max_length=20)
    team_ids: list[DbId] = Field(default_factory=list, max_length=5)
    group_ids: list[DbId] = Field(default_factory=list, max_length=5)
    value_id: DbId | None = None
    is_private: bool = False
    share_with_manager: bool = False
    points: int = Field(0, ge=0, le=10_000)


class KudosReactionIn(InputSchema):
    kind_id: DbId


class KudosReactionResult(Schema):
    reacted: bool
    reactions: list[KudosReactionCount]


class ValueOut(Schema):
    id: int
    name: str
    emoji: str
    description: str
    position: int
    is_active: bool


class ValueIn(InputSchema):
    name: str = Field(..., max_length=60)
    emoji: str = Field("", max_length=16)
    description: CleanText = Field("", max_length=1000)


class ValuePatch(InputSchema):
    name: str | None = Field(None, max_length=60)
    emoji: str | None = Field(None, max_length=16)
    description: CleanText | None = Field(None, max_length=1000)
    position: int | None = Field(None, ge=0, le=1000)
    is_active: bool | None = None


class SettingsOut(Schema):
    allowance_enabled: bool
    monthly_points: int
    per_recipient_limit: int
    max_points_per_kudos: int


class SettingsIn(InputSchema):
    allowance_enabled: bool
    monthly_points: int = Field(..., ge=0, le=10_000)
    per_recipient_limit: int = Field(..., ge=0, le=10_000)
    max_points_per_kudos: int = Field(..., ge=0, le=10_000)


class LedgerEntryOut(Schema):
    kind: str
    amount: int
    recipient: PersonRef | None
    kudos_id: int | None
    created_at: dt.datetime


class AllowanceOut(Schema):
    enabled: bool
    month: dt.date
    granted: int
    spent: int
    remaining: int
    received: int
    per_recipient_limit: int
    max_points_per_kudos: int
    entries: list[LedgerEntryOut]


class CelebrationOut(Schema):
    id: int
    person: PersonRef
    kind: str
    celebrated_on: dt.date
    years: int | None
    title: str


class PreferencesOut(Schema):
    birthday_month: int | None
    birthday_day: int | None
    anniversary: bool
    welcome: bool
    milestone: bool


class PreferencesIn(InputSchema):
    birthday_month: int | None = Field(None, ge=1, le=12)
    birthday_day: int | None = Field(None, ge=1, le=31)
    anniversary: bool = True
    welcome: bool = True
    milestone: bool = True


class BadgeDefinitionOut(Schema):
    key: str
    name: str
    emoji: str
    description: str
    holders: int


class CustomBadgeOut(Schema):
    id: int
    name: str
    emoji: str
    description: str
    is_active: bool
    holders: int


class BadgeCatalogueOut(Schema):
    automatic: list[BadgeDefinitionOut]
    custom: list[CustomBadgeOut]


class BadgeIn(InputSchema):
    name: str = Field(..., max_length=60)
    emoji: str = Field("", max_length=16)
    description: CleanText = Field("", max_length=1000)


class AwardIn(InputSchema):
    person_id: DbId
    reason: CleanText = Field("", max_length=300)


class HeldBadgeOut(Schema):
    name: str
    emoji: str
    description: str
    automatic: bool
    reason: str
    awarded_at: dt.datetime


class SpotlightIn(InputSchema):
    kudos_id: DbId | None = None
    person_id: DbId | None = None
    note: CleanText = Field("", max_length=300)


class SpotlightOut(Schema):
    id: int
    kudos: KudosOut | None
    person: PersonRef | None
    note: str
    added_by: PersonRef | None
    created_at: dt.datetime


class ReportSummaryOut(Schema):
    person: PersonRef
    kudos: int
    points: int
    values: dict[str, int]
    senders: list[str]


def person(profile: Profile | None) -> dict[str, Any] | None:
    return {"id": profile.pk, "display_name": profile.display_name} if profile is not None else None


def recipient_out(row: KudosRecipient) -> dict[str, Any]:
    if row.profile_id and row.profile is not None:
        return {"kind": "person", "id": row.profile_id, "name": row.profile.display_name}
    if row.team_id and row.team is not None:
        return {"kind": "team", "id": row.team_id, "name": row.team.name}
    group = row.group
    return {"kind": "group", "id": row.group_id or 0, "name": group.name if group is not None else ""}


def reaction_counts(bar: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"kind_id": r["kind"].pk, "emoji": r["kind"].emoji, "label": r["kind"].label, "count": r["count"],
         "people": r["names"], "mine": r["mine"]}
        for r in bar
    ]


def kudos_out(kudos: Kudos) -> dict[str, Any]:
    value = kudos.value
    return {
        "id": kudos.pk, "sender": person(kudos.sender),
        "recipients": [recipient_out(r) for r in getattr(kudos, "recipient_rows", [])],
        "co_senders": [person(p) for p in getattr(kudos, "co_sender_list", [])],
        "message": kudos.message, "message_html": kudos.message_html,
        "value": {"id": value.pk, "name": value.name, "emoji": value.emoji} if value is not None else None,
        "points": kudos.points, "is_private": kudos.is_private, "share_with_manager": kudos.share_with_manager,
        "withdrawn": kudos.deleted_at is not None, "created_at": kudos.created_at,
        "reactions": reaction_counts(getattr(kudos, "reaction_bar", [])),
        "i_agree": bool(getattr(kudos, "viewer_agrees", False)), "url": reverse("recognition:detail", args=[kudos.pk]),
    }


def _detail(request: ApiRequest, kudos_id: int, *, include_deleted: bool = False) -> dict[str, Any]:
    kudos, _current = access_kudos(request.auth, kudos_id, include_deleted=include_deleted)
    selectors.decorate([kudos], me(request.auth).pk)
    return kudos_out(kudos)


# --- Kudos ---------------------------------------------------------------------------------------


@router.get("/kudos", response=KudosPage, summary="The recognition wall: kudos you may see, newest first")
def kudos_list(
    request: ApiRequest,
    value_id: int | None = Query(None, ge=1, le=2**62),
    department_id: int | None = Query(None, ge=1, le=2**62),
    team_id: int | None = Query(None, ge=1, le=2**62),
    person_id: int | None = Query(None, ge=1, le=2**62, description="Kudos from or to this person"),
    group_id: int | None = Query(None, ge=1, le=2**62),
    cursor: str = Query("", max_length=200),
) -> dict[str, Any]:
    query = selectors.WallQuery(value_id=value_id, department_id=department_id, team_id=team_id, person_id=person_id,
                                group_id=group_id)
    with cursor_checked():
        page = selectors.wall(request.auth, query, cursor=cursor or None)
    return {"items": [kudos_out(k) for k in page["items"]], "next_cursor": page["next_cursor"]}


@router.post("/kudos", response={201: KudosOut}, summary="Thank people, teams or groups")
def kudos_create(request: ApiRequest, payload: KudosIn) -> Status:
    people = list(Profile.objects.select_related("user", "department").filter(pk__in=payload.person_ids))
    if len(people) != len(set(payload.person_ids)):
        raise NotFound(_("No such person in the directory."))
    teams = list(Team.objects.filter(pk__in=payload.team_ids))
    if len(teams) != len(set(payload.team_ids)):
        raise NotFound(_("No such team."))
    groups = [access_group_content(request.auth, group_id)[0] for group_id in dict.fromkeys(payload.group_ids)]
    value = None
    if payload.value_id is not None:
        value = Value.objects.filter(pk=payload.value_id).first()
        if value is None:
            raise NotFound(_("No such value."))
    kudos = services.kudos_send(
        actor=request.auth, message=payload.message, people=people, teams=teams, groups=groups, value=value,
        is_private=payload.is_private, share_with_manager=payload.share_with_manager, points=payload.points,
    )
    return Status(201, _detail(request, kudos.pk))


@router.get("/kudos/{kudos_id}", response=KudosOut, summary="One kudos")
def kudos_detail(request: ApiRequest, kudos_id: int) -> dict[str, Any]:
    return _detail(request, kudos_id, include_deleted=True)


@router.delete("/kudos/{kudos_id}", response=Ok, summary="Withdraw your kudos (admins: remove any; kept, restorable)")
def kudos_delete(request: ApiRequest, kudos_id: int) -> dict[str, bool]:
    kudos, current = access_kudos(request.auth, kudos_id)
    services.kudos_set_deleted(actor=request.auth, kudos=kudos, current=current, deleted=True)
    return {"ok": True}


@router.post("/kudos/{kudos_id}/restore", response=KudosOut, summary="Restore a withdrawn kudos (admins)")
def kudos_restore(request: ApiRequest, kudos_id: int) -> dict[str, Any]:
    kudos, current = access_kudos(request.auth, kudos_id, include_deleted=True)
    services.kudos_set_deleted(actor=request.auth, kudos=kudos, current=current, deleted=False)
    return _detail(request, kudos_id)


@router.post("/kudos/{kudos_id}/plus-one", response=KudosOut, summary="“+1 — I agree”: join the thanks as a co-sender")
def kudos_plus_one(request: ApiRequest, kudos_id: int) -> dict[str, Any]:
    kudos, current = access_kudos(request.auth, kudos_id)
    services.kudos_plus_one(actor=request.auth, kudos=kudos, current=current, agree=True)
    return _detail(request, kudos_id)


@router.delete("/kudos/{kudos_id}/plus-one", response=KudosOut, summary="Take back your +1")
def kudos_plus_one_remove(request: ApiRequest, kudos_id: int) -> dict[str, Any]:
    kudos, current = access_kudos(request.auth, kudos_id)
    services.kudos_plus_one(actor=request.auth, kudos=kudos, current=current, agree=False)
    return _detail(request, kudos_id)


@router.post("/kudos/{kudos_id}/reactions", response=KudosReactionResult, summary="Add or take back a reaction")
def kudos_react(request: ApiRequest, kudos_id: int, payload: KudosReactionIn) -> dict[str, Any]:
    kudos, current = access_kudos(request.auth, kudos_id)
    kind = ReactionKind.objects.filter(pk=payload.kind_id, is_active=True).first()
    if kind is None:
        raise NotFound(_("No such reaction."))
    reacted = services.kudos_reaction_toggle(actor=request.auth, kudos=kudos, current=current, kind=kind)
    selectors.decorate([kudos], me(request.auth).pk)
    return {"reacted": reacted, "reactions": reaction_counts(kudos.reaction_bar)}  # type: ignore[attr-defined]


# --- Values and settings -------------------------------------------------------------------------


@router.get("/values", response=list[ValueOut], summary="The organization's values (retired ones for admins)")
def values_list(request: ApiRequest) -> list[Value]:
    me(request.auth)
    return selectors.values_all() if is_admin(request.auth) else selectors.values_active()


@router.post("/values", response={201: ValueOut}, summary="Add a value (admins)")
def value_create(request: ApiRequest, payload: ValueIn) -> Status:
    return Status(201, services.value_create(actor=request.auth, **payload.dict()))


@router.patch("/values/{value_id}", response=ValueOut, summary="Change or retire a value (admins)")
def value_update(request: ApiRequest, value_id: int, payload: ValuePatch) -> Value:
    value = access_value(request.auth, value_id)
    return services.value_update(actor=request.auth, value=value, data=payload.dict(exclude_unset=True))


@router.get("/settings", response=SettingsOut, summary="Whether the monthly allowance is on, and its numbers")
def settings_get(request: ApiRequest) -> Any:
    me(request.auth)
    return selectors.settings_current()


@router.put("/settings", response=SettingsOut, summary="Change the monthly allowance (admins)")
def settings_put(request: ApiRequest, payload: SettingsIn) -> Any:
    return services.settings_update(actor=request.auth, **payload.dict())


@router.get("/allowance", response=AllowanceOut, summary="Your points this month and where they went")
def allowance_get(request: ApiRequest) -> dict[str, Any]:
    profile = me(request.auth)
    overview = selectors.allowance_overview(profile)
    entries = selectors.allowance_ledger(profile, overview.month)
    return {
        "enabled": overview.enabled, "month": overview.month, "granted": overview.granted, "spent": overview.spent,
        "remaining": overview.remaining, "received": selectors.points_received(profile, overview.month),
        "per_recipient_limit": overview.per_recipient_limit, "max_points_per_kudos": overview.max_points_per_kudos,
        "entries": [{"kind": e.kind, "amount": e.amount, "recipient": person(e.recipient), "kudos_id": e.kudos_id,
                     "created_at": e.created_at} for e in entries],
    }


# --- Celebrations --------------------------------------------------------------------------------


@router.get("/celebrations", response=list[CelebrationOut], summary="Celebrations of the last two weeks")
def celebrations_list(request: ApiRequest) -> list[dict[str, Any]]:
    me(request.auth)
    return [
        {"id": c.pk, "person": person(c.profile), "kind": c.kind, "celebrated_on": c.celebrated_on, "years": c.years,
         "title": c.title}
        for c in selectors.celebrations_recent()
    ]


def _preferences_out(preference: CelebrationPreference | None) -> dict[str, Any]:
    if preference is None:
        return {"birthday_month": None, "birthday_day": None, "anniversary": True, "welcome": True, "milestone": True}
    return {
        "birthday_month": preference.birthday_month, "birthday_day": preference.birthday_day,
        "anniversary": not preference.skip_anniversary, "welcome": not preference.skip_welcome,
        "milestone": not preference.skip_milestone,
    }


@router.get("/celebrations/preferences", response=PreferencesOut, summary="Your birthday (opt-in) and opt-outs")
def preferences_get(request: ApiRequest) -> dict[str, Any]:
    return _preferences_out(CelebrationPreference.objects.filter(profile=me(request.auth)).first())


@router.put("/celebrations/preferences", response=PreferencesOut, summary="Set your birthday (day and month) and opt-outs")
def preferences_put(request: ApiRequest, payload: PreferencesIn) -> dict[str, Any]:
    if (payload.birthday_month is None) != (payload.birthday_day is None):
        raise ApplicationError(_("Give both the day and the month of your birthday, or neither."), code="bad_birthday")
    birthday = (payload.birthday_month, payload.birthday_day) if payload.birthday_month and payload.birthday_day else None
    skip = [kind for kind in ("anniversary", "welcome", "milestone") if not getattr(payload, kind)]
    return _preferences_out(services.celebration_preferences_set(actor=request.auth, birthday=birthday, skip=skip))


# --- Badges --------------------------------------------------------------------------------------


@router.get("/badges", response=BadgeCatalogueOut, summary="Every badge: automatic and custom, with holders")
def badges_list(request: ApiRequest) -> dict[str, Any]:
    me(request.auth)
    catalogue = selectors.badge_catalogue()
    return {
        "automatic": [{"key": a["definition"].key, "name": a["definition"].name, "emoji": a["definition"].emoji,
                       "description": a["definition"].description, "holders": a["holders"]} for a in catalogue["automatic"]],
        "custom": [{"id": b.pk, "name": b.name, "emoji": b.emoji, "description": b.description, "is_active": b.is_active,
                    "holders": b.holders} for b in catalogue["custom"]],
    }


@router.post("/badges", response={201: CustomBadgeOut}, summary="Create a custom badge (admins)")
def badge_create(request: ApiRequest, payload: BadgeIn) -> Status:
    badge = services.badge_create(actor=request.auth, **payload.dict())
    return Status(201, {"id": badge.pk, "name": badge.name, "emoji": badge.emoji, "description": badge.description,
                        "is_active": badge.is_active, "holders": 0})


@router.post("/badges/{badge_id}/awards", response={201: HeldBadgeOut}, summary="Award a custom badge (admins)")
def badge_award(request: ApiRequest, badge_id: int, payload: AwardIn) -> Status:
    badge = access_badge(request.auth, badge_id)
    profile = Profile.objects.select_related("user").filter(pk=payload.person_id).first()
    if profile is None:
        raise NotFound(_("No such person in the directory."))
    award = services.badge_award(actor=request.auth, badge=badge, profile=profile, reason=payload.reason)
    return Status(201, {"name": badge.name, "emoji": badge.emoji, "description": badge.description, "automatic": False,
                        "reason": award.reason, "awarded_at": award.awarded_at})


@router.get("/people/{person_id}/badges", response=list[HeldBadgeOut], summary="The badges a member holds")
def person_badges(request: ApiRequest, person_id: int) -> list[dict[str, Any]]:
    profile = access_recipient(request.auth, person_id)
    return [{k: b[k] for k in ("name", "emoji", "description", "automatic", "reason", "awarded_at")}
            for b in selectors.badges_of(profile)]


# --- Spotlight and the manager view --------------------------------------------------------------


@router.get("/spotlight", response=list[SpotlightOut], summary="The spotlight (the digest and newsletter read it)")
def spotlight_list(request: ApiRequest) -> list[dict[str, Any]]:
    viewer = me(request.auth).pk
    entries = selectors.spotlight_current(limit=50)
    selectors.decorate([e.kudos for e in entries if e.kudos is not None], viewer)
    return [spotlight_out(e) for e in entries]


def spotlight_out(entry: SpotlightEntry) -> dict[str, Any]:
    return {"id": entry.pk, "kudos": kudos_out(entry.kudos) if entry.kudos is not None else None,
            "person": person(entry.profile), "note": entry.note, "added_by": person(entry.added_by),
            "created_at": entry.created_at}


@router.post("/spotlight", response={201: SpotlightOut}, summary="Spotlight a public kudos or a person (admins, organizers)")
def spotlight_add(request: ApiRequest, payload: SpotlightIn) -> Status:
    require_curator(request.auth)
    if (payload.kudos_id is None) == (payload.person_id is None):
        raise ApplicationError(_("Give either kudos_id or person_id."), code="one_target")
    if payload.kudos_id is not None:
        kudos, current = access_kudos(request.auth, payload.kudos_id)
        entry = services.spotlight_add(actor=request.auth, kudos=kudos, current=current, note=payload.note)
    else:
        profile = access_recipient(request.auth, payload.person_id)
        entry = services.spotlight_add(actor=request.auth, profile=profile, note=payload.note)
    if entry.kudos is not None:
        entry.kudos = access_kudos(request.auth, entry.kudos.pk)[0]
        selectors.decorate([entry.kudos], me(request.auth).pk)
    return Status(201, spotlight_out(entry))


@router.delete("/spotlight/{entry_id}", response=Ok, summary="Take something out of the spotlight (admins, organizers)")
def spotlight_remove(request: ApiRequest, entry_id: int) -> dict[str, bool]:
    entry = access_spotlight_entry(request.auth, entry_id)
    services.spotlight_remove(actor=request.auth, entry=entry)
    return {"ok": True}


@router.get("/manager/summary", response=list[ReportSummaryOut],
            summary="Recognition your direct reports received in a month (empty if nobody reports to you)")
def manager_summary(request: ApiRequest, month: str = Query("", pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")) -> list[dict[str, Any]]:
    profile = me(request.auth)
    start = allowance.month_of(clock.now().date())
    if month:
        year, number = (int(part) for part in month.split("-"))
        if not 2000 <= year <= 2100:
            raise ApplicationError(_("Give a month between 2000 and 2100."), code="bad_month")
        start = dt.date(year, number, 1)
    return [
        {"person": person(s.person), "kudos": s.kudos, "points": s.points, "values": dict(s.values), "senders": s.senders}
        for s in selectors.manager_monthly_summary(profile, request.auth, start)
    ]

