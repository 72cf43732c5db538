"""KPIs computed from the rollups equal what a person computes by hand from a small set of facts."""

from __future__ import annotations

import datetime as dt

import pytest

from courtyard.core.models import Interaction, Participation
from courtyard.groups.models import Group, Post, Thread
from courtyard.insights import access, rollups, selectors, services
from courtyard.insights.domain import periods
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

MARCH = periods.period_of("month", dt.date(2025, 3, 1))
TODAY = dt.date(2025, 4, 15)


def at(day: int, hour: int = 9, month: int = 3) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=dt.UTC)


@pytest.fixture
def story(db):
    """Five people: Ana and Ben (Engineering), Cai and Dee (Sales), Eve (Finance, started 1 March)."""
    ana = make_profile(full_name="Ana", department="Engineering")
    ben = make_profile(full_name="Ben", department="Engineering")
    cai = make_profile(full_name="Cai", department="Sales")
    dee = make_profile(full_name="Dee", department="Sales")
    eve = make_profile(full_name="Eve", department="Finance", start_date=dt.date(2025, 3, 1))
    group = Group.objects.create(name="G", slug="g", created_at=at(1, month=1))
    answered = Thread.objects.create(group=group, author=ana, title="a", body="a", created_at=at(5), last_activity_at=at(5))
    unanswered = Thread.objects.create(group=group, author=cai, title="b", body="b", created_at=at(8), last_activity_at=at(8))
    reply = Post.objects.create(thread=answered, author=ben, body="r", created_at=at(5, 11))
    own = Post.objects.create(thread=unanswered, author=cai, body="self", created_at=at(8, 12))

    def fact(person, verb, when, **extra):
        Participation.objects.create(member_id=person.pk, verb=verb, occurred_at=when,
                                     department_id=person.department_id, **extra)

    fact(ana, "posted", at(10, month=2))  # February: Ana's only activity that month
    fact(ana, "visited", at(3))
    fact(ana, "posted", at(5), group_id=group.pk, object_type="thread", object_id=answered.pk)
    fact(cai, "posted", at(8), group_id=group.pk, object_type="thread", object_id=unanswered.pk)
    fact(ben, "replied", at(5, 11), group_id=group.pk, object_type="post", object_id=reply.pk)
    fact(cai, "replied", at(8, 12), group_id=group.pk, object_type="post", object_id=own.pk)
    fact(cai, "rsvped", at(1), event_id=1)
    fact(dee, "rsvped", at(1), event_id=1)
    fact(cai, "attended", at(10), event_id=1)
    fact(eve, "gave_kudos", at(12))
    fact(cai, "received_kudos", at(12))
    fact(dee, "answered_survey", at(15))
    fact(cai, "paired", at(2), program_id=4)
    fact(cai, "met", at(9), program_id=4)
    for actor, other, kind, when in ((ben, ana, "reply", at(5, 11)), (eve, cai, "kudos", at(12))):
        Interaction.objects.create(actor_id=actor.pk, other_id=other.pk, kind=kind, occurred_at=when,
                                   actor_department_id=actor.department_id, other_department_id=other.department_id)
    rollups.rollups_update()
    rollups.refresh_newcomers(today=TODAY)  # the newcomers of "today" (15 April 2025)
    return {"ana": ana, "ben": ben, "cai": cai, "dee": dee, "eve": eve, "group": group}


def values(scope=access.ORG, period=MARCH):
    board = selectors.dashboard(scope, period, today=TODAY, use_cache=False)
    return {f.key: (f.value, f.previous) for f in board.figures}, board


