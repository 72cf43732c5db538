"""Mentorship cohorts: the whole-cohort assignment, the owner's review and publication, and what a pair
does afterwards (check-ins, progress, rematch, completion, the pulse).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.activity import interaction_record, participation_record
from courtyard.core.audit import audit_record
from courtyard.core.domain.anonymity import coarse_date
from courtyard.core.errors import ApplicationError, Conflict
from courtyard.core.markdown import render_markdown
from courtyard.pairing import adapters, notify
from courtyard.pairing.access import check, standing
from courtyard.pairing.domain import (
    mentorship_assign,
    mentorship_pair_blocker,
    mentorship_pair_score,
    policy,
    schedule,
)
from courtyard.pairing.domain.types import Mentee, Mentor, MentorshipRules, MentorshipWeights
from courtyard.pairing.models import Checkin, MentorshipMatch, Program, PulseAnswer, PulseResponse, Signup
from courtyard.pairing.services._common import _clean_text, _rng
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile
from courtyard.recognition.services import celebration_milestone_record

MENTORSHIP_WEIGHT_FIELDS = (
    "skill_fit", "department_difference", "seniority_gap", "timezone_overlap", "language", "preference",
    "preferred_mentor",
)


# --- Mentorship -------------------------------------------------------------------------------


def _mentorship_weights(program: Program) -> MentorshipWeights:
    known = {k: float(v) for k, v in (program.weights or {}).items() if k in MENTORSHIP_WEIGHT_FIELDS}
    return MentorshipWeights(**known)


def _mentorship_rules(program: Program) -> MentorshipRules:
    return MentorshipRules(respect_capacity=True, require_shared_language=program.require_shared_language,
                           forbid_reporting_line=True)


def _preference(value: str) -> bool | None:
    return {"same": True, "different": False}.get(value)


def mentorship_inputs(program: Program, signups: Iterable[Signup] | None = None) -> dict[str, Any]:
    """The engine's view of a cohort: mentees, mentors (by person id) and the reporting lines above them."""
    today = clock.now().date()
    rows = list(signups) if signups is not None else list(
        Signup.objects.filter(program=program, withdrawn_at__isnull=True, role__in=[Signup.Role.MENTOR, Signup.Role.MENTEE])
        .prefetch_related("skills", "preferred_mentors")
    )
    people = adapters.people_for([s.profile_id for s in rows], today=today, at=clock.now(), with_skills=True,
                                 with_small_groups=False)
    mentees: dict[int, Mentee] = {}
    mentors: dict[int, Mentor] = {}
    for signup in rows:
        person = people.get(signup.profile_id)
        if person is None:
            continue  # deactivated
        skills = frozenset(t.name for t in signup.skills.all())
        if signup.role == Signup.Role.MENTEE:
            mentees[person.id] = Mentee(
                person=person, goals=tuple(line.strip() for line in signup.goals.splitlines() if line.strip()),
                skills_wanted=skills, same_location=_preference(signup.location_preference),
                same_department=_preference(signup.department_preference),
                preferred_mentor_ids=tuple(p.pk for p in signup.preferred_mentors.all()),
            )
        else:
            topics = frozenset(t.strip() for t in signup.topics.split(",") if t.strip())
            mentors[person.id] = Mentor(person=person, capacity=signup.capacity, offers=skills | topics,
                                        languages=schedule.parse_languages(signup.languages))
    return {
        "mentees": mentees, "mentors": mentors,
        "managers": adapters.reporting_lines(list(mentees) + list(mentors)),
        "signups": {s.profile_id: s for s in rows},
    }


def _published_matches(program: Program) -> list[MentorshipMatch]:
    return list(MentorshipMatch.objects.filter(program=program, status=MentorshipMatch.Status.PUBLISHED)
                .select_related("mentor__profile", "mentee__profile"))


