"""Reads for the newcomer journey. Progress is recomputed from the facts on every read, never stored.

Each selector runs a fixed number of queries whatever the data: the facts of many newcomers are gathered
per kind of fact (one aggregate each), not per person.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.domain.facts import TIE_KINDS
from courtyard.core.models import Interaction, Participation
from courtyard.groups.models import Group, Membership, Post
from courtyard.groups.selectors import UNLISTED
from courtyard.people.domain.directory import is_newcomer, newcomer_since
from courtyard.people.models import Profile
from courtyard.people.selectors import hides
from courtyard.welcome.access import actor_profile
from courtyard.welcome.domain import checklist as rules
from courtyard.welcome.domain import cohorts as cohort_rules
from courtyard.welcome.models import Buddying, BuddyOffer, Journey, WelcomeSettings

MEETING_KINDS = ("buddy_met", "coffee_met")
SUGGESTED_GROUPS = 3
COHORT_MONTHS = 12


def newcomer_days() -> int:
    return int(settings.NEWCOMER_DAYS)


def welcome_settings() -> WelcomeSettings:
    found = WelcomeSettings.objects.select_related("hello_thread", "hello_thread__group").first()
    return found if found is not None else WelcomeSettings()


def newcomers_queryset(today: dt.date) -> QuerySet[Profile]:
    """Active members within their first ``NEWCOMER_DAYS`` days (start dates in the future are not yet)."""
    return Profile.objects.filter(
        is_active=True, start_date__gte=newcomer_since(today, newcomer_days()), start_date__lte=today
    )


def hides_start_date(profile: Profile) -> bool:
    return "start_date" in (profile.hidden_fields or [])


# --- Facts ------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Firsts:
    group: dt.date | None = None
    event: dt.date | None = None
    cross_tie: dt.date | None = None
    connection: dt.date | None = None  # any tie, with anyone


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.date() if moment is not None else None


def facts_for(profile_ids: QuerySet[Any, Any], *, hello_thread_id: int | None) -> dict[int, rules.MemberFacts]:
    """The checklist facts of every profile in ``profile_ids`` (a subquery of pks): six queries."""
    profiles = {
        row["pk"]: row
        for row in Profile.objects.filter(pk__in=profile_ids)
        .annotate(n_interests=Count("interests", distinct=True))
        .values("pk", "photo", "ask_me_about", "n_interests")
    }
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    verbs = ("joined_group", "met", "attended", "joined_mentorship")
    for row in (
        Participation.objects.filter(member_id__in=profile_ids, verb__in=verbs)
        .values("member_id", "verb")
        .annotate(n=Count("id"))
    ):
        counts[row["member_id"]][row["verb"]] = row["n"]
    hello: set[int] = set()
    if hello_thread_id is not None:
        in_thread = Q(verb="replied", object_type="post",
                      object_id__in=Post.objects.filter(thread_id=hello_thread_id).values("pk"))
        started = Q(verb__in=("posted", "asked"), object_type="thread", object_id=hello_thread_id)
        hello = set(
            Participation.objects.filter(in_thread | started, member_id__in=profile_ids)
            .values_list("member_id", flat=True)
            .distinct()
        )
    met = set(
        Buddying.objects.filter(newcomer_id__in=profile_ids)
        .filter(Exists(Interaction.objects.filter(actor_id=OuterRef("newcomer_id"), other_id=OuterRef("buddy_id"),
                                                  kind__in=MEETING_KINDS)))
        .values_list("newcomer_id", flat=True)
    )
    facts: dict[int, rules.MemberFacts] = {}
    for pk, profile in profiles.items():
        mine = counts.get(pk, {})
        facts[pk] = rules.MemberFacts(
            has_photo=bool(profile["photo"]),
            interests=profile["n_interests"],
            has_ask_me_about=bool((profile["ask_me_about"] or "").strip()),
            groups_joined=mine.get("joined_group", 0),
            met_buddy=pk in met,
            coffees_met=mine.get("met", 0),
            events_attended=mine.get("attended", 0),
            said_hello=pk in hello,
            joined_mentoring=mine.get("joined_mentorship", 0) > 0,
        )
    return facts


def firsts_for(profile_ids: QuerySet[Any, Any]) -> dict[int, Firsts]:
    """When each member first joined a group, attended an event, made a tie across departments and made any
    tie at all (ties both ways: a reply to them counts as much as their reply): three queries."""
    first_verbs: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    for row in (
        Participation.objects.filter(member_id__in=profile_ids, verb__in=("joined_group", "attended"))
        .values("member_id", "verb")
        .annotate(first=Min("occurred_at"))
    ):
        first_verbs[row["member_id"]][row["verb"]] = row["first"]
    ties: dict[int, dict[str, dt.datetime | None]] = defaultdict(dict)
    cross_as_actor = Q(actor_department_id__isnull=False, other_department_id__isnull=False) & ~Q(
        actor_department_id=F("other_department_id")
    )
    for me in ("actor_id", "other_id"):
        for row in (
            Interaction.objects.filter(**{f"{me}__in": profile_ids}, kind__in=TIE_KINDS)
            .values(me)
            .annotate(first_any=Min("occurred_at"), first_cross=Min("occurred_at", filter=cross_as_actor))
        ):
            seen = ties[row[me]]
            for key in ("first_any", "first_cross"):
                value = row[key]
                known = seen.get(key)
                if value is not None and (known is None or value < known):
                    seen[key] = value
    result: dict[int, Firsts] = {}
    for pk in set(first_verbs) | set(ties):
        verbs, tie = first_verbs.get(pk, {}), ties.get(pk, {})
        result[pk] = Firsts(
            group=_day(verbs.get("joined_group")), event=_day(verbs.get("attended")),
            cross_tie=_day(tie.get("first_cross")), connection=_day(tie.get("first_any")),
        )
    return result


# --- The home card -------------------------------------------------------------------------------------------


def suggested_groups(profile: Profile, *, limit: int = SUGGESTED_GROUPS) -> list[Group]:
    """Groups a newcomer may join, suggested from their interests and their team: open or by request,
    listed, not archived, not already theirs; the most shared interests first, then the most teammates."""
    mine = Membership.objects.filter(profile=profile).values("group_id")
    interests = Profile.interests.through.objects.filter(profile_id=profile.pk).values("tag_id")
    groups = (
        Group.objects.filter(archived_at__isnull=True, join_policy__in=[Group.JoinPolicy.OPEN, Group.JoinPolicy.REQUEST])
        .exclude(UNLISTED)
        .exclude(pk__in=mine)
        .annotate(shared=Count("tags", filter=Q(tags__in=interests), distinct=True))
    )
    if profile.team_id is not None:
        teammates = Membership.objects.filter(
            status=Membership.Status.ACTIVE, profile__team_id=profile.team_id, profile__is_active=True
        ).exclude(profile=profile).values("group_id")
        groups = groups.annotate(team=Exists(teammates.filter(group_id=OuterRef("pk"))))
        wanted = Q(shared__gt=0) | Q(team=True)
        order = ["-shared", "-team", "-member_count", "name"]
    else:
        wanted = Q(shared__gt=0)
        order = ["-shared", "-member_count", "name"]
    return list(groups.filter(wanted).order_by(*order).only("pk", "name", "slug", "member_count")[:limit])


def _journey(profile: Profile) -> Journey | None:
    return Journey.objects.filter(profile=profile).first()


def my_buddying(profile: Profile) -> Buddying | None:
    return Buddying.objects.select_related("buddy", "buddy__department").filter(newcomer=profile).first()


def welcome_card(actor: User, *, profile: Profile | None = None) -> dict[str, Any] | None:
    """What the home page's checklist card shows the actor, or None when it shows nothing: they are not a
    newcomer (first ``NEWCOMER_DAYS`` days) or they dismissed it. Only the member's own card exists: nothing
    here is about anyone else, so a hidden start date stays hidden. ``profile``: the actor's profile when the
    page already loaded it (then a member who is not new costs no query at all)."""
    if not actor.is_authenticated:
        return None
    if profile is None or profile.user_id != actor.pk:
        profile = Profile.objects.filter(user=actor).only(
            "pk", "start_date", "team_id", "hidden_fields", "user_id", "is_active"
        ).first()
    if profile is None or not profile.is_active:
        return None
    today = clock.now().date()
    if not is_newcomer(profile.start_date, today, newcomer_days()):
        return None
    journey = _journey(profile)
    if not rules.card_shown(newcomer=True, dismissed=bool(journey and journey.dismissed_at)):
        return None
    return journey_overview(profile, journey=journey, today=today)


STEP_LABELS = {
    rules.PROFILE: (_("Complete your profile: a photo, interests and “ask me about”"), _("Edit my profile")),
    rules.GROUPS: (_("Join two or three groups"), _("Browse groups")),
    rules.BUDDY: (_("Meet your buddy"), _("See your buddy")),
    rules.COFFEE: (_("Have a first coffee with a colleague"), _("Join a coffee program")),
    rules.EVENT: (_("Go to a first event"), _("See events")),
    rules.HELLO: (_("Say hello in the newcomers' thread"), _("Say hello")),
    rules.MENTORING: (_("Join a mentoring cohort (optional)"), _("See mentoring")),
}
BUDDY_STEP_LABELS = {
    rules.BUDDY_COFFEE: _("A first coffee together"),
    rules.BUDDY_GROUPS: _("Show them around a few of your groups"),
    rules.BUDDY_CHECKIN: _("Check in after two weeks"),
}


def _step_url(key: str, buddying: Buddying | None, hello: Any) -> str:
    if key == rules.PROFILE:
        return reverse("people:profile_edit_self")
    if key == rules.GROUPS:
        return reverse("groups:browse")
    if key == rules.BUDDY:
        return reverse("welcome:buddying", args=[buddying.pk]) if buddying else reverse("welcome:hub")
    if key == rules.EVENT:
        return reverse("events:list")
    if key == rules.HELLO and hello is not None:
        return reverse("groups:thread", args=[hello.group.slug, hello.pk])
    if key == rules.HELLO:
        return reverse("groups:browse")
    return reverse("pairing:hub")  # a coffee, mentoring


def journey_overview(profile: Profile, *, journey: Journey | None, today: dt.date) -> dict[str, Any]:
    """The member's checklist, buddy and suggestions (their own; see welcome_card)."""
    config = welcome_settings()
    facts = facts_for(Profile.objects.filter(pk=profile.pk).values("pk"), hello_thread_id=config.hello_thread_id)
    checklist = rules.checklist(facts.get(profile.pk, rules.MemberFacts()))
    start = profile.start_date
    buddying = my_buddying(profile)
    hello = config.hello_thread if config.hello_thread is not None and config.hello_thread.deleted_at is None else None
    items = [
        {"key": step.key, "done": step.done, "optional": step.optional, "label": STEP_LABELS[step.key][0],
         "action": STEP_LABELS[step.key][1], "url": _step_url(step.key, buddying, hello)}
        for step in checklist.steps
    ]
    return {
        "checklist": checklist,
        "items": items,
        "buddying": buddying,
        "suggested_groups": suggested_groups(profile),
        "hello_thread": hello,
        "day": (today - start).days + 1 if start else None,
        "dismissed": bool(journey and journey.dismissed_at),
        "buddy_asked": bool(journey and journey.buddy_asked_at),
        "hides_start_date": hides_start_date(profile),
    }


