"""The pairing API: the same rules as the pages, every answer checked against the OpenAPI document.

Permission cases of the API routes (tests/test_permissions.py names this file): anonymous is 401 everywhere;
a private group's program is 404 to outsiders; owner-only operations are 403 to members; a coffee match or a
mentorship is 404 to anyone not in it. Refusals change nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest

from courtyard.groups.models import Group
from courtyard.pairing import services
from courtyard.pairing.models import CoffeeMatch, MentorshipMatch, Program
from tests.api.conftest import api_for
from tests.factories import make_profile
from tests.helpers import db_snapshot
from tests.pairing.conftest import make_group

pytestmark = pytest.mark.django_db


def test_coffee_through_the_api(organizer, crowd, member):
    admin = api_for(organizer)
    created = admin.request("post", "/api/pairing/programs", {
        "kind": "coffee", "name": "Coffee roulette", "cadence": "biweekly", "weekday": 3, "local_time": "10:30",
        "timezone": "Europe/Paris", "group_size": 2,
    })
    assert created.status_code == 201, created.body
    program_id = created.body["id"]
    assert created.body["can_manage"]
    assert created.body["next_round_at"]
    people = [api_for(p) for p in crowd[2:6]]
    for api in people:
        joined = api.request("post", f"/api/pairing/programs/{program_id}/signup", {})
        assert joined.status_code == 200
        assert joined.body["role"] == "coffee"
    listing = api_for(crowd[2]).request("get", "/api/pairing/programs?kind=coffee").body
    assert listing[0]["my_signup"] == {"role": "coffee", "snoozed_until": None}
    run = admin.request("post", f"/api/pairing/programs/{program_id}/run")
    assert run.body == {"kind": "coffee", "status": "open", "groups": 2, "unmatched": 0}
    assert admin.request("post", f"/api/pairing/programs/{program_id}/run").status_code == 409
    mine = people[0].request("get", "/api/pairing/coffee-matches").body
    assert len(mine) == 1
    assert len(mine[0]["people"]) == 2
    assert mine[0]["reasons"]
    match_id = mine[0]["id"]
    # Someone outside the match cannot see or answer it.
    outsider = api_for(member)
    before = db_snapshot()
    assert outsider.request("post", f"/api/pairing/coffee-matches/{match_id}/answer", {"met": True}).status_code == 404
    assert outsider.request("get", f"/api/pairing/programs/{program_id}/rounds").status_code == 403
    assert api_for().request("get", "/api/pairing/coffee-matches").status_code == 401
    assert db_snapshot() == before
    answered = people[0].request("post", f"/api/pairing/coffee-matches/{match_id}/answer", {"met": True})
    assert answered.body["outcome"] == "met"
    rounds = admin.request("get", f"/api/pairing/programs/{program_id}/rounds").body
    assert rounds[0]["groups"] == 2
    assert rounds[0]["met"] == 1
    until = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    assert people[1].request("post", f"/api/pairing/programs/{program_id}/snooze", {"until": until}).body["snoozed_until"] == until
    signups = admin.request("get", f"/api/pairing/programs/{program_id}/signups").body
    assert len(signups) == 4
    patched = admin.request("patch", f"/api/pairing/programs/{program_id}", {"group_size": 3, "name": "Coffee trio"})
    assert patched.body["group_size"] == 3
    assert patched.body["name"] == "Coffee trio"
    assert people[1].request("delete", f"/api/pairing/programs/{program_id}/signup").body == {"ok": True}
    assert people[1].request("patch", f"/api/pairing/programs/{program_id}", {"group_size": 4}).status_code == 403


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "coffee", "name": "x", "group_size": 9},
        {"kind": "coffee", "name": "x", "timezone": "Nowhere/Land"},
        {"kind": "tea", "name": "x"},
        {"kind": "coffee", "name": ""},
        {"kind": "coffee", "name": "x", "unknown": 1},
        {"kind": "coffee", "name": "x", "scope": "cross", "side_a": {"tenure": "newcomers"}},
        {"kind": "mentorship", "name": "x", "weights": {"skill_fit": 99}},
        {"kind": "teams", "name": "x", "team_min": 6, "team_max": 4},
    ],
)
def test_bad_programs_are_a_clear_4xx_and_change_nothing(organizer, payload):
    api = api_for(organizer)
    before = db_snapshot()
    response = api.request("post", "/api/pairing/programs", payload)
    assert 400 <= response.status_code < 500, response.body
    assert response.body["message"]
    assert db_snapshot() == before


def test_private_group_programs_are_404_to_outsiders(organizer, crowd, member):
    group = make_group(organizer, join_policy=Group.JoinPolicy.INVITATION, members=crowd[:2])
    program = services.program_create(actor=organizer.user, kind="coffee", name="Secret coffee", scope="group", group=group)
    outsider = api_for(member)
    before = db_snapshot()
    for method, path in [("get", f"/api/pairing/programs/{program.pk}"),
                         ("post", f"/api/pairing/programs/{program.pk}/signup"),
                         ("post", f"/api/pairing/programs/{program.pk}/run")]:
        assert outsider.request(method, path, {} if method == "post" else None).status_code == 404, path
    assert all(p["id"] != program.pk for p in outsider.request("get", "/api/pairing/programs").body)
    assert db_snapshot() == before
    # Group programs are created by the group's organizers, through the group's slug.
    api = api_for(organizer)
    made = api.request("post", "/api/pairing/programs", {"kind": "teams", "name": "Hack", "scope": "group",
                                                         "group": group.slug})
    assert made.status_code == 201
    assert made.body["group"] == group.slug


def test_mentorship_review_and_checkins_through_the_api(organizer, member):
    mentor = make_profile(full_name="Mentor Max", department="Engineering", languages="English", title="Principal")
    mentees = [make_profile(full_name=f"Mentee {i}", department="Sales", languages="English") for i in range(2)]
    other_mentor = make_profile(full_name="Mentor Mia", department="Data", languages="English")
    admin = api_for(organizer)
    program_id = admin.request("post", "/api/pairing/programs", {
        "kind": "mentorship", "name": "Grow", "objective": "leave_nobody_unmatched",
        "weights": {"skill_fit": 8}}).body["id"]
    assert api_for(mentor).request("post", f"/api/pairing/programs/{program_id}/signup",
                                   {"role": "mentor", "capacity": 2, "skills": ["Python"]}).status_code == 200
    assert api_for(other_mentor).request("post", f"/api/pairing/programs/{program_id}/signup",
                                         {"role": "mentor", "capacity": 1}).status_code == 200
    for mentee in mentees:
        response = api_for(mentee).request("post", f"/api/pairing/programs/{program_id}/signup", {
            "role": "mentee", "goals": "Learn Python", "skills": ["Python"], "preferred_mentor_ids": [mentor.pk]})
        assert response.status_code == 200
    bad = api_for(member).request("post", f"/api/pairing/programs/{program_id}/signup", {"role": "mentee", "capacity": 9})
    assert bad.status_code == 422
    ran = admin.request("post", f"/api/pairing/programs/{program_id}/run").body
    assert ran["status"] == "review"
    assert ran["groups"] == 2
    drafts = admin.request("get", f"/api/pairing/programs/{program_id}/matches").body
    assert {d["status"] for d in drafts} == {"draft"}
    assert all(d["reasons"] for d in drafts)
    assert api_for(member).request("get", f"/api/pairing/programs/{program_id}/matches").status_code == 403
    locked = admin.request("patch", f"/api/pairing/programs/{program_id}/matches/{drafts[0]['id']}", {"locked": True})
    assert locked.body["locked"] is True
    assert admin.request("post", f"/api/pairing/programs/{program_id}/publish").body == {"published": 2}
    match = MentorshipMatch.objects.filter(program_id=program_id, mentee__profile=mentees[0]).get()
    pair = api_for(mentees[0])
    assert pair.request("get", "/api/pairing/mentorships").body[0]["id"] == match.pk
    created = pair.request("post", f"/api/pairing/mentorships/{match.pk}/checkins",
                           {"met_on": dt.date.today().isoformat(), "notes": "First *chat*"})
    assert created.status_code == 201
    assert "<em>chat</em>" in created.body["notes_html"]
    assert len(api_for(match.mentor.profile).request("get", f"/api/pairing/mentorships/{match.pk}/checkins").body) == 1
    outsider = api_for(member)
    before = db_snapshot()
    assert admin.request("get", f"/api/pairing/mentorships/{match.pk}/checkins").status_code == 404  # notes are private
    assert outsider.request("post", f"/api/pairing/mentorships/{match.pk}/checkins",
                                   {"met_on": dt.date.today().isoformat()}).status_code == 404
    assert db_snapshot() == before
    assert Program.objects.get(pk=program_id).status == "published"


def test_teams_run_and_publish_through_the_api(organizer):
    admin = api_for(organizer)
    program_id = admin.request("post", "/api/pairing/programs", {"kind": "teams", "name": "Hack", "team_min": 2,
                                                                 "team_max": 3}).body["id"]
    for i in range(5):
        person = make_profile(full_name=f"Hacker {i}", department=["A", "B"][i % 2])
        assert api_for(person).request("post", f"/api/pairing/programs/{program_id}/signup", {"skills": ["Go"]}).status_code == 200
    assert admin.request("post", f"/api/pairing/programs/{program_id}/run").body["groups"] == 2
    assert admin.request("post", f"/api/pairing/programs/{program_id}/publish").body == {"published": 2}
    assert admin.request("post", f"/api/pairing/programs/{program_id}/publish").status_code == 403
    assert CoffeeMatch.objects.count() == 0