@transaction.atomic
def mentorship_run(*, actor: User, program: Program) -> dict[str, Any]:
    """Whole-cohort assignment. Published and locked matches stay as they are; every other draft is
    re-optimized; pairs that ended in a rematch are never made again."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    current = standing(actor, program)
    check(policy.can_run(current), _("Only the program's owner can run the assignment."))
    if program.kind != Program.Kind.MENTORSHIP:
        raise ApplicationError(_("This is not a mentorship program."), code="wrong_kind")
    MentorshipMatch.objects.filter(program=program, status=MentorshipMatch.Status.DRAFT, locked=False).delete()
    kept = list(MentorshipMatch.objects.filter(program=program, status__in=[MentorshipMatch.Status.DRAFT,
                                                                              MentorshipMatch.Status.PUBLISHED])
                .select_related("mentor", "mentee"))
    inputs = mentorship_inputs(program)
    mentees, mentors = inputs["mentees"], inputs["mentors"]
    locked = [(m.mentee.profile_id, m.mentor.profile_id) for m in kept
              if m.mentee.profile_id in mentees and m.mentor.profile_id in mentors]
    ended = MentorshipMatch.objects.filter(program=program, status=MentorshipMatch.Status.ENDED).values_list(
        "mentee__profile_id", "mentor__profile_id")
    try:
        result = mentorship_assign(
            list(mentees.values()), list(mentors.values()), managers=inputs["managers"],
            rules=_mentorship_rules(program), weights=_mentorship_weights(program),
            mode=program.objective,  # type: ignore[arg-type]
            locked=locked, forbidden=set(ended), rng=_rng("mentorship", program.pk),
        )
    except ValueError as error:
        raise Conflict(_("A locked match breaks a rule or a capacity: %(why)s") % {"why": error},
                       code="locked_invalid") from None
    kept_pairs = set(locked)
    signups = inputs["signups"]
    now = clock.now()
    created = [
        MentorshipMatch(program=program, mentor=signups[m.mentor_id], mentee=signups[m.mentee_id], score=float(m.score),
                        reasons=adapters.reasons_json(m.reasons), created_at=now)
        for m in result.matches if (m.mentee_id, m.mentor_id) not in kept_pairs
    ]
    MentorshipMatch.objects.bulk_create(created)
    # Refresh the explanation of locked drafts: weights may have changed since.
    scores = {(m.mentee_id, m.mentor_id): m for m in result.matches}
    for match in kept:
        found = scores.get((match.mentee.profile_id, match.mentor.profile_id))
        if found is not None and match.status == MentorshipMatch.Status.DRAFT:
            match.score, match.reasons = float(found.score), adapters.reasons_json(found.reasons)
            match.save(update_fields=["score", "reasons"])
    program.status = Program.Status.REVIEW
    program.save(update_fields=["status"])
    audit_record(action="pairing.mentorship.ran", actor=actor, target=program,
                 data={"matches": len(result.matches), "unmatched": len(result.unmatched), "method": result.method})
    return {"matches": len(result.matches), "new": len(created), "unmatched": list(result.unmatched),
            "total_score": float(result.total_score)}


def _draft(actor: User, match: MentorshipMatch) -> Program:
    program = match.program
    check(policy.can_review(standing(actor, program)), _("Only the program's owner reviews the draft."))
    if match.status != MentorshipMatch.Status.DRAFT:
        raise Conflict(_("That match is already published."), code="published")
    return program


@transaction.atomic
def mentorship_match_lock(*, actor: User, match: MentorshipMatch, locked: bool) -> MentorshipMatch:
    _draft(actor, match)
    if match.locked != locked:
        match.locked = locked
        match.save(update_fields=["locked"])
        audit_record(action="pairing.mentorship.locked" if locked else "pairing.mentorship.unlocked", actor=actor,
                     target=match)
    return match


@transaction.atomic
def mentorship_match_swap(*, actor: User, match: MentorshipMatch, mentor: Signup) -> MentorshipMatch:
    """Give a mentee another mentor by hand: checked against the hard rules and capacity, then locked."""
    program = _draft(actor, match)
    if mentor.program_id != program.pk or mentor.role != Signup.Role.MENTOR or mentor.withdrawn_at is not None:
        raise ApplicationError(_("Choose a mentor of this program."), code="not_a_mentor")
    if mentor.pk == match.mentor_id:
        return match
    Signup.objects.select_for_update().filter(pk=mentor.pk).first()
    taken = MentorshipMatch.objects.filter(mentor=mentor, status__in=[MentorshipMatch.Status.DRAFT,
                                                                      MentorshipMatch.Status.PUBLISHED]).count()
    if taken >= mentor.capacity:
        raise Conflict(_("%(name)s already has %(n)d mentee(s), their capacity.")
                       % {"name": mentor.profile.display_name, "n": mentor.capacity}, code="capacity")
    inputs = mentorship_inputs(program, Signup.objects.filter(pk__in=[mentor.pk, match.mentee_id])
                               .prefetch_related("skills", "preferred_mentors"))
    mentee_input = inputs["mentees"].get(match.mentee.profile_id)
    mentor_input = inputs["mentors"].get(mentor.profile_id)
    if mentee_input is None or mentor_input is None:
        raise ApplicationError(_("That person is no longer active."), code="inactive")
    blocker = mentorship_pair_blocker(mentee_input, mentor_input, managers=inputs["managers"],
                                      rules=_mentorship_rules(program))
    if blocker:
        raise Conflict(_("Not possible: %(why)s.") % {"why": blocker}, code="hard_rule")
    fit = mentorship_pair_score(mentee_input, mentor_input, weights=_mentorship_weights(program))
    match.mentor = mentor
    match.score = float(fit.score)
    match.reasons = adapters.reasons_json(fit.reasons)
    match.locked = True
    match.save(update_fields=["mentor", "score", "reasons", "locked"])
    audit_record(action="pairing.mentorship.swapped", actor=actor, target=match, data={"mentor": mentor.profile_id})
    return match


@transaction.atomic
def mentorship_publish(*, actor: User, program: Program) -> int:
    """Publish the reviewed drafts: the pairs are told, and their check-ins begin."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    check(policy.can_review(standing(actor, program)), _("Only the program's owner publishes, after a run."))
    drafts = list(MentorshipMatch.objects.filter(program=program, status=MentorshipMatch.Status.DRAFT)
                  .select_related("mentor__profile__user", "mentee__profile__user"))
    now = clock.now()
    for match in drafts:
        match.status = MentorshipMatch.Status.PUBLISHED
        match.published_at = now
    MentorshipMatch.objects.bulk_update(drafts, ["status", "published_at"])
    program.status = Program.Status.PUBLISHED
    program.save(update_fields=["status"])
    audit_record(action="pairing.mentorship.published", actor=actor, target=program, data={"matches": len(drafts)})
    for match in drafts:
        notify.mentorship_published(program_name=program.name, match_id=match.pk, mentor=match.mentor.profile,
                                    mentee=match.mentee.profile, actor=actor)
    return len(drafts)