# --- Buddies ---------------------------------------------------------------------------------------------------


def buddy_offer(profile: Profile) -> BuddyOffer | None:
    return BuddyOffer.objects.filter(profile=profile).first()


def buddy_checklist(buddying: Buddying) -> rules.Checklist:
    """The buddy's light checklist, from the facts: their meetings, and the groups the newcomer joined."""
    meetings = [
        moment.date()
        for moment in Interaction.objects.filter(
            actor_id=buddying.newcomer_id, other_id=buddying.buddy_id, kind__in=MEETING_KINDS
        ).values_list("occurred_at", flat=True)
    ]
    buddy_groups = Membership.objects.filter(profile_id=buddying.buddy_id, status=Membership.Status.ACTIVE)
    shared = Participation.objects.filter(
        member_id=buddying.newcomer_id, verb="joined_group", group_id__in=buddy_groups.values("group_id"),
        occurred_at__gte=buddying.assigned_at,
    ).exists()
    return rules.buddy_checklist(assigned_on=buddying.assigned_at.date(), meetings=meetings, shared_group_joined=shared)


def buddy_items(checklist: rules.Checklist) -> list[dict[str, Any]]:
    return [{"key": s.key, "done": s.done, "label": BUDDY_STEP_LABELS[s.key]} for s in checklist.steps]


