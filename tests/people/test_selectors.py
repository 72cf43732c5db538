"""people.selectors on the real database: directory search, filters, sorting, and what pages read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courtyard.people import selectors, services
from courtyard.people.models import Location, Tag
from courtyard.people.selectors import DirectoryQuery
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)


@pytest.fixture
def fixed_clock(monkeypatch):
    now = timezone.make_aware(dt.datetime(2026, 3, 15, 12, 0))
    monkeypatch.setattr("courtyard.core.clock.now", lambda: now)
    return now


@pytest.fixture
def people(admin, fixed_clock):
    """A small organization: departments with a sub-department, teams, locations, tags, newcomers."""
    berlin = services.location_ensure("Berlin", "Europe/Berlin")
    lisbon = services.location_ensure("Lisbon", "Europe/Lisbon")
    platform = services.department_ensure_path("Engineering / Platform")
    engineering = platform.parent
    sales = services.department_ensure_path("Sales")
    storage = services.team_ensure("Storage", platform)
    return {
        "jose": make_profile(
            full_name="José Núñez", department=platform, team=storage, location=berlin,
            interests=["Rock climbing"], skills=["Kubernetes"], start_date=TODAY - dt.timedelta(days=10),
            title="Site reliability engineer",
        ),
        "ana": make_profile(
            full_name="Ana Alves", department=engineering, location=lisbon, interests=["Board games"],
            skills=["Python"], start_date=dt.date(2015, 5, 1), title="Principal engineer",
        ),
        "zoe": make_profile(
            full_name="Zoë Zimmer", department=sales, location=berlin, interests=["Rock climbing", "Jazz"],
            start_date=TODAY - dt.timedelta(days=60), title="Account executive",
        ),
        "bob": make_profile(
            full_name="Bob Brown", department="Sales / Inside", interests=["Climbing walls"],
            start_date=dt.date(2019, 1, 1), preferred_name="Bobby",
        ),
        "platform": platform, "engineering": engineering, "sales": sales, "storage": storage,
        "berlin": berlin, "lisbon": lisbon, "admin": admin,
    }


def names(query: DirectoryQuery) -> list[str]:
    return [p.full_name for p in selectors.directory_queryset(query)]


def test_search_by_name(people):
    assert names(DirectoryQuery(q="Alves")) == ["Ana Alves"]
    assert names(DirectoryQuery(q="bobby")) == ["Bob Brown"]  # preferred name
    assert names(DirectoryQuery(q="ana alves")) == ["Ana Alves"]  # every word must match


def test_search_matches_word_prefixes(people):
    assert set(names(DirectoryQuery(q="clim"))) == {"José Núñez", "Zoë Zimmer", "Bob Brown"}
    assert names(DirectoryQuery(q="kube")) == ["José Núñez"]
    assert names(DirectoryQuery(q="climbing jazz")) == ["Zoë Zimmer"]


def test_search_ignores_accents_both_ways(people):
    assert names(DirectoryQuery(q="jose")) == ["José Núñez"]
    assert names(DirectoryQuery(q="núñez")) == ["José Núñez"]
    assert names(DirectoryQuery(q="ZOE")) == ["Zoë Zimmer"]


def test_search_covers_title_department_team_location_and_email(people):
    assert names(DirectoryQuery(q="reliability")) == ["José Núñez"]
    assert names(DirectoryQuery(q="storage")) == ["José Núñez"]
    assert set(names(DirectoryQuery(q="lisbon"))) == {"Ana Alves"}
    assert set(names(DirectoryQuery(q="sales"))) == {"Zoë Zimmer", "Bob Brown"}


@pytest.mark.parametrize("q", ['"', "AND", "*", "a OR b", "NEAR(", "')--", "\\", "%", "_", "-", "ü" * 300])
def test_search_survives_operators_and_punctuation(people, q):
    # Whatever is typed, the query runs and returns a list (never a database error).
    assert isinstance(names(DirectoryQuery(q=q)), list)


def test_search_without_words_lists_everyone(people):
    assert len(names(DirectoryQuery(q="!!!"))) == 5


def test_deactivated_people_are_hidden_unless_asked(people):
    services.member_set_active(actor=people["admin"].user, profile=people["ana"], active=False)
    assert "Ana Alves" not in names(DirectoryQuery())
    assert names(DirectoryQuery(q="alves")) == []
    assert names(DirectoryQuery(q="alves", include_inactive=True)) == ["Ana Alves"]


def test_filter_department_includes_sub_departments(people):
    assert set(names(DirectoryQuery(department=people["engineering"].pk))) == {"José Núñez", "Ana Alves"}
    assert names(DirectoryQuery(department=people["platform"].pk)) == ["José Núñez"]
    assert set(names(DirectoryQuery(department=people["sales"].pk))) == {"Zoë Zimmer", "Bob Brown"}
    assert names(DirectoryQuery(department=999_999)) == []


def test_department_prefix_does_not_leak_into_similar_names(people):
    services.department_ensure_path("Sales Ops")
    lone = make_profile(full_name="Sam Salesops", department="Sales Ops")
    assert lone.full_name not in names(DirectoryQuery(department=people["sales"].pk))


def test_filter_team_location_interest_skill(people):
    assert names(DirectoryQuery(team=people["storage"].pk)) == ["José Núñez"]
    assert names(DirectoryQuery(location=people["berlin"].pk)) == ["José Núñez", "Zoë Zimmer"]
    assert names(DirectoryQuery(interest="rock-climbing")) == ["José Núñez", "Zoë Zimmer"]
    assert names(DirectoryQuery(skill="python")) == ["Ana Alves"]
    # An interest slug is not a skill, and the reverse.
    assert names(DirectoryQuery(skill="rock-climbing")) == []
    assert names(DirectoryQuery(interest="python")) == []


def test_filters_combine(people):
    query = DirectoryQuery(q="clim", location=people["berlin"].pk, department=people["sales"].pk)
    assert names(query) == ["Zoë Zimmer"]


def test_a_person_with_two_matching_tags_appears_once(people):
    services.profile_update(
        actor=people["zoe"].user, profile=people["zoe"], data={"interests": ["Rock climbing", "Jazz", "Rock-Climbing"]}
    )
    assert names(DirectoryQuery(interest="rock-climbing")).count("Zoë Zimmer") == 1


def test_filter_newcomers(people, settings):
    settings.NEWCOMER_DAYS = 90
    assert names(DirectoryQuery(newcomer=True)) == ["José Núñez", "Zoë Zimmer"]
    settings.NEWCOMER_DAYS = 30
    assert names(DirectoryQuery(newcomer=True)) == ["José Núñez"]


def test_future_start_dates_are_not_newcomers_yet(people):
    make_profile(full_name="Fay Future", start_date=TODAY + dt.timedelta(days=5))
    assert "Fay Future" not in names(DirectoryQuery(newcomer=True))


def test_sorts(people):
    everyone = ["Ana Alves", "Ada Admin", "Bob Brown", "José Núñez", "Zoë Zimmer"]
    assert names(DirectoryQuery(sort="name")) == sorted(everyone)
    newest = names(DirectoryQuery(sort="newest"))
    assert newest[:2] == ["José Núñez", "Zoë Zimmer"]
    by_department = names(DirectoryQuery(sort="department"))
    assert by_department.index("Ana Alves") < by_department.index("José Núñez") < by_department.index("Zoë Zimmer")
    # An unknown sort falls back instead of failing.
    assert sorted(names(DirectoryQuery(sort="; DROP TABLE"))) == sorted(everyone)


def test_relevance_ranks_better_matches_first(people):
    make_profile(full_name="Clara Climber", interests=["Climbing", "Ice climbing"], title="Climbing coach")
    ranked = names(DirectoryQuery(q="climbing", sort="relevance"))
    assert ranked[0] == "Clara Climber"
    assert set(ranked) == {"Clara Climber", "José Núñez", "Zoë Zimmer", "Bob Brown"}


def test_directory_page_paginates(people):
    page = selectors.directory_page(DirectoryQuery(sort="name"), 2, per_page=2)
    assert page.number == 2
    assert page.paginator.count == 5
    assert [p.full_name for p in page.object_list] == ["Bob Brown", "José Núñez"]
    # Out-of-range or nonsense page numbers give a page, not an error.
    assert selectors.directory_page(DirectoryQuery(), 999, per_page=2).number == 3
    assert selectors.directory_page(DirectoryQuery(), "x", per_page=2).number == 1


def test_directory_slice(people):
    count, rows = selectors.directory_slice(DirectoryQuery(sort="name"), offset=1, limit=2)
    assert count == 5
    assert [p.full_name for p in rows] == ["Ana Alves", "Bob Brown"]
    assert selectors.directory_slice(DirectoryQuery(), offset=50, limit=10) == (5, [])


def test_filter_options_list_departments_and_locations(people):
    options = selectors.directory_filter_options()
    assert [d["path"] for d in options["departments"]] == [
        "Engineering", "Engineering / Platform", "People", "Sales", "Sales / Inside",
    ]
    assert [loc["name"] for loc in options["locations"]] == ["Berlin", "Lisbon"]


def test_filter_options_show_new_departments_and_locations_at_once(people, django_capture_on_commit_callbacks):
    selectors.directory_filter_options()  # cached
    with django_capture_on_commit_callbacks(execute=True):
        services.department_ensure_path("Finance / Audit")
        services.location_ensure("Porto")
    options = selectors.directory_filter_options()
    assert "Finance / Audit" in [d["path"] for d in options["departments"]]
    assert "Porto" in [loc["name"] for loc in options["locations"]]


def test_teams_for_department(people):
    assert selectors.teams_for_department(people["platform"].pk) == [{"id": people["storage"].pk, "name": "Storage"}]
    assert selectors.teams_for_department(None) == []
    assert selectors.teams_for_department(0) == []


def test_tag_suggestions(people):
    assert selectors.tag_suggestions("interest", "cli") == ["Climbing walls"]
    assert selectors.tag_suggestions("interest", "rock cl") == ["Rock climbing"]
    assert selectors.tag_suggestions("interest", "ROCK") == ["Rock climbing"]
    assert selectors.tag_suggestions("skill", "py") == ["Python"]
    assert selectors.tag_suggestions("skill", "") == []
    assert selectors.tag_suggestions("colour", "re") == []
    Tag.objects.bulk_create(Tag(kind="skill", name=f"Py{i}", slug=f"py{i}") for i in range(20))
    assert len(selectors.tag_suggestions("skill", "py")) == 10


def test_profile_detail_lists_tags_and_active_reports(people):
    admin = people["admin"].user
    for report in (people["ana"], people["zoe"]):
        services.profile_update(actor=admin, profile=report, data={"manager": people["jose"]})
    services.member_set_active(actor=admin, profile=people["zoe"], active=False)
    detail = selectors.profile_detail(people["jose"])
    assert [t.name for t in detail["interests"]] == ["Rock climbing"]
    assert [t.name for t in detail["skills"]] == ["Kubernetes"]
    assert [p.full_name for p in detail["reports"]] == ["Ana Alves"]


def test_home_overview_newcomers_and_shared_interests(people):
    overview = selectors.home_overview(people["bob"].user)
    assert overview["profile"] == people["bob"]
    assert [p.full_name for p in overview["newcomers"]] == ["José Núñez", "Zoë Zimmer"]
    assert overview["similar"] == []  # "Climbing walls" is nobody else's interest
    overview = selectors.home_overview(people["jose"].user)
    assert [(p.full_name, p.shared) for p in overview["similar"]] == [("Zoë Zimmer", 1)]
    # The member themself is never suggested, and deactivated people are not either.
    services.member_set_active(actor=people["admin"].user, profile=people["zoe"], active=False)
    assert selectors.home_overview(people["jose"].user)["similar"] == []


def test_home_overview_without_a_profile(db, django_user_model):
    user = django_user_model.objects.create_user("loner@example.com", "x" * 12)
    assert selectors.home_overview(user) == {"profile": None, "newcomers": [], "similar": []}


def test_profile_for_user(people):
    assert selectors.profile_for_user(people["ana"].user.pk) == people["ana"]
    assert selectors.profile_for_user(10**9) is None


def test_location_model_is_unique_by_name(people):
    assert Location.objects.filter(name="Berlin").count() == 1