def _in_pair(actor: User, match: MentorshipMatch) -> Profile:
    profile = actor_profile(actor)
    check(profile.pk in (match.mentor.profile_id, match.mentee.profile_id), _("Only the mentor and the mentee can do that."))
    return profile


@transaction.atomic
def mentorship_rematch_request(*, actor: User, match: MentorshipMatch, reason: str = "") -> MentorshipMatch:
    """Either side ends the match and asks for another: the mentee is matched again at the next run, never
    with the same mentor; the owner is told."""
    profile = _in_pair(actor, match)
    match = MentorshipMatch.objects.select_for_update(of=("self",)).select_related("program", "program__owner__user",
                                                                       "mentor", "mentee").get(pk=match.pk)
    if match.status != MentorshipMatch.Status.PUBLISHED:
        raise Conflict(_("Only a running mentorship can be rematched."), code="not_running")
    match.status = MentorshipMatch.Status.ENDED
    match.ended_at = clock.now()
    match.rematch_requested_by = profile
    match.rematch_reason = _clean_text(reason, field=_("The reason"), max_length=500)
    match.save(update_fields=["status", "ended_at", "rematch_requested_by", "rematch_reason"])
    audit_record(action="pairing.mentorship.rematch_requested", actor=actor, target=match)
    notify.mentorship_rematch(program_id=match.program_id, program_name=match.program.name, owner=match.program.owner,
                              asked_by=profile)
    return match


@transaction.atomic
def checkin_add(*, actor: User, match: MentorshipMatch, met_on: dt.date, notes: str = "") -> Checkin:
    """Log a meeting. The notes are for the pair only; the facts say only that they met."""
    profile = _in_pair(actor, match)
    if match.status != MentorshipMatch.Status.PUBLISHED:
        raise Conflict(_("This mentorship is not running."), code="not_running")
    today = clock.now().date()
    if met_on > today + dt.timedelta(days=1) or met_on < today - dt.timedelta(days=366):
        raise ApplicationError(_("Give the date you met (within the past year)."), code="bad_date")
    notes = _clean_text(notes, field=_("The notes"), max_length=5000)
    checkin = Checkin.objects.create(match=match, author=profile, met_on=met_on, notes=notes,
                                     notes_html=str(render_markdown(notes)), created_at=clock.now())
    other = match.mentee.profile if profile.pk == match.mentor.profile_id else match.mentor.profile
    program = match.program
    participation_record(member_id=profile.pk, verb="mentoring_checkin", department_id=profile.department_id,
                         program_id=program.pk, group_id=program.group_id, object_type="mentorship",
                         object_id=match.pk)
    interaction_record(actor_id=profile.pk, other_id=other.pk, kind="mentoring_checkin",
                       actor_department_id=profile.department_id, other_department_id=other.department_id,
                       program_id=program.pk, group_id=program.group_id)
    audit_record(action="pairing.mentorship.checkin", actor=actor, target=match)
    return checkin


