"""Reads for people. Each selector owns its joins and prefetches so pages run a fixed number of queries."""

from __future__ import annotations

import dataclasses
import zoneinfo
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, When

from courtyard.core import clock
from courtyard.people.domain.directory import canonical_timezones, card_tags, newcomer_since, timezone_menu
from courtyard.people.models import Department, Follow, Location, Profile, Tag, Team
from courtyard.search.backend import FullTextIndex, fulltext_filter
from courtyard.search.domain.text import normalize_text, search_tokens

SORTS = ("relevance", "name", "newest", "department")
OPTIONS_CACHE_SECONDS = 300
# Relevance is computed for every match before the best ones can be picked: for a word a third of
# 100,000 members share, that alone took 90-130 ms per page on PostgreSQL. With more matches than
# this, ranks are mostly ties anyway, so directory pages order them by name (the count they run
# first decides; no extra query). bench/README.md has the figures.
RELEVANCE_MAX_MATCHES = 5_000
# Profiles are searched on ``Profile.search_document``, indexed by the database itself. SQLite: an FTS5 table
# kept in sync by triggers (migration 0002). PostgreSQL: a stored generated ``search_vector`` column
# (``to_tsvector('simple', search_document)``, not a model field) with a GIN index (migration 0003), so
# ranking reads the stored vector instead of re-parsing every matching document.
PROFILES = FullTextIndex(table="people_profile", fts_table="people_profile_fts", vector_column="search_vector")


@dataclasses.dataclass(frozen=True)
class DirectoryQuery:
    q: str = ""
    department: int | None = None
    team: int | None = None
    location: int | None = None
    interest: str = ""
    skill: str = ""
    newcomer: bool = False
    sort: str = "relevance"
    include_inactive: bool = False
    # Admins see the fields people hide, so they may also filter and sort by them; nobody else may.
    sees_hidden: bool = False

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.q or self.department or self.team or self.location or self.interest or self.skill or self.newcomer
        )


def _tag_prefetches() -> list[Prefetch[Any]]:
    return [
        Prefetch("interests", queryset=Tag.objects.only("id", "name", "slug", "kind")),
        Prefetch("skills", queryset=Tag.objects.only("id", "name", "slug", "kind")),
    ]


def directory_queryset(query: DirectoryQuery, *, rank: bool = True) -> QuerySet[Profile]:
    """The filtered, ordered directory. ``rank=False``: a relevance sort falls back to names."""
    profiles = Profile.objects.select_related("department", "team", "location", "user").defer(
        "search_document", "bio"
    )
    if not query.include_inactive:
        profiles = profiles.filter(is_active=True)
    if query.department:
        department = Department.objects.filter(pk=query.department).only("path").first()
        if department is None:
            return profiles.none()
        # A department includes its sub-departments.
        profiles = profiles.filter(department_id__in=department_subtree_ids(department))
    if query.team:
        profiles = profiles.filter(team_id=query.team)
    if query.location:
        profiles = profiles.filter(location_id=query.location)
        if not query.sees_hidden:
            profiles = profiles.exclude(hides("location"))
    # Tags are looked up first and filtered by id: joining on the slug made PostgreSQL misjudge how
    # many people match and sort them all instead of walking the name index (bench/README.md).
    for field, kind, slug in (("interests", Tag.Kind.INTEREST, query.interest), ("skills", Tag.Kind.SKILL, query.skill)):
        if slug:
            tag_id = Tag.objects.filter(kind=kind, slug=slug).values_list("id", flat=True).first()
            if tag_id is None:
                return profiles.none()
            profiles = profiles.filter(**{field: tag_id})
    if query.newcomer:
        today = clock.now().date()
        profiles = profiles.filter(start_date__gte=newcomer_since(today, settings.NEWCOMER_DAYS), start_date__lte=today)
        if not query.sees_hidden:
            profiles = profiles.exclude(hides("start_date"))
    sort = query.sort if query.sort in SORTS else "relevance"
    ranked = rank and _ranks_by_relevance(query)
    if query.q.strip():
        profiles = profiles_matching(profiles, query.q, rank=ranked)
    if sort == "newest" and query.sees_hidden:
        profiles = profiles.order_by(F("start_date").desc(nulls_last=True), "full_name", "id")
    elif sort == "newest":
        # A hidden start date sorts like none at all: after every shown one, by name.
        shown_start = Case(When(hides("start_date"), then=None), default=F("start_date"))
        profiles = profiles.order_by(shown_start.desc(nulls_last=True), "full_name", "id")
    elif sort == "department":
        profiles = profiles.order_by("department__path", "full_name", "id")
    elif not ranked:
        profiles = profiles.order_by("full_name", "id")
    return profiles


def profiles_matching(queryset: QuerySet[Profile], query: str, *, rank: bool) -> QuerySet[Profile]:
    """Narrow ``queryset`` to profiles matching the words of ``query``; ordered by relevance if ``rank``."""
    tokens = search_tokens(query)
    if not tokens:
        return queryset
    queryset = fulltext_filter(queryset, tokens, index=PROFILES)
    return profiles_ranked(queryset, query) if rank else queryset


