"""Every write of the newcomer journey: dismissing the card, offering to be a buddy, assigning and changing
buddies, and saying that a newcomer and their buddy met.

Buddies are chosen by the pairing engine (``mentorship_assign``) with its hard rules as they are: never in
the newcomer's reporting line, never across a do-not-pair entry (see ``domain/buddies.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.activity import interaction_record
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, PermissionDenied
from courtyard.core.models import Interaction
from courtyard.core.ratelimit import ratelimit_check
from courtyard.pairing import adapters
from courtyard.pairing.domain import mentorship_assign, mentorship_pair_blocker
from courtyard.pairing.domain.types import Match, Mentee, Mentor, MentorshipRules, Person
from courtyard.pairing.models import DoNotPair
from courtyard.people.domain.directory import is_newcomer, newcomer_since
from courtyard.people.models import Profile
from courtyard.welcome import notify
from courtyard.welcome.access import actor_profile, can_change_buddy, can_mark_met
from courtyard.welcome.domain import buddies as buddy_rules
from courtyard.welcome.domain.checklist import needs_nudge
from courtyard.welcome.models import Buddying, BuddyOffer, Journey
from courtyard.welcome.selectors import Firsts, firsts_for, newcomer_days, newcomers_queryset

RULES = MentorshipRules(respect_capacity=True, require_shared_language=True, forbid_reporting_line=True)


def _journey(profile: Profile) -> Journey:
    journey, _created = Journey.objects.get_or_create(profile=profile)
    return journey


# --- The member's own journey ---------------------------------------------------------------------------------


@transaction.atomic
def journey_dismiss(*, actor: User, dismissed: bool) -> Journey:
    """Hide the checklist card (or show it again). Progress is not touched: it lives in the facts."""
    profile = actor_profile(actor)
    if not is_newcomer(profile.start_date, clock.now().date(), newcomer_days()):
        raise ApplicationError(_("Only newcomers have a checklist."), code="not_newcomer")
    journey = Journey.objects.select_for_update().filter(pk=_journey(profile).pk).get()
    journey.dismissed_at = clock.now() if dismissed else None
    journey.save(update_fields=["dismissed_at"])
    return journey


@transaction.atomic
def buddy_offer_set(*, actor: User, offered: bool, capacity: int = buddy_rules.DEFAULT_CAPACITY) -> BuddyOffer | None:
    """"I'd be a buddy": offer (or stop offering). Newcomers already paired keep their buddy."""
    profile = actor_profile(actor)
    if not offered:
        BuddyOffer.objects.filter(profile=profile).delete()
        audit_record(action="welcome.buddy_offer.withdrawn", actor=actor, target=profile)
        return None
    if not 1 <= capacity <= buddy_rules.MAX_CAPACITY:
        raise ApplicationError(
            _("A buddy looks after 1 to %(most)s newcomers at a time.") % {"most": buddy_rules.MAX_CAPACITY},
            code="invalid_capacity",
        )
    today = clock.now().date()
    if profile.start_date is not None and (
        is_newcomer(profile.start_date, today, newcomer_days()) or profile.start_date > today
    ):
        raise ApplicationError(
            _("Buddies are colleagues who have been here a while: you can offer once your first %(days)s days are over.")
            % {"days": newcomer_days()},
            code="newcomer",
        )
    offer, _created = BuddyOffer.objects.update_or_create(
        profile=profile, defaults={"capacity": capacity}, create_defaults={"capacity": capacity, "created_at": clock.now()}
    )
    audit_record(action="welcome.buddy_offer.set", actor=actor, target=profile, data={"capacity": capacity})
    return offer


def buddy_request(*, actor: User) -> Buddying | None:
    """A newcomer asks for a buddy (the way in for someone who hides their start date: nobody is told they
    are new unless they ask). Finds one now when someone fits; otherwise the daily job keeps trying."""
    profile = actor_profile(actor)
    today = clock.now().date()
    if not is_newcomer(profile.start_date, today, newcomer_days()):
        raise ApplicationError(_("Buddies are for newcomers in their first %(days)s days.") % {"days": newcomer_days()},
                               code="not_newcomer")
    with transaction.atomic():
        journey = Journey.objects.select_for_update().filter(pk=_journey(profile).pk).get()
        if journey.buddy_asked_at is None:
            journey.buddy_asked_at = clock.now()
            journey.save(update_fields=["buddy_asked_at"])
            audit_record(action="welcome.buddy.asked", actor=actor, target=profile)
    buddies_assign(today=today, newcomer_ids=[profile.pk])
    return Buddying.objects.filter(newcomer=profile).first()


# --- Assigning buddies -----------------------------------------------------------------------------------------


def _seasoned(profile_start: dt.date | None, today: dt.date) -> bool:
    return profile_start is None or profile_start < newcomer_since(today, newcomer_days())


def _waiting(today: dt.date, newcomer_ids: Iterable[int] | None) -> list[int]:
    """Newcomers without a buddy who may get one: their start date is visible, or they asked."""
    waiting = newcomers_queryset(today).filter(buddying__isnull=True)
    if newcomer_ids is not None:
        waiting = waiting.filter(pk__in=list(newcomer_ids))
    rows = waiting.values_list("pk", "hidden_fields", "journey__buddy_asked_at")
    return sorted(pk for pk, hidden, asked in rows if "start_date" not in (hidden or []) or asked is not None)


def _available_buddies(today: dt.date) -> dict[int, int]:
    """Buddy profile id -> places left (capacity minus the newcomers they look after now)."""
    current = newcomers_queryset(today).values("pk")
    offers = (
        BuddyOffer.objects.filter(profile__is_active=True)
        .annotate(load=Count("profile__buddy_of", filter=Q(profile__buddy_of__newcomer__in=current)))
        .values_list("profile_id", "capacity", "load", "profile__start_date")
    )
    return {pk: capacity - load for pk, capacity, load, start in offers if capacity > load and _seasoned(start, today)}


def _do_not_pair(newcomer_ids: list[int]) -> set[tuple[int, int]]:
    rows = DoNotPair.objects.filter(Q(profile_id__in=newcomer_ids) | Q(other_id__in=newcomer_ids)).values_list(
        "profile_id", "other_id"
    )
    return buddy_rules.forbidden_pairs(newcomer_ids, rows)


def _solve(
    newcomers: list[Person], places: dict[int, int], people: dict[int, Person], managers: dict[int, int | None],
    forbidden: set[tuple[int, int]],
) -> list[Match]:
    mentees = [Mentee(person=p, same_location=True if p.location_id is not None else None) for p in newcomers]
    mentors = [Mentor(person=people[pk], capacity=min(left, buddy_rules.MAX_CAPACITY))
               for pk, left in sorted(places.items()) if left > 0 and pk in people]
    if not mentees or not mentors:
        return []
    result = mentorship_assign(
        mentees, mentors, managers=managers, rules=RULES, weights=buddy_rules.BUDDY_WEIGHTS,
        mode="leave_nobody_unmatched", forbidden=forbidden, rng=random.Random(0),  # noqa: S311 - the engine is exact and draws nothing
    )
    return list(result.matches)


def buddies_assign(*, today: dt.date, newcomer_ids: Iterable[int] | None = None) -> list[Buddying]:
    """Give a buddy to every newcomer who may have one and has none yet, as far as buddies are available.
    Safe to run twice or concurrently: a newcomer's buddy is one unique row, and only who gets a new row is
    told. First pass: a buddy from another team; second pass, for whoever is left: any that fits the rules."""
    waiting = _waiting(today, newcomer_ids)
    places = _available_buddies(today)
    places = {pk: left for pk, left in places.items() if pk not in set(waiting)}
    if not waiting or not places:
        return []
    at = clock.now()
    people = adapters.people_for(list(waiting) + list(places), today=today, at=at, with_small_groups=False)
    managers = adapters.reporting_lines(list(people))
    dnp = _do_not_pair(waiting)
    teams = {pk: p.team_id for pk, p in people.items()}
    newcomers = [people[pk] for pk in waiting if pk in people]
    matches = _solve(newcomers, places, people, managers,
                     dnp | buddy_rules.same_team_pairs(teams, waiting, places))
    for match in matches:
        places[match.mentor_id] -= 1
    matched = {m.mentee_id for m in matches}
    left = [p for p in newcomers if p.id not in matched]
    if left:
        matches += _solve(left, places, people, managers, dnp)
    made: list[Buddying] = []
    with transaction.atomic():
        for match in sorted(matches, key=lambda m: m.mentee_id):
            newcomer, buddy = people[match.mentee_id], people[match.mentor_id]
            why = buddy_rules.why(match.reasons, sorted(newcomer.interests & buddy.interests))
            buddying, created = Buddying.objects.get_or_create(
                newcomer_id=match.mentee_id,
                defaults={"buddy_id": match.mentor_id, "why": why[:300], "assigned_at": at,
                          "reasons": [{"label": r.label, "points": r.points} for r in match.reasons]},
            )
            if created:
                audit_record(action="welcome.buddy.assigned", target=buddying,
                             data={"newcomer": match.mentee_id, "buddy": match.mentor_id})
                made.append(buddying)
        ids = [b.pk for b in made]
        transaction.on_commit(lambda: notify.buddies_introduced(buddying_ids=ids, changed_by=None))
    return made


def buddy_blocker(newcomer: Profile, buddy: Profile, *, today: dt.date) -> str | None:
    """Why ``buddy`` may not be ``newcomer``'s buddy, in words, or None: the engine's hard rules, plus
    being an opted-in, active, seasoned colleague."""
    if buddy.pk == newcomer.pk:
        return _("A newcomer cannot be their own buddy.")
    if not buddy.is_active:
        return _("%(name)s is no longer in the directory.") % {"name": buddy.display_name}
    if not BuddyOffer.objects.filter(profile=buddy).exists():
        return _("%(name)s has not offered to be a buddy.") % {"name": buddy.display_name}
    if not _seasoned(buddy.start_date, today):
        return _("%(name)s is a newcomer too.") % {"name": buddy.display_name}
    if _do_not_pair([newcomer.pk]) & {(newcomer.pk, buddy.pk)}:
        return _("One of them asked never to be paired with the other.")
    people = adapters.people_for([newcomer.pk, buddy.pk], today=today, at=clock.now(), with_small_groups=False)
    managers = adapters.reporting_lines([newcomer.pk, buddy.pk])
    blocker = mentorship_pair_blocker(Mentee(person=people[newcomer.pk]), Mentor(person=people[buddy.pk]),
                                      managers=managers, rules=RULES)
    if blocker == "reporting line":
        return _("A buddy is never the newcomer's manager, nor anyone above them.")
    if blocker == "no shared language":
        return _("They share no language.")
    return None


def buddy_change(*, actor: User, buddying: Buddying, buddy: Profile) -> Buddying:
    """The newcomer's manager or an admin picks another buddy. The same hard rules as the engine's apply.
    Returns the new pairing."""
    if not can_change_buddy(actor, buddying):
        raise PermissionDenied(_("Only the newcomer's manager or a community admin can change their buddy."))
    if buddy.pk == buddying.buddy_id:
        raise ApplicationError(_("%(name)s is already the buddy.") % {"name": buddy.display_name}, code="unchanged")
    today = clock.now().date()
    problem = buddy_blocker(buddying.newcomer, buddy, today=today)
    if problem:
        raise ApplicationError(problem, code="not_allowed_buddy")
    with transaction.atomic():
        # A new pairing replaces the old one (a new row: the old buddy no longer reads it, and the newcomer
        # is introduced again even when the first introduction was recent).
        locked = Buddying.objects.select_for_update().filter(pk=buddying.pk).first()
        if locked is None:
            raise ApplicationError(_("This pairing changed meanwhile; reload the page."), code="conflict", status=409)
        previous = locked.buddy_id
        locked.delete()
        people = adapters.people_for([buddying.newcomer_id, buddy.pk], today=today, at=clock.now(), with_small_groups=False)
        shared = sorted(people[buddying.newcomer_id].interests & people[buddy.pk].interests)
        why = _("chosen by %(name)s") % {"name": actor_profile(actor).display_name} + "; " + buddy_rules.why((), shared)
        made = Buddying.objects.create(
            newcomer_id=buddying.newcomer_id, buddy=buddy, why=why[:300], reasons=[], assigned_at=clock.now(),
            assigned_by=actor,
        )
        audit_record(action="welcome.buddy.changed", actor=actor, target=made, data={"from": previous, "to": buddy.pk})
        transaction.on_commit(lambda: notify.buddies_introduced(buddying_ids=[made.pk], changed_by=actor))
    return made


@transaction.atomic
def buddy_met(*, actor: User, buddying: Buddying) -> bool:
    """The newcomer or their buddy says they met: one interaction fact each way (a tie in the ledger), at
    most once a day. Returns whether facts were written."""
    if not can_mark_met(actor, buddying):
        raise PermissionDenied(_("Only the newcomer and their buddy say whether they met."))
    ratelimit_check(scope="welcome.met", key=actor.pk, limits=((20, 3600),))
    now = clock.now()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    Buddying.objects.select_for_update().filter(pk=buddying.pk).get()
    newcomer, buddy = buddying.newcomer, buddying.buddy
    if Interaction.objects.filter(actor_id=newcomer.pk, other_id=buddy.pk, kind="buddy_met",
                                  occurred_at__gte=day_start).exists():
        return False
    for a, b in ((newcomer, buddy), (buddy, newcomer)):
        interaction_record(actor_id=a.pk, other_id=b.pk, kind="buddy_met", actor_department_id=a.department_id,
                           other_department_id=b.department_id, occurred_at=now)
    audit_record(action="welcome.buddy.met", actor=actor, target=buddying)
    return True


def nudges_send(*, today: dt.date) -> int:
    """Tell the manager and buddy of each newcomer who has made no connection after three weeks (from the
    facts: any tie, made or received; never survey answers), once per newcomer. Only newcomers with a buddy:
    the pairing is what both may read, and its existence means the newcomer's start date is no secret to them.
    Safe to run twice or concurrently: each newcomer's nudge is claimed by a conditional update."""
    waiting = newcomers_queryset(today).filter(buddying__isnull=False).exclude(journey__nudged_at__isnull=False)
    starts = dict(waiting.values_list("pk", "start_date"))
    firsts = firsts_for(waiting.values("pk"))
    due = [
        pk for pk, start in sorted(starts.items())
        if start is not None
        and needs_nudge(start_date=start, today=today, first_connection=firsts.get(pk, Firsts()).connection)
    ]
    sent = 0
    for pk in due:
        with transaction.atomic():
            Journey.objects.get_or_create(profile_id=pk)
            if not Journey.objects.filter(profile_id=pk, nudged_at__isnull=True).update(nudged_at=clock.now()):
                continue  # another run claimed it
            buddying_id = Buddying.objects.filter(newcomer_id=pk).values_list("pk", flat=True).first()
            if buddying_id is not None:
                transaction.on_commit(functools.partial(notify.newcomer_nudged, buddying_id=buddying_id))
                sent += 1
    return sent


def assign_new_arrivals() -> int:
    """The daily job: buddies for newcomers who have none yet."""
    return len(buddies_assign(today=clock.now().date()))

