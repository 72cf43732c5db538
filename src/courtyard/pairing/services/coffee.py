"""Coffee rounds: running a round once (claimed under the program's row lock), finding the rounds due,
"did you meet?" and its answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.audit import audit_record
from courtyard.core.errors import ApplicationError, Conflict
from courtyard.core.models import Interaction, Participation
from courtyard.core.validation import clean_text
from courtyard.groups import selectors as groups_selectors
from courtyard.pairing import adapters, notify
from courtyard.pairing.access import check, standing
from courtyard.pairing.domain import coffee_round, policy, schedule
from courtyard.pairing.domain.types import CoffeeRules, Person
from courtyard.pairing.models import CoffeeMatch, CoffeeMatchMember, CoffeeRound, DoNotPair, Program, Signup
from courtyard.pairing.services._common import _rng, _schedule_next
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile

HISTORY_ROUNDS = 52  # rounds of history the engine sees (a year of weekly rounds): "met before" beyond the look-back
FOLLOW_UP_AFTER = dt.timedelta(days=4)  # "did you meet?" this long after a round


# --- Coffee rounds ----------------------------------------------------------------------------


def _coffee_history(program: Program, before: dt.date) -> dict[frozenset[int], int]:
    """Unordered pair -> how many rounds ago they were last put together in this program (1 = last round)."""
    rounds = list(
        CoffeeRound.objects.filter(program=program, round_date__lt=before, status=CoffeeRound.Status.DONE)
        .order_by("-round_date").values_list("pk", flat=True)[:HISTORY_ROUNDS]
    )
    ago = {pk: index for index, pk in enumerate(rounds, 1)}
    members: dict[int, list[int]] = defaultdict(list)
    match_round: dict[int, int] = {}
    for match_id, round_id, profile_id in CoffeeMatchMember.objects.filter(round_id__in=rounds).values_list(
        "match_id", "round_id", "profile_id"
    ):
        members[match_id].append(profile_id)
        match_round[match_id] = round_id
    history: dict[frozenset[int], int] = {}
    for match_id, people in members.items():
        rounds_ago = ago[match_round[match_id]]
        for a, b in itertools.combinations(people, 2):
            key = frozenset((a, b))
            if key not in history or history[key] > rounds_ago:
                history[key] = rounds_ago
    return history


def _coffee_participants(program: Program, today: dt.date, at: dt.datetime) -> list[Person]:
    signups = Signup.objects.filter(program=program, role=Signup.Role.COFFEE, withdrawn_at__isnull=True).filter(
        Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today)
    )
    if program.group_id is not None:
        signups = signups.filter(profile_id__in=groups_selectors.active_member_ids([program.group_id]))
    ids = signups.values("profile_id")
    people = adapters.people_for(ids, today=today, at=at)
    if program.scope == Program.Scope.CROSS:
        side_a = adapters.side_members(program.side_a, ids, today=today)
        side_b = adapters.side_members(program.side_b, ids, today=today) - side_a
        sided = []
        for pk in sorted(people):
            side = "a" if pk in side_a else "b" if pk in side_b else ""
            if side:
                sided.append(dataclasses.replace(people[pk], side=side))
        return sided
    return [people[pk] for pk in sorted(people)]


def _do_not_pair(program_people: Iterable[int]) -> frozenset[frozenset[int]]:
    ids = list(program_people)
    rows = DoNotPair.objects.filter(profile_id__in=ids, other_id__in=ids).values_list("profile_id", "other_id")
    return frozenset(frozenset(row) for row in rows)


def coffee_round_run(*, program_id: int, round_date: dt.date, actor: User | None = None) -> CoffeeRound | None:
    """Pair a coffee program's participants for the round of ``round_date``, once.

    The (program, round date) row is claimed under the program's row lock and a unique constraint: a
    retried or duplicated job finds the round done and changes nothing. Returns the round, or None when
    this call did not run it (done before, or the program is not running)."""
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(pk=program_id, kind=Program.Kind.COFFEE).first()
        if program is None:
            return None
        if actor is None and program.status != Program.Status.OPEN:
            return None
        if CoffeeRound.objects.filter(program=program, round_date=round_date).exists():
            return None
        now = clock.now()
        try:
            with transaction.atomic():
                coffee = CoffeeRound.objects.create(program=program, round_date=round_date, started_at=now)
        except IntegrityError:
            return None  # another worker claimed it between our check and insert (no row lock on SQLite)
        moment = schedule.round_moment(round_date, program.local_time, program.timezone)
        people = _coffee_participants(program, round_date, moment)
        rules = CoffeeRules(
            lookback_rounds=program.lookback_rounds, group_size=program.group_size,
            do_not_pair=_do_not_pair(p.id for p in people), cross=program.scope == Program.Scope.CROSS,
        )
        result = coffee_round(people, history=_coffee_history(program, round_date), rules=rules,
                              rng=_rng("coffee", program.pk, round_date.isoformat()))
        _coffee_store(program, coffee, result.groups, people, now)
        coffee.status = CoffeeRound.Status.DONE
        coffee.finished_at = clock.now()
        coffee.participants = len(people)
        coffee.groups = len(result.groups)
        coffee.unmatched = len(result.unmatched)
        coffee.total_score = float(result.stats.total_score)
        coffee.method = result.stats.method[:40]
        coffee.save()
        if program.status == Program.Status.OPEN:
            _schedule_next(program, max(now, moment))
            program.save(update_fields=["next_round_at"])
        audit_record(action="pairing.round.ran", actor=actor, target=program,
                     data={"round": coffee.pk, "date": round_date.isoformat(), "groups": coffee.groups})
        return coffee


def _coffee_store(program: Program, coffee: CoffeeRound, groups: Iterable[Any], people: list[Person],
                  now: dt.datetime) -> None:
    by_id = {p.id: p for p in people}
    rng = _rng("starter", program.pk, coffee.round_date.isoformat())
    profiles = {p.pk: p for p in Profile.objects.filter(pk__in=[p.id for p in people]).select_related("user")}
    matches: list[CoffeeMatch] = []
    member_lists: list[tuple[int, ...]] = []
    for group in groups:
        ids = tuple(group.member_ids)
        shared = frozenset.intersection(*(by_id[i].interests for i in ids)) if ids else frozenset()
        departments = {by_id[i].department_id for i in ids}
        matches.append(CoffeeMatch(
            program=program, round=coffee, score=float(group.score), reasons=adapters.reasons_json(group.reasons),
            starter=schedule.conversation_starter(sorted(shared), rng)[:300], created_at=now,
            crosses_departments=len(departments) > 1 and None not in departments,
        ))
        member_lists.append(ids)
    CoffeeMatch.objects.bulk_create(matches, batch_size=1000)
    CoffeeMatchMember.objects.bulk_create(
        [CoffeeMatchMember(match=m, round=coffee, program=program, profile_id=pk)
         for m, ids in zip(matches, member_lists, strict=True) for pk in ids],
        batch_size=2000,
    )
    Participation.objects.bulk_create(
        [Participation(member_id=pk, verb="paired", department_id=by_id[pk].department_id, occurred_at=now,
                       group_id=program.group_id, program_id=program.pk, object_type="coffee_match", object_id=m.pk)
         for m, ids in zip(matches, member_lists, strict=True) for pk in ids],
        batch_size=2000,
    )
    for match, ids in zip(matches, member_lists, strict=True):
        notify.coffee_paired(program_name=program.name, match_id=match.pk,
                             members=[profiles[pk] for pk in ids if pk in profiles], starter=match.starter)


def coffee_round_run_now(*, actor: User, program: Program) -> CoffeeRound:
    """The organizer runs today's round by hand (a scheduled round on the same date then does nothing)."""
    check(policy.can_run(standing(actor, program)), _("Only the program's owner can run a round."))
    today = clock.today_in(program.timezone)
    coffee = coffee_round_run(program_id=program.pk, round_date=today, actor=actor)
    if coffee is None:
        raise Conflict(_("Today's round already ran."), code="round_done")
    return coffee