def profiles_ranked(queryset: QuerySet[Profile], query: str) -> QuerySet[Profile]:
    """Order profiles already narrowed by ``profiles_matching`` by relevance to ``query``, then by name.

    The rank is computed for every matching row, so its cost grows with the number of matches.
    """
    tokens = search_tokens(query)
    if not tokens:
        return queryset
    return fulltext_filter(queryset, tokens, index=PROFILES, rank_as="search_rank", already_matched=True,
                           order_by=["-search_rank", "full_name", "id"])


def hides(field: str) -> Q:
    """Profiles that hide ``field`` from other members. ``hidden_fields`` is a JSON list of field names, none
    of which contains another's name, so its text holds ``"field"`` (quoted) exactly when the list does; this
    reads the same on SQLite and PostgreSQL, which share no JSON list lookup."""
    return Q(hidden_fields__icontains=f'"{field}"')


def _ranks_by_relevance(query: DirectoryQuery) -> bool:
    return bool(query.q.strip()) and (query.sort if query.sort in SORTS else "relevance") == "relevance"


def _directory_counted(query: DirectoryQuery) -> tuple[int, QuerySet[Profile]]:
    """The count, and the directory ranked by relevance only when the matches are few enough."""
    profiles = directory_queryset(query, rank=False)
    count = profiles.count()
    if _ranks_by_relevance(query) and count <= RELEVANCE_MAX_MATCHES:
        profiles = profiles_ranked(profiles, query.q)
    return count, profiles


def department_subtree_ids(department: Department) -> list[int]:
    """The department and all departments below it (the tree is small; the path prefix finds them)."""
    prefix = department.path + " / "
    return [department.pk, *Department.objects.filter(path__startswith=prefix).values_list("pk", flat=True)]


def directory_page(query: DirectoryQuery, page_number: int | str | None, per_page: int | None = None) -> Page[Profile]:
    """One page of the directory: a count, the rows, and two prefetches, whatever the page size."""
    count, profiles = _directory_counted(query)
    paginator = Paginator(profiles.prefetch_related(*_tag_prefetches()), per_page or settings.DIRECTORY_PAGE_SIZE)
    paginator.count = count  # already counted above: the paginator must not count again
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    words = search_tokens(query.q) if query.q.strip() else []
    for profile in page.object_list:
        interests = list(profile.interests.all())
        chosen = card_tags([(tag.name, tag.slug) for tag in interests], interest=query.interest, words=words)
        # The card's interests, matched ones first (and marked): the interest a filter or a search found is
        # never among the ones a card leaves out.
        profile.card_interests = [(interests[i], matched) for i, matched in chosen]  # type: ignore[attr-defined]
    return page


def directory_filter_options() -> dict[str, Any]:
    """Departments and locations for the filter menus; they change rarely, so they are cached."""
    options = cache.get("people:directory-options")
    if options is None:
        options = {
            "departments": list(Department.objects.values("id", "path", "depth").order_by("path")),
            "locations": list(Location.objects.values("id", "name").order_by("name")),
        }
        cache.set("people:directory-options", options, OPTIONS_CACHE_SECONDS)
    return options


def directory_options_invalidate() -> None:
    cache.delete("people:directory-options")


def teams_for_department(department_id: int | None) -> list[Any]:
    if not department_id:
        return []
    return list(Team.objects.filter(department_id=department_id).values("id", "name").order_by("name")[:500])


def profile_detail(profile: Profile) -> dict[str, Any]:
    """What a profile page shows besides the profile itself: tags, manager and direct reports."""
    reports = list(
        Profile.objects.filter(manager=profile, is_active=True)
        .select_related("department")
        # Everything the report rows show (name, title, department name, photo unless hidden): no query per row.
        .only("id", "full_name", "preferred_name", "title", "photo", "hidden_fields", "department__name", "department__path")
        .order_by("full_name")[:50]
    )
    return {
        "interests": list(profile.interests.all()),
        "skills": list(profile.skills.all()),
        "reports": reports,
    }


def tag_suggestions(kind: str, prefix: str, limit: int = 10) -> list[str]:
    """Autocomplete for the shared vocabularies: names starting with the typed text, most used first."""
    text = normalize_text(prefix).strip()
    if kind not in Tag.Kind.values or not text:
        return []
    slug_prefix = "-".join(text.split())
    return list(
        Tag.objects.filter(kind=kind, slug__startswith=slug_prefix).order_by("name").values_list("name", flat=True)[:limit]
    )


def profile_for_user(user_id: int) -> Profile | None:
    return Profile.objects.select_related("department").filter(user_id=user_id).first()