@transaction.atomic
def mentorship_progress_set(*, actor: User, match: MentorshipMatch, progress: int, note: str = "") -> MentorshipMatch:
    _in_pair(actor, match)
    if match.status != MentorshipMatch.Status.PUBLISHED:
        raise Conflict(_("This mentorship is not running."), code="not_running")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ApplicationError(_("Progress is a percentage from 0 to 100."), code="bad_progress")
    match.goal_progress = progress
    match.goal_note = _clean_text(note, field=_("The note"), max_length=500)
    match.save(update_fields=["goal_progress", "goal_note"])
    audit_record(action="pairing.mentorship.progress", actor=actor, target=match, data={"progress": progress})
    return match


def _mentorship_complete(match: MentorshipMatch, *, actor: User) -> None:
    now = clock.now()
    match.status = MentorshipMatch.Status.COMPLETED
    match.ended_at = now
    match.save(update_fields=["status", "ended_at"])
    program = match.program
    for signup in (match.mentor, match.mentee):
        person = signup.profile
        participation_record(member_id=person.pk, verb="completed_mentorship", department_id=person.department_id,
                             program_id=program.pk, group_id=program.group_id, object_type="mentorship",
                             object_id=match.pk, occurred_at=now)
        _celebrate(person, match, now)
    audit_record(action="pairing.mentorship.completed", actor=actor, target=match)


def _celebrate(person: Profile, match: MentorshipMatch, at: dt.datetime) -> None:
    """Recognition celebrates the milestone (once per person and program; it respects their opt-out)."""
    celebration_milestone_record(
        profile_id=person.pk, program_id=match.program_id, occurred_at=at,
        title=_("Completed a mentorship in %(program)s") % {"program": match.program.name},
    )


@transaction.atomic
def mentorship_complete(*, actor: User, match: MentorshipMatch) -> MentorshipMatch:
    """The mentor or mentee marks their mentorship complete."""
    _in_pair(actor, match)
    match = MentorshipMatch.objects.select_for_update(of=("self",)).select_related(
        "program", "mentor__profile", "mentee__profile").get(pk=match.pk)
    if match.status == MentorshipMatch.Status.COMPLETED:
        return match
    if match.status != MentorshipMatch.Status.PUBLISHED:
        raise Conflict(_("This mentorship is not running."), code="not_running")
    _mentorship_complete(match, actor=actor)
    return match


@transaction.atomic
def pulse_answer(*, actor: User, program: Program, phase: str, score: int, comment: str = "") -> None:
    """A participant's mid-point or final pulse. Who answered and what they answered are stored apart, with
    no key between them; the answer keeps only its date."""
    profile = actor_profile(actor)
    if phase not in PulseResponse.Phase.values:
        raise ApplicationError(_("Choose the mid-point or the final pulse."), code="invalid_choice")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ApplicationError(_("Answer with 1 to 5."), code="bad_score")
    in_match = MentorshipMatch.objects.filter(
        Q(mentor__profile=profile) | Q(mentee__profile=profile), program=program,
        status__in=[MentorshipMatch.Status.PUBLISHED, MentorshipMatch.Status.COMPLETED],
    ).exists()
    check(in_match, _("Only mentors and mentees with a match answer the pulse."))
    if phase not in pulse_phases(program):
        raise Conflict(_("That pulse is not open now."), code="pulse_closed")
    comment = _clean_text(comment, field=_("The comment"), max_length=2000)
    try:
        with transaction.atomic():
            PulseResponse.objects.create(program=program, phase=phase, profile=profile)
    except IntegrityError:
        raise Conflict(_("You already answered this pulse."), code="already_answered") from None
    PulseAnswer.objects.create(program=program, phase=phase, score=score, comment=comment,
                               answered_on=coarse_date(clock.now()))


def pulse_phases(program: Program) -> tuple[str, ...]:
    return schedule.pulse_phases_open(
        today=clock.now().date(), starts_on=program.starts_on, ends_on=program.ends_on,
        published=MentorshipMatch.objects.filter(program=program).exclude(status=MentorshipMatch.Status.DRAFT).exists(),
        closed=program.status == Program.Status.CLOSED,
    )