@dataclasses.dataclass(frozen=True)
class LookedAfter:
    """A newcomer the actor looks after, as their buddy or manager, with the gentle nudge when they have made
    no connection after three weeks (from the facts, never from survey answers)."""

    profile: Profile
    buddying: Buddying | None
    as_buddy: bool
    nudge: bool


def looked_after(actor: User) -> list[LookedAfter]:
    """Newcomers the actor is buddy to, and the actor's direct reports in their first days. A report who hides
    their start date is listed only once they asked for a buddy (then the manager knows anyway)."""
    me = actor_profile(actor)
    today = clock.now().date()
    as_buddy = Buddying.objects.filter(buddy=me, newcomer__is_active=True).values("newcomer_id")
    reports = newcomers_queryset(today).filter(manager=me).filter(
        ~hides("start_date") | Q(buddying__isnull=False)
    )
    people = list(
        newcomers_queryset(today).filter(Q(pk__in=as_buddy) | Q(pk__in=reports.values("pk")))
        .select_related("department", "buddying", "buddying__buddy")
        .order_by("-start_date", "pk")[:200]
    )
    firsts = firsts_for(Profile.objects.filter(pk__in=[p.pk for p in people]).values("pk"))
    rows = []
    for person in people:
        buddying = getattr(person, "buddying", None)
        first = firsts.get(person.pk, Firsts())
        rows.append(LookedAfter(
            profile=person, buddying=buddying, as_buddy=buddying is not None and buddying.buddy_id == me.pk,
            nudge=person.start_date is not None
            and rules.needs_nudge(start_date=person.start_date, today=today, first_connection=first.connection),
        ))
    return rows


