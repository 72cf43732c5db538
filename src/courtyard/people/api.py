"""People API: list/search/filter, detail, and the member's own profile. Thin: same access and services."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from courtyard.accounts.http import ApiRequest
from courtyard.core import clock
from courtyard.core.access import is_admin, require_signed_in
from courtyard.core.errors import ApplicationError
from courtyard.core.schemas import CleanText, DbId, InputSchema, QuerySchema
from courtyard.people import selectors, services
from courtyard.people.access import access_own_profile, access_profile, can_see_all_fields
from courtyard.people.domain.directory import is_newcomer, visible_optional_fields
from courtyard.people.models import Location, Profile

router = Router()


class Ref(Schema):
    id: int
    name: str


class DepartmentRef(Schema):
    id: int
    name: str
    path: str


class PersonOut(Schema):
    id: int
    full_name: str
    preferred_name: str
    display_name: str
    title: str
    department: DepartmentRef | None
    team: Ref | None
    location: Ref | None = Field(description="Null when the person hides it.")
    pronouns: str | None = Field(description="Null when the person hides it.")
    timezone: str | None
    languages: list[str] | None
    start_date: dt.date | None
    is_newcomer: bool | None
    interests: list[str]
    skills: list[str]
    ask_me_about: str | None
    photo_url: str | None
    profile_url: str


class PersonDetailOut(PersonOut):
    bio: str | None
    manager_id: int | None
    hidden_fields: list[str] = Field(description="Fields hidden from other members (shown to the person and admins).")


class PeoplePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]


class PeopleFilters(QuerySchema):
    q: str = Field("", max_length=200, description="Free text: names, title, department, team, interests, skills…")
    department: int | None = Field(None, ge=1, description="Department id; includes its sub-departments.")
    team: int | None = Field(None, ge=1)
    location: int | None = Field(None, ge=1)
    interest: str = Field("", max_length=80, description="Interest slug, e.g. rock-climbing")
    skill: str = Field("", max_length=80, description="Skill slug")
    newcomer: bool = False
    sort: Literal["relevance", "name", "newest", "department"] = "relevance"
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class MeUpdate(InputSchema):
    """Only the fields sent are changed; an unknown field is refused rather than silently ignored."""

    preferred_name: str | None = Field(None, max_length=150)
    pronouns: str | None = Field(None, max_length=40)
    location_id: DbId | None = None
    timezone: str | None = Field(None, max_length=64)
    languages: list[str] | None = Field(None, max_length=20)
    interests: list[str] | None = Field(None, max_length=30)
    skills: list[str] | None = Field(None, max_length=30)
    ask_me_about: str | None = Field(None, max_length=300)
    bio: CleanText | None = Field(None, max_length=4000)
    hidden_fields: list[str] | None = Field(None, max_length=10)


class Error(Schema):
    code: str
    message: str
    details: Any = None


def person_out(profile: Profile, viewer: Any, *, detail: bool = False) -> dict[str, Any]:
    visible = visible_optional_fields(
        Profile.OPTIONAL_FIELDS, profile.hidden_fields, viewer_sees_all=can_see_all_fields(viewer, profile)
    )

    def shown(field: str, value: Any) -> Any:
        return value if field in visible else None

    out: dict[str, Any] = {
        "id": profile.pk,
        "full_name": profile.full_name,
        "preferred_name": profile.preferred_name,
        "display_name": profile.display_name,
        "title": profile.title,
        "department": (
            {"id": profile.department.pk, "name": profile.department.name, "path": profile.department.path}
            if profile.department
            else None
        ),
        "team": {"id": profile.team.pk, "name": profile.team.name} if profile.team else None,
        "location": shown("location", {"id": profile.location.pk, "name": profile.location.name} if profile.location else None),
        "pronouns": shown("pronouns", profile.pronouns),
        "timezone": shown("timezone", profile.timezone),
        "languages": shown("languages", [x.strip() for x in profile.languages.split(",") if x.strip()]),
        "start_date": shown("start_date", profile.start_date),
        # None when the start date is hidden from this reader: being new would tell when they started.
        "is_newcomer": shown("start_date", is_newcomer(profile.start_date, clock.now().date(), settings.NEWCOMER_DAYS)),
        "interests": [tag.name for tag in profile.interests.all()],
        "skills": [tag.name for tag in profile.skills.all()],
        "ask_me_about": shown("ask_me_about", profile.ask_me_about),
        "photo_url": shown("photo", reverse("media", args=[profile.photo.name]) if profile.photo else None),
        "profile_url": reverse("people:profile", args=[profile.pk]),
    }
    if detail:
        out["bio"] = shown("bio", profile.bio)
        out["manager_id"] = profile.manager_id
        out["hidden_fields"] = profile.hidden_fields if can_see_all_fields(viewer, profile) else []
    return out


@router.get("/", response=PeoplePage, summary="Search and filter the directory")
def people_list(request: ApiRequest, filters: Query[PeopleFilters]) -> dict[str, Any]:
    require_signed_in(request.auth)
    query = selectors.DirectoryQuery(
        q=filters.q, department=filters.department, team=filters.team, location=filters.location,
        interest=filters.interest, skill=filters.skill, newcomer=filters.newcomer,
        sort=filters.sort if filters.q or filters.sort != "relevance" else "name",
        sees_hidden=is_admin(request.auth),
    )
    count, profiles = selectors.directory_slice(query, offset=filters.offset, limit=filters.limit)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [person_out(p, request.auth) for p in profiles],
    }


@router.get("/me", response=PersonDetailOut, summary="Your own profile")
def me_read(request: ApiRequest) -> dict[str, Any]:
    return person_out(access_own_profile(request.auth), request.auth, detail=True)


@router.patch("/me", response={200: PersonDetailOut, 400: Error, 403: Error}, summary="Change your own profile")
def me_update(request: ApiRequest, payload: MeUpdate) -> dict[str, Any]:
    profile = access_own_profile(request.auth)
    data = payload.dict(exclude_unset=True)
    changes: dict[str, Any] = {}
    for field, value in data.items():
        if field == "location_id":
            location = Location.objects.filter(pk=value).first() if value else None
            if value and location is None:
                raise ApplicationError(_("There is no location with id %(id)s.") % {"id": value}, code="bad_location")
            changes["location"] = location
        elif field == "languages":
            changes["languages"] = ", ".join(x.strip() for x in (value or []) if x.strip())
        elif value is None and field not in {"interests", "skills", "hidden_fields"}:
            changes[field] = ""
        else:
            changes[field] = value if value is not None else []
    if "timezone" in changes and not changes["timezone"]:
        raise ApplicationError(_("The time zone cannot be empty."), code="bad_timezone")
    services.profile_update(actor=request.auth, profile=profile, data=changes)
    return person_out(access_own_profile(request.auth), request.auth, detail=True)


@router.get("/departments", response=list[DepartmentRef], summary="The department tree, flattened")
def departments(request: ApiRequest) -> list[dict[str, Any]]:
    require_signed_in(request.auth)
    return [{"id": d["id"], "name": d["path"].rsplit(" / ", 1)[-1], "path": d["path"]}
            for d in selectors.directory_filter_options()["departments"]]


@router.get("/locations", response=list[Ref], summary="Locations")
def locations(request: ApiRequest) -> list[dict[str, Any]]:
    require_signed_in(request.auth)
    return selectors.directory_filter_options()["locations"]


@router.get("/tags", response=list[str], summary="Autocomplete interests or skills")
def tags(
    request: ApiRequest, kind: Literal["interest", "skill"], q: str = Query("", max_length=60)
) -> list[str]:
    require_signed_in(request.auth)
    return selectors.tag_suggestions(kind, q)


class FollowOut(Schema):
    following: bool
    followers: int


@router.get("/me/following", response=list[Ref], summary="The people you follow (active ones, by name)")
def me_following(request: ApiRequest) -> list[dict[str, Any]]:
    me = access_own_profile(request.auth)
    return [{"id": p.pk, "name": p.display_name} for p in selectors.following_of(me)]


@router.post("/{person_id}/follow", response=FollowOut, summary="Follow someone (their posts reach your feed)")
def follow(request: ApiRequest, person_id: int) -> dict[str, Any]:
    profile = access_profile(request.auth, person_id)
    services.follow_create(actor=request.auth, profile=profile)
    return {"following": True, "followers": selectors.follow_summary(profile, request.auth.pk)["followers"]}


@router.delete("/{person_id}/follow", response=FollowOut, summary="Stop following someone")
def unfollow(request: ApiRequest, person_id: int) -> dict[str, Any]:
    profile = access_profile(request.auth, person_id)
    services.follow_delete(actor=request.auth, profile=profile)
    return {"following": False, "followers": selectors.follow_summary(profile, request.auth.pk)["followers"]}


@router.get("/{person_id}", response=PersonDetailOut, summary="One person")
def person_detail(request: ApiRequest, person_id: int) -> dict[str, Any]:
    return person_out(access_profile(request.auth, person_id), request.auth, detail=True)


