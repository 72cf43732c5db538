"""Mentorship cohorts through the services: sign-up, run, review (lock, swap, re-optimize), publish,
rematch, check-ins, progress, pulses and completion."""

from __future__ import annotations

import datetime as dt

import pytest

from courtyard.core.errors import ApplicationError, Conflict, PermissionDenied
from courtyard.core.models import Interaction, Participation
from courtyard.pairing import selectors, services
from courtyard.pairing.models import Checkin, MentorshipMatch, Program, PulseAnswer, PulseResponse, Signup
from tests.factories import make_profile
from tests.helpers import db_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(organizer):
    """Three mentors (one is a mentee's manager), four mentees; everyone speaks English."""
    mentors = [
        make_profile(email="m.python@example.com", full_name="Mara Python", department="Engineering",
                     title="Staff Engineer", languages="English"),
        make_profile(email="m.sales@example.com", full_name="Sam Sales", department="Sales", title="Head of Sales",
                     languages="English, Spanish"),
        make_profile(email="m.data@example.com", full_name="Dana Data", department="Data", title="Senior Analyst",
                     languages="English"),
    ]
    mentees = [
        make_profile(email=f"e{i}@example.com", full_name=f"Eli Mentee {i}", department="Marketing",
                     title="Junior Marketer", languages="English", start_date=dt.date.today() - dt.timedelta(days=30))
        for i in range(4)
    ]
    mentees[0].manager = mentors[0]
    mentees[0].save(update_fields=["manager"])
    program = services.program_create(
        actor=organizer.user, kind=Program.Kind.MENTORSHIP, name="Grow 2025", goals="Grow",
        starts_on=dt.date.today() - dt.timedelta(days=60), ends_on=dt.date.today() + dt.timedelta(days=30),
    )
    skills = [["Python"], ["Negotiation"], ["SQL", "Python"]]
    for mentor, offered in zip(mentors, skills, strict=True):
        services.signup_join(actor=mentor.user, program=program, role="mentor", capacity=2, skills=offered)
    wanted = [["Python"], ["Negotiation"], ["SQL"], ["Python"]]
    for mentee, want in zip(mentees, wanted, strict=True):
        services.signup_join(actor=mentee.user, program=program, role="mentee", goals="Learn\nShip", skills=want)
    return {"program": program, "mentors": mentors, "mentees": mentees}


def current(program):
    return {(m.mentee.profile_id, m.mentor.profile_id): m for m in
            MentorshipMatch.objects.filter(program=program, status__in=["draft", "published"])
            .select_related("mentee", "mentor")}


def test_sign_up_rules(cohort, member):
    program = cohort["program"]
    assert Participation.objects.filter(verb="joined_mentorship", program_id=program.pk).count() == 7
    before = db_snapshot()
    for kwargs, code in [({}, "role_required"), ({"role": "mentor", "capacity": 6}, "bad_capacity"),
                         ({"role": "mentee"}, "required"), ({"role": "mentee", "goals": "x", "skills": ["s"] * 31}, "too_many")]:
        with pytest.raises(ApplicationError) as error:
            services.signup_join(actor=member.user, program=program, **kwargs)
        assert error.value.code == code
    assert db_snapshot() == before


def test_run_respects_the_reporting_line_and_capacity_and_explains(cohort, organizer):
    program, mentors, mentees = cohort["program"], cohort["mentors"], cohort["mentees"]
    result = services.mentorship_run(actor=organizer.user, program=program)
    program.refresh_from_db()
    assert program.status == Program.Status.REVIEW
    matches = current(program)
    assert result["matches"] == len(matches) == 4  # capacity 2 × 3 mentors: room for everyone
    assert (mentees[0].pk, mentors[0].pk) not in matches  # never the mentee's own manager
    per_mentor: dict[int, int] = {}
    for match in matches.values():
        per_mentor[match.mentor_id] = per_mentor.get(match.mentor_id, 0) + 1
        assert match.reasons
        assert match.status == "draft"
    assert max(per_mentor.values()) <= 2
    assert (mentees[1].pk, mentors[1].pk) in matches  # negotiation wants negotiation