def buddy_candidates(buddying: Buddying, *, limit: int = 200) -> list[Profile]:
    """Who a manager or admin may pick instead: members who offered, other than the two of them."""
    return list(
        Profile.objects.filter(is_active=True, buddy_offer__isnull=False)
        .exclude(pk__in=[buddying.newcomer_id, buddying.buddy_id])
        .select_related("department")
        .order_by("full_name", "pk")[:limit]
    )


# --- The admin page ------------------------------------------------------------------------------------------


def integration_report(*, today: dt.date, months: int = COHORT_MONTHS) -> dict[str, Any]:
    """Cohorts by start month over the last ``months`` months, each beside the cohorts before it, and how
    many current newcomers have made no connection after three weeks (a count: who they are is for their
    manager and buddy only). A fixed number of queries."""
    since = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    arrivals_qs = Profile.objects.filter(is_active=True, start_date__gte=since, start_date__lte=today)
    ids = arrivals_qs.values("pk")
    config = welcome_settings()
    facts = facts_for(ids, hello_thread_id=config.hello_thread_id)
    firsts = firsts_for(ids)
    arrivals = []
    newcomer_window = newcomer_since(today, newcomer_days())
    nudges = 0
    for pk, start in arrivals_qs.values_list("pk", "start_date"):
        if start is None:  # never: the filter above wants a start date
            continue
        done = frozenset(step.key for step in rules.checklist(facts.get(pk, rules.MemberFacts())).steps if step.done)
        first = firsts.get(pk, Firsts())
        arrivals.append(cohort_rules.Arrival(
            member_id=pk, start_date=start, steps_done=done,
            first_group=first.group, first_event=first.event, first_cross_tie=first.cross_tie,
        ))
        if start >= newcomer_window and rules.needs_nudge(start_date=start, today=today, first_connection=first.connection):
            nudges += 1
    cohorts = cohort_rules.cohorts(arrivals)
    rows = [
        {"cohort": cohort, "changes": cohort_rules.compared(cohort, cohorts[i + 1:])}
        for i, cohort in enumerate(cohorts)
    ]
    return {
        "rows": rows,
        "nudges": nudges,
        "buddies_offered": BuddyOffer.objects.filter(profile__is_active=True).count(),
        "newcomers_with_buddy": Buddying.objects.filter(newcomer__in=newcomers_queryset(today)).count(),
        "newcomers": newcomers_queryset(today).count(),
        "since": since,
    }

