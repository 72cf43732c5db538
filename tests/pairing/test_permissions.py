"""The pairing permission matrix: every pairing URL, as five people, in four kinds of program.

People: anonymous; a *member* of the organization who is in no program (and not in the private group);
a *participant* (opted into coffee and paired, a mentee with a published mentor, in a team's pool);
the program's *owner* (not an admin); a community *admin* who owns nothing. Programs: an organization-wide
coffee program, a coffee program of a private group, a mentorship cohort under review (one match published,
one draft), and a team formation under review. Outcomes are written out by hand from the product rules:

- a private group's program, and everything in it, is a 404 for whoever cannot see the group;
- owners and admins edit, run, review, adjust and publish; others are refused (403) or, where the program
  is invisible to them, get a 404;
- a coffee match and a mentorship (with its private check-in notes) exist only for the people in them:
  not even the owner or an admin opens them (404);
- the do-not-pair list is private to its owner;
- anonymous visitors are sent to the sign-in page.

Every refused request changes nothing and sends no notification; every allowed write changes something,
except the explicit no-ops (leaving a program one is not in).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from courtyard.core import clock
from courtyard.groups.models import Group
from courtyard.pairing import services
from courtyard.pairing.models import (
    CoffeeMatch,
    DoNotPair,
    FormedTeam,
    MentorshipMatch,
    Program,
    Signup,
    TeamMember,
    TeamRequest,
)
from tests.factories import make_profile
from tests.helpers import db_snapshot
from tests.pairing.conftest import make_group

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "participant", "owner", "admin")
KINDS = ("coffee", "private", "mentorship", "teams")
L = "login"
GROUP_NAME = "Harbour Circle"
PROGRAM_NAME = "Harbour coffee"

# Every pairing URL pattern; tests/test_permissions.py checks that this list is the URLconf's.
PAIRING_ROUTES = {
    "connect/", "connect/new/", "connect/never/", "connect/never/<str:entry_id>/remove/",
    "connect/coffee/<str:match_id>/", "connect/coffee/<str:match_id>/answer/",
    "connect/coffee/<str:match_id>/suggest/", "connect/coffee/<str:match_id>/invite.ics",
    "connect/mentorships/<str:match_id>/", "connect/mentorships/<str:match_id>/checkin/",
    "connect/mentorships/<str:match_id>/progress/", "connect/mentorships/<str:match_id>/rematch/",
    "connect/mentorships/<str:match_id>/complete/", "connect/<str:program_id>/", "connect/<str:program_id>/edit/",
    "connect/<str:program_id>/status/", "connect/<str:program_id>/join/", "connect/<str:program_id>/leave/",
    "connect/<str:program_id>/snooze/", "connect/<str:program_id>/pulse/", "connect/<str:program_id>/run/",
    "connect/<str:program_id>/review/", "connect/<str:program_id>/publish/",
    "connect/<str:program_id>/matches/<str:match_id>/lock/", "connect/<str:program_id>/matches/<str:match_id>/swap/",
    "connect/<str:program_id>/members/<str:member_id>/move/", "connect/<str:program_id>/teams/<str:team_id>/group/",
    "connect/<str:program_id>/requests/", "connect/<str:program_id>/requests/<str:request_id>/remove/",
}


@dataclasses.dataclass
class World:
    kind: str
    program: Program
    profiles: dict[str, Any]
    clients: dict[str, Client]
    group: Group | None = None
    coffee_match: CoffeeMatch | None = None
    never_entry: DoNotPair | None = None
    mentorship: MentorshipMatch | None = None
    draft: MentorshipMatch | None = None
    other_mentor: Signup | None = None
    team_member: TeamMember | None = None
    target_team: FormedTeam | None = None
    team_request: TeamRequest | None = None


def _client(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    assert client.get("/healthz").status_code == 200
    return client


def build_world(kind: str) -> World:
    today = dt.date.today()
    people = {
        "owner": make_profile(email="olivia.owner@example.com", full_name="Olivia Owner", department="People",
                              languages="English"),
        "participant": make_profile(email="pia.part@example.com", full_name="Pia Participant", department="Sales",
                                    languages="English", interests=["Sailing"]),
        "member": make_profile(email="mo.member@example.com", full_name="Mo Member", department="Finance",
                               languages="English"),
        "admin": make_profile(email="ada.admin@example.com", full_name="Ada Admin", is_admin=True, department="People",
                              languages="English"),
        "partner": make_profile(email="pat.partner@example.com", full_name="Pat Partner", department="Engineering",
                                languages="English", interests=["Sailing"], title="Staff Engineer"),
    }
    extras = [make_profile(email=f"x{i}@example.com", full_name=f"Extra {i}", department=["Design", "Legal"][i % 2],
                           languages="English") for i in range(6)]
    people["extras"] = extras
    admin = people["admin"].user
    world: dict[str, Any] = {"kind": kind, "profiles": people}
    if kind in ("coffee", "private"):
        if kind == "private":
            group = make_group(people["owner"], name=GROUP_NAME, join_policy=Group.JoinPolicy.INVITATION,
                               members=[people["participant"], people["partner"]])
            program = services.program_create(actor=people["owner"].user, kind="coffee", name=PROGRAM_NAME,
                                              scope="group", group=group)
            world["group"] = group
        else:
            program = services.program_create(actor=admin, kind="coffee", name=PROGRAM_NAME)
        for person in (people["participant"], people["partner"]):
            services.signup_join(actor=person.user, program=program)
        services.coffee_round_run(program_id=program.pk, round_date=today - dt.timedelta(days=1))
        # A time is suggested already, so the calendar invitation exists for the people of the match.
        CoffeeMatch.objects.filter(program=program).update(meet_at=clock.now() + dt.timedelta(days=3), meet_sequence=1)
        world["coffee_match"] = CoffeeMatch.objects.get(program=program)
        world["never_entry"] = services.do_not_pair_add(actor=people["participant"].user, other=people["member"])
    elif kind == "mentorship":
        program = services.program_create(actor=admin, kind="mentorship", name=PROGRAM_NAME,
                                          starts_on=today - dt.timedelta(days=60), ends_on=today + dt.timedelta(days=30),
                                          require_shared_language=False)
        services.signup_join(actor=people["partner"].user, program=program, role="mentor", capacity=2,
                             skills=["Sailing"])
        services.signup_join(actor=people["participant"].user, program=program, role="mentee", goals="Sail",
                             skills=["Sailing"])
        services.mentorship_run(actor=admin, program=program)
        services.mentorship_publish(actor=admin, program=program)
        world["mentorship"] = MentorshipMatch.objects.get(program=program, status="published")
        world["other_mentor"] = services.signup_join(actor=extras[0].user, program=program, role="mentor", capacity=1)
        services.signup_join(actor=extras[1].user, program=program, role="mentee", goals="Grow")
        services.mentorship_run(actor=admin, program=program)
        world["draft"] = MentorshipMatch.objects.get(program=program, status="draft")
        if world["draft"].mentor_id == world["other_mentor"].pk:
            world["other_mentor"] = Signup.objects.get(program=program, profile=people["partner"])
    else:
        program = services.program_create(actor=admin, kind="teams", name=PROGRAM_NAME, team_min=2, team_max=3)
        for person in [people["participant"], people["partner"], *extras[:5]]:
            services.signup_join(actor=person.user, program=program)
        world["team_request"] = services.team_request_add(actor=admin, program=program, kind="apart",
                                                          first=extras[0], second=extras[1])
        services.teams_run(actor=admin, program=program)
        teams = sorted(FormedTeam.objects.filter(program=program), key=lambda t: t.members.count())
        world["target_team"] = teams[0]
        world["team_member"] = TeamMember.objects.filter(team=teams[-1]).order_by("pk").first()
    Program.objects.filter(pk=program.pk).update(owner=people["owner"])  # the admin hands the program to its lead
    program.refresh_from_db()
    clients = {"anonymous": Client()}
    for role in ROLES[1:]:
        clients[role] = _client(people[role])
    return World(program=program, clients=clients, **world)


@pytest.fixture
def world_of(sent: list[dict]) -> Callable[[str], World]:
    def build(kind: str) -> World:
        world = build_world(kind)
        sent.clear()
        return world

    return build


Outcomes = tuple[int | str, int | str, int | str, int | str, int | str]


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[World], str]
    expected: dict[str, Outcomes]
    data: Callable[[World], dict[str, Any]] | None = None
    noop: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


def program_url(name: str, *extra: Callable[[World], object]) -> Callable[[World], str]:
    return lambda w: reverse(f"pairing:{name}", args=[w.program.pk, *(f(w) for f in extra)])


def everywhere(row: Outcomes, private: Outcomes | None = None, kinds: tuple[str, ...] = KINDS) -> dict[str, Outcomes]:
    rows = dict.fromkeys(kinds, row)
    if "private" in rows and private is not None:
        rows["private"] = private
    return rows


#                    anon member participant owner admin
SIGNED_IN = everywhere((L, 200, 200, 200, 200), kinds=("coffee",))
READ = everywhere((L, 200, 200, 200, 200), private=(L, 404, 200, 200, 200))
MANAGE_PAGE = everywhere((L, 403, 403, 200, 200), private=(L, 404, 403, 200, 200))
MANAGE_WRITE = everywhere((L, 403, 403, 302, 302), private=(L, 404, 403, 302, 302))
COFFEE = ("coffee", "private")
ONLY_IN_IT_PAGE = everywhere((L, 404, 200, 404, 404), kinds=COFFEE)
ONLY_IN_IT_WRITE = everywhere((L, 404, 302, 404, 404), kinds=COFFEE)
MENTORSHIP_PAGE = {"mentorship": (L, 404, 200, 404, 404)}
MENTORSHIP_WRITE = {"mentorship": (L, 404, 302, 404, 404)}
NOBODY_ELSE = ("member", "owner", "admin")


def _pick(kinds: tuple[str, ...], rows: dict[str, Outcomes]) -> dict[str, Outcomes]:
    return {k: v for k, v in rows.items() if k in kinds}


CASES = [
    # --- not tied to one program --------------------------------------------------------------------
    Case("hub", "get", lambda w: reverse("pairing:hub"), SIGNED_IN),
    Case("create page", "get", lambda w: reverse("pairing:create") + "?kind=mentorship",
         {"coffee": (L, 403, 403, 403, 200), "private": (L, 403, 403, 200, 200)}),
    Case("create program", "post", lambda w: reverse("pairing:create"),
         {"coffee": (L, 403, 403, 403, 302), "private": (L, 403, 403, 302, 302)},
         data=lambda w: {"kind": "coffee", "name": "Tea time", "scope": "group" if w.group else "organization",
                         "group": w.group.pk if w.group else "", "cadence": "weekly", "weekday": "1",
                         "local_time": "11:00", "timezone": "Europe/Lisbon", "group_size": "2", "lookback_rounds": "4"}),
    Case("do-not-pair list", "get", lambda w: reverse("pairing:never_pair"), SIGNED_IN),
    Case("do-not-pair add", "post", lambda w: reverse("pairing:never_pair"), everywhere((L, 302, 302, 302, 302), kinds=("coffee",)),
         data=lambda w: {"email": "x5@example.com"}),
    Case("do-not-pair remove", "post", lambda w: reverse("pairing:never_pair_remove", args=[w.never_entry.pk]),
         everywhere((L, 404, 302, 404, 404), kinds=("coffee",))),
    Case("coffee match", "get", lambda w: reverse("pairing:coffee_match", args=[w.coffee_match.pk]), ONLY_IN_IT_PAGE),
    Case("we met", "post", lambda w: reverse("pairing:coffee_answer", args=[w.coffee_match.pk]), ONLY_IN_IT_WRITE,
         data=lambda w: {"met": "1"}),
    Case("suggest a coffee time", "post", lambda w: reverse("pairing:coffee_suggest", args=[w.coffee_match.pk]),
         ONLY_IN_IT_WRITE,
         data=lambda w: {"date": (dt.date.today() + dt.timedelta(days=5)).isoformat(), "time": "10:30",
                         "minutes": "30", "note": "Harbour café", "notify": "on"}),
    Case("coffee calendar invitation", "get", lambda w: reverse("pairing:coffee_ics", args=[w.coffee_match.pk]),
         ONLY_IN_IT_PAGE),
    Case("mentorship page", "get", lambda w: reverse("pairing:mentorship", args=[w.mentorship.pk]), MENTORSHIP_PAGE),
    Case("check-in", "post", lambda w: reverse("pairing:mentorship_checkin", args=[w.mentorship.pk]), MENTORSHIP_WRITE,
         data=lambda w: {"met_on": dt.date.today().isoformat(), "notes": "Harbour talk"}),
    Case("progress", "post", lambda w: reverse("pairing:mentorship_progress", args=[w.mentorship.pk]), MENTORSHIP_WRITE,
         data=lambda w: {"progress": "40", "note": "Going"}),
    Case("rematch", "post", lambda w: reverse("pairing:mentorship_rematch", args=[w.mentorship.pk]), MENTORSHIP_WRITE,
         data=lambda w: {"reason": "Other goals"}),
    Case("complete", "post", lambda w: reverse("pairing:mentorship_complete", args=[w.mentorship.pk]), MENTORSHIP_WRITE),
    # --- a program ----------------------------------------------------------------------------------
    Case("program page", "get", program_url("program"), READ),
    Case("edit page", "get", program_url("edit"), MANAGE_PAGE),
    Case("edit program", "post", program_url("edit"), MANAGE_WRITE,
         data=lambda w: {"name": "Harbour renamed", "cadence": "monthly", "weekday": "3", "local_time": "09:00",
                         "timezone": "Asia/Tokyo", "group_size": "3", "lookback_rounds": "2", "team_min": "2",
                         "team_max": "4", "objective": "leave_nobody_unmatched", "w_skill_fit": "5",
                         "w_department_difference": "1", "w_seniority_gap": "3", "w_timezone_overlap": "2",
                         "w_language": "1", "w_preference": "1", "w_preferred_mentor": "4"}),
    Case("pause or close", "post", program_url("status"), MANAGE_WRITE,
         data=lambda w: {"status": "paused" if w.kind in COFFEE else "closed"}),
    Case("sign-up page", "get", program_url("join"),
         {**everywhere((L, 200, 200, 200, 200), private=(L, 404, 200, 200, 403), kinds=("coffee", "private", "mentorship")),
          "teams": (L, 403, 403, 403, 403)}),  # the pool closed when the teams were formed
    Case("join", "post", program_url("join"),
         {**everywhere((L, 302, 302, 302, 302), private=(L, 404, 302, 302, 403), kinds=("coffee", "private", "mentorship")),
          "teams": (L, 403, 403, 403, 403)},
         data=lambda w: {"role": "mentee", "goals": "Learn to sail"} if w.kind == "mentorship" else {}),
    Case("leave", "post", program_url("leave"),
         {**everywhere((L, 302, 302, 302, 302), private=(L, 404, 302, 302, 302)), "mentorship": (L, 302, 409, 302, 302)},
         noop=dict.fromkeys(KINDS, NOBODY_ELSE)),
    Case("snooze", "post", program_url("snooze"),
         {"coffee": (L, 400, 302, 400, 400), "private": (L, 404, 302, 400, 400), "mentorship": (L, 400, 400, 400, 400)},
         data=lambda w: {"until": (dt.date.today() + dt.timedelta(days=14)).isoformat()}),
    Case("pulse", "post", program_url("pulse"), {"mentorship": (L, 403, 302, 403, 403), "coffee": (L, 403, 403, 403, 403)},
         data=lambda w: {"phase": "midpoint", "score": "4", "comment": "Good"}),
    Case("run", "post", program_url("run"), MANAGE_WRITE),
    Case("review", "get", program_url("review"),
         {**_pick(("mentorship", "teams"), MANAGE_PAGE), "coffee": (L, 403, 403, 404, 404),
          "private": (L, 404, 403, 404, 404)}),
    Case("publish", "post", program_url("publish"),
         {**_pick(("mentorship", "teams"), MANAGE_WRITE), "coffee": (L, 403, 403, 400, 400)}),
    Case("lock a match", "post", program_url("match_lock", lambda w: w.draft.pk), _pick(("mentorship",), MANAGE_WRITE),
         data=lambda w: {"locked": "1"}),
    Case("change a mentor", "post", program_url("match_swap", lambda w: w.draft.pk), _pick(("mentorship",), MANAGE_WRITE),
         data=lambda w: {"mentor": w.other_mentor.pk}),
    Case("move to a team", "post", program_url("team_move", lambda w: w.team_member.pk), _pick(("teams",), MANAGE_WRITE),
         data=lambda w: {"team": w.target_team.pk}),
    Case("team becomes a group (before publishing)", "post", program_url("team_group", lambda w: w.target_team.pk),
         {"teams": (L, 403, 403, 409, 409)}),
    Case("add a team request", "post", program_url("team_request_add"), _pick(("teams",), MANAGE_WRITE),
         data=lambda w: {"kind": "together", "first": w.profiles["extras"][2].pk, "second": w.profiles["extras"][3].pk}),
    Case("remove a team request", "post", program_url("team_request_remove", lambda w: w.team_request.pk),
         _pick(("teams",), MANAGE_WRITE)),
]


def refused(expected: int | str) -> bool:
    return expected == L or (isinstance(expected, int) and expected >= 400)


def check_cell(world: World, case: Case, role: str, expected: int | str, before: dict, sent: list[dict]) -> list[str]:
    problems: list[str] = []
    url = case.url(world)
    sent.clear()
    client = world.clients[role]
    response = client.get(url) if case.method == "get" else client.post(url, case.data(world) if case.data else {})
    status = response.status_code
    if expected == L:
        location = response.get("Location", "")
        if status != 302 or not location.startswith(reverse("account_login") + "?next="):
            problems.append(f"{role}: expected a redirect to sign in, got {status} {location}")
    elif status != expected:
        problems.append(f"{role}: expected {expected}, got {status}")
    after = db_snapshot()
    if refused(expected) or case.method == "get":
        if after != before:
            changed = sorted(k for k in before if before[k] != after.get(k))
            problems.append(f"{role}: a refused request (or a read) changed {changed}")
        if sent:
            problems.append(f"{role}: a refused request (or a read) sent notifications {sent}")
    elif role not in case.noop.get(world.kind, ()) and after == before:
        problems.append(f"{role}: an allowed write changed nothing")
    if world.kind == "private" and role in ("anonymous", "member") and case.name not in ("hub", "create page"):
        body = response.content.decode(errors="replace")
        problems += [f"{role}: the private group leaks {s!r} ({status})" for s in (GROUP_NAME, PROGRAM_NAME) if s in body]
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_permission_matrix(kind: str, world_of, sent: list[dict]):
    world = world_of(kind)
    before = db_snapshot()
    problems: list[str] = []
    cells = 0
    for case in CASES:
        if kind not in case.expected:
            continue
        for role, expected in zip(ROLES, case.expected[kind], strict=True):
            with transaction.atomic():
                problems += [f"{case}, {p}" for p in check_cell(world, case, role, expected, before, sent)]
                transaction.set_rollback(True)
            cells += 1
    assert cells >= 5 * 10
    assert not problems, f"in a {kind} program:\n  " + "\n  ".join(problems)


def test_the_matrix_covers_every_pairing_route():
    from tests import url_coverage

    assert {route for route in url_coverage.routes_to_cover() if route.startswith("connect/")} == PAIRING_ROUTES


def test_private_group_programs_are_missing_from_the_hub_for_outsiders(world_of):
    world = world_of("private")
    for role, visible in (("member", False), ("participant", True), ("owner", True), ("admin", True)):
        html = world.clients[role].get(reverse("pairing:hub")).content.decode()
        assert (PROGRAM_NAME in html) is visible, role


BAD_IDS = ["abc", "0", "-1", "99999999999999999999999", "1.5"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_are_404_and_change_nothing(world_of, bad):
    world = world_of("mentorship")
    client = world.clients["admin"]
    before = db_snapshot()
    for method, url in [
        ("get", f"/connect/{bad}/"), ("post", f"/connect/{bad}/run/"), ("get", f"/connect/coffee/{bad}/"),
        ("post", f"/connect/mentorships/{bad}/checkin/"), ("post", f"/connect/{world.program.pk}/matches/{bad}/lock/"),
        ("post", f"/connect/never/{bad}/remove/"),
    ]:
        response = getattr(client, method)(url, {"locked": "1"} if method == "post" else None)
        assert response.status_code == 404, (method, url, response.status_code)
    assert db_snapshot() == before