def test_lock_swap_reoptimize_and_publish(cohort, organizer, sent):
    program, mentors, mentees = cohort["program"], cohort["mentors"], cohort["mentees"]
    services.mentorship_run(actor=organizer.user, program=program)
    matches = current(program)
    # Give a mentee another mentor with room by hand: checked, then locked.
    load = {}
    for match in matches.values():
        load[match.mentor.profile_id] = load.get(match.mentor.profile_id, 0) + 1
    free = next(m for m in mentors[1:] if load.get(m.pk, 0) < 2)
    target = next(m for (mentee, mentor), m in matches.items() if mentor != free.pk and mentee != mentees[0].pk)
    chosen = Signup.objects.get(program=program, profile=free)
    swapped = services.mentorship_match_swap(actor=organizer.user, match=target, mentor=chosen)
    assert swapped.locked
    assert swapped.mentor == chosen
    load = {}
    for match in current(program).values():
        load[match.mentor.profile_id] = load.get(match.mentor.profile_id, 0) + 1
    full = next((m for m in mentors if load.get(m.pk, 0) >= 2), None)
    if full is not None:
        other = next(m for m in current(program).values() if m.mentor.profile_id != full.pk)
        with pytest.raises(Conflict) as error:
            services.mentorship_match_swap(actor=organizer.user, match=other,
                                           mentor=Signup.objects.get(program=program, profile=full))
        assert error.value.code == "capacity"
    # The manager rule holds for hand-made changes too.
    own = next(m for (mentee, _mentor), m in current(program).items() if mentee == mentees[0].pk)
    mara = Signup.objects.get(program=program, profile=mentors[0])
    with pytest.raises(Conflict) as error:
        services.mentorship_match_swap(actor=organizer.user, match=own, mentor=mara)
    assert error.value.code == "hard_rule"
    with pytest.raises(PermissionDenied):
        services.mentorship_match_lock(actor=mentees[0].user, match=own, locked=True)
    services.mentorship_run(actor=organizer.user, program=program)  # re-optimize the rest
    assert (target.mentee.profile_id, free.pk) in current(program)
    sent.clear()
    assert services.mentorship_publish(actor=organizer.user, program=program) == 4
    assert len(sent) == 8
    assert {s["kind"] for s in sent} == {"mentorship_match"}
    program.refresh_from_db()
    assert program.status == Program.Status.PUBLISHED
    with pytest.raises(PermissionDenied):  # nothing to review after publishing
        services.mentorship_publish(actor=organizer.user, program=program)


def publish(cohort, organizer):
    services.mentorship_run(actor=cohort["program"].owner.user, program=cohort["program"])
    services.mentorship_publish(actor=organizer.user, program=cohort["program"])
    return current(cohort["program"])


def test_rematch_releases_the_mentee_and_never_repeats_the_pair(cohort, organizer, sent):
    program, mentees = cohort["program"], cohort["mentees"]
    matches = publish(cohort, organizer)
    first = next(m for (mentee, _mentor), m in matches.items() if mentee == mentees[1].pk)
    old_mentor = first.mentor.profile_id
    sent.clear()
    services.mentorship_rematch_request(actor=mentees[1].user, match=first, reason="Different goals")
    assert [s["kind"] for s in sent] == ["mentorship_rematch"]
    assert sent[0]["recipient"] == organizer.user
    services.mentorship_run(actor=organizer.user, program=program)
    again = current(program)
    assert (mentees[1].pk, old_mentor) not in again
    assert any(mentee == mentees[1].pk for mentee, _ in again)