def coffee_rounds_due(*, now: dt.datetime | None = None) -> list[tuple[int, dt.date]]:
    """(program id, round date) of every coffee round whose time has come."""
    now = now or clock.now()
    due = Program.objects.filter(kind=Program.Kind.COFFEE, status=Program.Status.OPEN, next_round_at__lte=now)
    return [(pk, schedule.round_date_of(at, tz)) for pk, at, tz in due.values_list("pk", "next_round_at", "timezone")
            if at is not None]


@transaction.atomic
def coffee_outcome_set(*, actor: User, match: CoffeeMatch, met: bool) -> CoffeeMatch:
    """Either person answers "did you meet?". "We met" records the facts: everyone met, and every pair
    interacted (both ways). A meeting confirmed stays confirmed."""
    profile = actor_profile(actor)
    match = CoffeeMatch.objects.select_for_update().get(pk=match.pk)
    member_ids = list(CoffeeMatchMember.objects.filter(match=match).values_list("profile_id", flat=True))
    check(profile.pk in member_ids, _("Only the people of this match can answer."))
    if match.outcome == CoffeeMatch.Outcome.MET:
        return match
    wanted = CoffeeMatch.Outcome.MET if met else CoffeeMatch.Outcome.NOT_MET
    if match.outcome == wanted:
        return match
    now = clock.now()
    match.outcome = wanted
    match.answered_by = profile
    match.answered_at = now
    match.save(update_fields=["outcome", "answered_by", "answered_at"])
    audit_record(action="pairing.coffee.answered", actor=actor, target=match, data={"met": met})
    if met:
        departments = dict(Profile.objects.filter(pk__in=member_ids).values_list("pk", "department_id"))
        program = match.program
        Participation.objects.bulk_create([
            Participation(member_id=pk, verb="met", department_id=departments.get(pk), occurred_at=now,
                          group_id=program.group_id, program_id=program.pk, object_type="coffee_match",
                          object_id=match.pk)
            for pk in member_ids
        ])
        Interaction.objects.bulk_create([
            Interaction(actor_id=a, other_id=b, kind="coffee_met", actor_department_id=departments.get(a),
                        other_department_id=departments.get(b), occurred_at=now, group_id=program.group_id,
                        program_id=program.pk)
            for a, b in itertools.permutations(member_ids, 2)
        ])
    return match