def home_overview(user: Any) -> dict[str, Any]:
    """The home page: who is new, and people who share the member's interests."""

    profile = Profile.objects.filter(user=user).select_related("department").first()
    today = clock.now().date()
    # Being new tells when someone started: a member who hides their start date is not listed as new.
    newcomers = list(
        Profile.objects.filter(
            is_active=True, start_date__gte=newcomer_since(today, settings.NEWCOMER_DAYS), start_date__lte=today
        )
        .exclude(hides("start_date"))
        .select_related("department")
        .order_by("-start_date", "id")[:6]
    )
    similar = similar_people(profile) if profile is not None else []
    return {"profile": profile, "newcomers": newcomers, "similar": similar}


SIMILAR_CACHE_SECONDS = 1800


def similar_people(profile: Profile, limit: int = 6) -> list[Profile]:
    """Colleagues who share the most interests with the member.

    Counted on the interests table alone (no join to profiles), and kept for half an hour per member:
    with popular interests this touches tens of thousands of rows in a large organization."""
    key = f"people:similar:{profile.pk}"
    ranked: list[tuple[int, int]] | None = cache.get(key)
    if ranked is None:
        through = Profile.interests.through
        mine = through.objects.filter(profile_id=profile.pk).values("tag_id")
        rows = (
            through.objects.filter(tag_id__in=mine)
            .exclude(profile_id=profile.pk)
            .values("profile_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "profile_id")[: limit * 4]
        )
        ranked = [(row["profile_id"], row["shared"]) for row in rows]
        cache.set(key, ranked, SIMILAR_CACHE_SECONDS)
    if not ranked:
        return []
    shared = dict(ranked)
    people = Profile.objects.filter(pk__in=list(shared), is_active=True).select_related("department")
    result = sorted(people, key=lambda p: (-shared[p.pk], p.full_name))[:limit]
    for person in result:
        person.shared = shared[person.pk]  # type: ignore[attr-defined]
    return result


def directory_slice(query: DirectoryQuery, *, offset: int, limit: int) -> tuple[int, list[Profile]]:
    """A window of the directory for the API: a count, the rows and two prefetches."""
    count, queryset = _directory_counted(query)
    rows = list(queryset.prefetch_related(*_tag_prefetches())[offset : offset + limit]) if offset < count else []
    return count, rows


def follow_summary(profile: Profile, viewer_user_id: int | None) -> dict[str, Any]:
    """Follower and following counts for a profile, and whether the viewer follows them: one query."""
    counts = Follow.objects.filter(Q(followed=profile) | Q(follower=profile)).aggregate(
        followers=Count("pk", filter=Q(followed=profile)),
        following=Count("pk", filter=Q(follower=profile)),
        viewer=Count("pk", filter=Q(followed=profile, follower__user_id=viewer_user_id)),
    )
    return {"followers": counts["followers"], "following": counts["following"], "viewer_follows": bool(counts["viewer"])}


def followed_ids(profile: Profile | int) -> QuerySet[Follow, Any]:
    """The ids of the people a member follows, as a subquery (``member_id__in=followed_ids(me)``) for the feed."""
    profile_id = profile.pk if isinstance(profile, Profile) else profile
    return Follow.objects.filter(follower_id=profile_id).values("followed_id")


def following_of(profile: Profile, limit: int = 1000) -> list[Profile]:
    """The active people a member follows, by name: one query."""
    return list(
        Profile.objects.filter(followers__follower=profile, is_active=True).order_by("full_name", "pk")[:limit]
    )


# --- The time-zone menu of the profile form ------------------------------------------------------------------

TIMEZONES_USED_SECONDS = 3600


def _zone_tab_lines() -> list[str]:
    """The time-zone database's ``zone.tab`` (the zones it offers people), from the system's zone files or,
    where those are missing, from the ``tzdata`` package that ``zoneinfo`` falls back to; empty if neither."""
    for folder in zoneinfo.TZPATH:
        candidate = Path(folder) / "zone.tab"
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8").splitlines()
    try:
        return resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8").splitlines()
    except (ModuleNotFoundError, FileNotFoundError):
        return []


@lru_cache(maxsize=1)
def canonical_timezone_names() -> tuple[str, ...]:
    """Every zone worth offering (people/domain/directory.py ``canonical_timezones``): current names only."""
    listed = {
        columns[2]
        for line in _zone_tab_lines()
        if line and not line.startswith("#") and len(columns := line.split("\t")) >= 3
    }
    return tuple(canonical_timezones(zoneinfo.available_timezones(), listed or None))


def timezone_choices() -> tuple[list[str], list[str]]:
    """The profile form's time zones: the common ones (the organization's most used, then well-known zones),
    then all the others. The most used are counted at most once an hour (one grouped query)."""
    used: list[str] | None = cache.get("people:timezones-used")
    if used is None:
        used = list(
            Profile.objects.filter(is_active=True).values("timezone").annotate(n=Count("id"))
            .order_by("-n", "timezone").values_list("timezone", flat=True)[:8]
        )
        cache.set("people:timezones-used", used, TIMEZONES_USED_SECONDS)
    return timezone_menu(canonical_timezone_names(), used)