def test_checkins_progress_completion_and_facts(cohort, organizer, member):
    matches = publish(cohort, organizer)
    match = next(iter(matches.values()))
    mentee, mentor = match.mentee.profile, match.mentor.profile
    with pytest.raises(PermissionDenied):
        services.checkin_add(actor=member.user, match=match, met_on=dt.date.today(), notes="spy")
    with pytest.raises(ApplicationError) as error:
        services.checkin_add(actor=mentee.user, match=match, met_on=dt.date.today() + dt.timedelta(days=9))
    assert error.value.code == "bad_date"
    checkin = services.checkin_add(actor=mentee.user, match=match, met_on=dt.date.today(),
                                   notes="**Great** <script>x</script>")
    assert "<strong>Great</strong>" in checkin.notes_html
    assert "<script>" not in checkin.notes_html
    fact = Interaction.objects.get(kind="mentoring_checkin")
    assert (fact.actor_id, fact.other_id, fact.program_id) == (mentee.pk, mentor.pk, match.program_id)
    assert Participation.objects.filter(verb="mentoring_checkin", member_id=mentee.pk).count() == 1
    services.mentorship_progress_set(actor=mentor.user, match=match, progress=60, note="Halfway")
    with pytest.raises(ApplicationError):
        services.mentorship_progress_set(actor=mentor.user, match=match, progress=101)
    services.mentorship_complete(actor=mentor.user, match=match)
    match.refresh_from_db()
    assert match.status == "completed"
    assert match.goal_progress == 60
    assert set(Participation.objects.filter(verb="completed_mentorship").values_list("member_id", flat=True)) == {
        mentee.pk, mentor.pk}
    from courtyard.recognition.models import Celebration  # recognition celebrates the milestone

    assert set(Celebration.objects.filter(program_id=match.program_id).values_list("profile_id", flat=True)) == {
        mentee.pk, mentor.pk}
    with pytest.raises(Conflict):
        services.checkin_add(actor=mentee.user, match=match, met_on=dt.date.today())
    assert Checkin.objects.count() == 1


def test_closing_the_program_completes_every_mentorship(cohort, organizer):
    matches = publish(cohort, organizer)
    services.program_set_status(actor=organizer.user, program=cohort["program"], status=Program.Status.CLOSED)
    assert set(MentorshipMatch.objects.filter(pk__in=[m.pk for m in matches.values()]).values_list("status", flat=True)) \
        == {"completed"}
    assert Participation.objects.filter(verb="completed_mentorship").count() == 8


def test_pulses_are_anonymous_and_withheld_below_the_minimum(cohort, organizer, member):
    program = cohort["program"]
    matches = publish(cohort, organizer)
    people = [p for m in matches.values() for p in (m.mentee.profile, m.mentor.profile)]
    people = list({p.pk: p for p in people}.values())
    with pytest.raises(PermissionDenied):
        services.pulse_answer(actor=member.user, program=program, phase="midpoint", score=4)
    with pytest.raises(Conflict):  # the final pulse opens a week before the end
        services.pulse_answer(actor=people[0].user, program=program, phase="final", score=4)
    for i, person in enumerate(people[:4]):
        services.pulse_answer(actor=person.user, program=program, phase="midpoint", score=3 + i % 3, comment=f"c{i}")
    with pytest.raises(Conflict):
        services.pulse_answer(actor=people[0].user, program=program, phase="midpoint", score=5)
    summary = {p["phase"]: p for p in selectors.pulse_summary(program)}
    assert summary["midpoint"]["withheld"]
    assert summary["midpoint"]["average"] is None
    assert summary["midpoint"]["comments"] == []
    services.pulse_answer(actor=people[4].user, program=program, phase="midpoint", score=5, comment="c4")
    summary = {p["phase"]: p for p in selectors.pulse_summary(program)}
    assert not summary["midpoint"]["withheld"]
    assert summary["midpoint"]["responses"] == 5
    assert summary["midpoint"]["comments"] == sorted(f"c{i}" for i in range(5))
    # Who answered and what was answered share no column that joins them.
    answer_fields = {f.name for f in PulseAnswer._meta.get_fields()}
    assert "profile" not in answer_fields
    assert "response" not in answer_fields
    assert PulseResponse.objects.filter(program=program).count() == 5