SUGGEST_AHEAD = dt.timedelta(days=90)  # how far ahead a coffee time may be suggested
MEET_MINUTES = (15, 30, 45, 60)


def coffee_time_suggest(*, actor: User, match: CoffeeMatch, start: dt.datetime, minutes: int, note: str = "",
                        notify_others: bool = False) -> CoffeeMatch:
    """One person of the match suggests when to meet: the suggestion replaces the last one (its calendar entry
    keeps its UID and gets a higher sequence, so calendars move it) and, if asked, the others hear of it."""
    if start.tzinfo is None:
        raise ApplicationError(_("Give the time with its time zone."), code="invalid")
    if minutes not in MEET_MINUTES:
        raise ApplicationError(_("Choose 15, 30, 45 or 60 minutes."), code="invalid")
    now = clock.now()
    if start < now:
        raise ApplicationError(_("Suggest a time that has not passed yet."), code="invalid")
    if start > now + SUGGEST_AHEAD:
        raise ApplicationError(_("Suggest a time within the next 90 days."), code="invalid")
    note = clean_text((note or "").strip(), field=_("The note"))
    if len(note) > 200:
        raise ApplicationError(_("Keep the note under 200 characters."), code="invalid")
    profile = actor_profile(actor)
    with transaction.atomic():
        match = CoffeeMatch.objects.select_for_update().select_related("program").get(pk=match.pk)
        members = list(
            Profile.objects.filter(coffee_matches__match=match).select_related("user").order_by("full_name")
        )
        check(any(p.pk == profile.pk for p in members), _("Only the people of this match can suggest a time."))
        match.meet_at = start
        match.meet_minutes = minutes
        match.meet_note = note
        match.meet_suggested_by = profile
        match.meet_sequence += 1
        match.save(update_fields=["meet_at", "meet_minutes", "meet_note", "meet_suggested_by", "meet_sequence"])
        audit_record(action="pairing.coffee.time_suggested", actor=actor, target=match,
                     data={"start": start.isoformat(), "minutes": minutes, "notified": notify_others})
        if notify_others:
            others = [p for p in members if p.pk != profile.pk]
            transaction.on_commit(lambda: notify.coffee_time_suggested(
                program_name=match.program.name, match_id=match.pk, suggested_by=profile, others=others, start=start,
            ))
    return match


def coffee_follow_ups_send(*, now: dt.datetime | None = None) -> int:
    """Ask "did you meet?" of every unanswered match of rounds that ran FOLLOW_UP_AFTER ago, once per round
    (the round is claimed by setting its mark in one conditional update). Returns how many matches were asked."""
    now = now or clock.now()
    asked = 0
    due = CoffeeRound.objects.filter(status=CoffeeRound.Status.DONE, follow_up_sent_at__isnull=True,
                                     started_at__lte=now - FOLLOW_UP_AFTER)
    for round_id in list(due.values_list("pk", flat=True)[:200]):
        with transaction.atomic():
            claimed = CoffeeRound.objects.filter(pk=round_id, follow_up_sent_at__isnull=True).update(follow_up_sent_at=now)
            if not claimed:
                continue
            members: dict[int, list[Profile]] = defaultdict(list)
            rows = CoffeeMatchMember.objects.filter(round_id=round_id, match__outcome="").select_related(
                "profile", "profile__user")
            for row in rows:
                members[row.match_id].append(row.profile)
            for match_id, people in members.items():
                notify.coffee_follow_up(match_id=match_id, members=people)
                asked += 1
    return asked