def test_the_organization_in_march(story):
    v, board = values()
    assert board.headcount == 5
    assert v["active_members"] == (5, 1)  # in February only Ana posted
    assert v["monthly_active"][0] == 5
    assert v["participation_rate"] == (1.0, pytest.approx(1 / 5))
    assert v["event_participation"][0] == pytest.approx(1 / 5)
    assert v["rsvp_conversion"][0] == pytest.approx(1 / 2)  # Cai came, Dee did not
    assert v["contributions_per_member"][0] == pytest.approx(4 / 5)  # two discussions and two replies
    assert v["reply_rate"][0] == pytest.approx(1 / 2)  # Cai's answer to herself does not count
    assert v["time_to_first_reply"][0] == pytest.approx(2.0)
    assert v["recognition_reach"][0] == pytest.approx(1 / 5)
    assert v["recognition_givers"][0] == pytest.approx(1 / 5)
    assert v["coffee_meeting_rate"][0] == 1.0
    assert v["survey_participation"][0] is None  # one respondent: below the minimum group size, withheld
    assert v["newcomer_days_to_cross"][0] == 11  # Eve thanked Cai (Sales) on day 11
    assert v["newcomer_connected_30"][0] == 0  # one cross-department tie, not three
    assert v["newcomer_connected_90"][0] is None  # her day 90 has not come
    assert v["cross_department_ei"][0] == 0  # one tie inside Engineering, one across


def test_a_department_and_a_group(story):
    engineering = access.Scope("dept", story["ana"].department_id, "Engineering")
    v, board = values(engineering)
    assert board.headcount == 2
    assert v["active_members"] == (2, 1)
    assert v["participation_rate"][0] == 1.0  # Ana posted, Ben replied
    assert v["reply_rate"][0] == 1.0
    assert v["cross_department_ei"][0] == -1  # its one tie stays inside
    group = access.Scope("group", story["group"].pk, "G")
    v, _board = values(group)
    assert v["active_members"][0] == 3  # Ana, Cai and Ben did something in the group


def test_custom_periods_and_weeks_agree_with_natural_ones(story):
    custom = periods.custom(MARCH.start, MARCH.end)
    natural, _ = values(period=MARCH)
    live, _ = values(period=custom)
    for key in ("active_members", "participation_rate", "event_participation", "recognition_reach"):
        assert live[key][0] == natural[key][0], key
    week, _ = values(period=periods.period_of("week", dt.date(2025, 3, 5)))  # 3–9 March
    assert week["active_members"][0] == 3  # Ana, Ben, Cai (posted, met); Dee's RSVP was on the 1st
    assert week["weekly_active"][0] == 3
    assert live["weekly_active"][0] is None  # averages of calendar weeks: calendar periods only


def test_breakdown_withholds_small_survey_counts(story):
    _v, board = values()
    rows = {row["department"]: row for row in board.breakdown}
    assert rows["Sales"]["survey_withheld"] is True
    assert rows["Sales"]["survey_respondents"] is None
    # Engineering has fewer members than the minimum: even its "0" is withheld (it would tell that its
    # few people did not answer, next to "withheld" meaning some did).
    assert rows["Engineering"]["members"] < 5
    assert rows["Engineering"]["survey_respondents"] is None
    assert rows["Sales"]["active"] == 2


def test_a_location_is_read_from_today_s_directory(story):
    from tests.factories import LocationFactory

    lisbon = LocationFactory(name="Lisbon")
    for person in (story["cai"], story["dee"]):
        person.location = lisbon
        person.save(update_fields=["location"])
    v, board = values(access.Scope("location", lisbon.pk, "Lisbon"))
    assert board.headcount == 2
    assert v["active_members"][0] == 2
    assert v["rsvp_conversion"][0] == pytest.approx(1 / 2)


def test_silo_map(story):
    silo = selectors.silo_map(access.ORG, MARCH, level="all", today=TODAY)
    names = {d: n for d, n, _s in silo.departments}
    ids = {n: d for d, n in names.items()}
    assert silo.overall_ei == 0
    assert silo.ei[ids["Engineering"]] == -1
    assert silo.ei[ids["Finance"]] == 1
    # Engineering: 1 tie inside, 2 people → 1 possible pair → 100 per 100 pairs.
    assert silo.matrix[(ids["Engineering"], ids["Engineering"])] == pytest.approx(100)
    assert silo.matrix[(ids["Finance"], ids["Sales"])] == pytest.approx(100 / 2)
    assert silo.department_modularity is not None
    # Four people in all: every community is under the minimum group size, so only counted.
    assert silo.communities == ()
    assert silo.smaller_communities >= 1


def test_goals_keep_their_progress_fresh(story):
    admin = make_profile(full_name="Admin", is_admin=True)
    viewer = access.insights_viewer(admin.user)
    goal = services.goal_create(viewer=viewer, metric="participation_rate", target=0.9,
                                due=dt.date.today() + dt.timedelta(days=30))
    assert goal.scope_name == "Organization"
    Participation.objects.create(member_id=story["dee"].pk, verb="posted", occurred_at=dt.datetime.now(dt.UTC),
                                 department_id=story["dee"].department_id)
    rollups.rollups_update()
    assert services.goals_refresh() == 1
    goal.refresh_from_db()
    assert goal.current is not None
    assert goal.current > 0
    from courtyard.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="between 0 % and 100 %"):
        services.goal_create(viewer=viewer, metric="reply_rate", target=60, due=dt.date.today())
    with pytest.raises(ApplicationError, match="KPIs"):
        services.goal_create(viewer=viewer, metric="engagement_score", target=1, due=dt.date.today())


def test_a_program_and_an_event_series_count_only_their_own_facts(story):
    """Program 4 (the story's coffee: Cai paired and met) beside program 5 and a survey whose id is also 4;
    series 1 (the story's event: Cai and Dee said yes, Cai came) beside series 2."""
    ana, ben = story["ana"], story["ben"]

    def fact(person, verb, when, **extra):
        Participation.objects.create(member_id=person.pk, verb=verb, occurred_at=when,
                                     department_id=person.department_id, **extra)

    fact(ben, "paired", at(3), program_id=5)
    fact(ben, "met", at(4), program_id=5)
    fact(ana, "paired", at(4), program_id=5)
    fact(ana, "answered_survey", at(6), program_id=4, object_type="survey", object_id=4)  # survey 4, not program 4
    fact(ana, "rsvped", at(2), event_id=2)
    fact(ana, "attended", at(16), event_id=2)
    fact(ben, "attended", at(16), event_id=2)  # a walk-in: no RSVP
    rollups.rollups_update()

    v, board = values(access.Scope("program", 4, "Coffee"))
    assert board.headcount == 1  # Cai, the only one who ever took part in program 4
    assert v["active_members"][0] == 1
    assert v["participation_rate"][0] == 1.0
    assert v["coffee_meeting_rate"][0] == 1.0  # Cai paired once and met
    for key in ("event_participation", "rsvp_conversion", "survey_participation", "recognition_reach"):
        assert v[key] == (None, None), key  # no such facts carry a program: "—", not 0 %
    v, board = values(access.Scope("program", 5, "Coffee too"))
    assert (board.headcount, v["active_members"][0]) == (2, 2)  # Ben and Ana
    assert v["coffee_meeting_rate"][0] == pytest.approx(1 / 2)  # two pairings, one met

    v, board = values(access.Scope("series", 1, "Board games"))
    assert board.headcount == 2  # Cai and Dee
    assert v["active_members"] == (2, 0)
    assert v["event_participation"][0] == pytest.approx(1 / 2)  # Cai came
    assert v["rsvp_conversion"][0] == pytest.approx(1 / 2)
    for key in ("coffee_meeting_rate", "recognition_reach", "reply_rate", "contributions_per_member"):
        assert v[key][0] is None, key
    v, board = values(access.Scope("series", 2, "Quiz"))
    assert board.headcount == 2  # Ana and Ben
    assert v["event_participation"][0] == 1.0
    assert v["rsvp_conversion"][0] == 1.0  # Ana said yes and came; Ben's walk-in is not a conversion
    custom, _board = values(access.Scope("series", 2, "Quiz"), periods.custom(MARCH.start, MARCH.end))
    assert custom["active_members"][0] == 2  # custom periods read MemberMonth's series rows alike
