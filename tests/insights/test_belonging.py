"""The surveys' belonging index on the insights dashboard and in the API: shown to an admin for the organization,
withheld for a department too small to show (Engineering, 3 answers) or one whose figure everyone's minus it
would expose (Sales: the 9 who answered minus Sales' 6 is Engineering's 3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courtyard.surveys import services as survey_services
from tests.api.conftest import api_for
from tests.factories import make_profile
from tests.insights.conftest import client_for
from tests.insights.test_queries import session_queries
from tests.surveys.conftest import answer, close, make_survey

pytestmark = pytest.mark.django_db


def belonging_section(page: bytes) -> str:
    text = page.decode()
    start = text.index('id="h-belonging"')
    return text[start : text.index("</section>", start)]


@pytest.fixture
def answered(org):
    """Six in Sales agree that they belong (5, 5, 4, 4, 4, 4); three in Engineering do not (2, 2, 2): the index
    for everyone is 6 of 9, 66.7."""
    survey_services.question_bank_ensure()
    sales = [org.organizer, org.member, *(make_profile(department="Sales") for _ in range(4))]
    engineering = [org.manager, org.report, org.newcomer]
    survey = make_survey(org.admin, title="Belonging pulse")
    for person, value in zip([*sales, *engineering], [5, 5, 4, 4, 4, 4, 2, 2, 2], strict=True):
        answer(survey, person, **{"belonging.belong": value, "enps.recommend": 8})
    return close(survey)  # only closed surveys count


def test_dashboard_shows_the_index_to_an_admin(org, answered):
    page = client_for(org.admin).get(reverse("insights:dashboard")).content
    section = belonging_section(page)
    assert "<strong>67</strong>" in section
    assert "From 9 responses to 1 survey" in section


def test_dashboard_withholds_it_for_a_small_department(org, answered):
    page = client_for(org.manager).get(reverse("insights:dashboard")).content  # Engineering
    section = belonging_section(page)
    assert "(fewer than 5 answers)" in section
    assert "<strong>withheld</strong>" in section
    admin = client_for(org.admin)
    sales = org.organizer.department_id
    page = admin.get(reverse("insights:dashboard") + f"?scope=dept:{sales}").content
    section = belonging_section(page)
    assert "<strong>withheld</strong>" in section
    assert "subtracting" in section
    assert "66" not in section
    assert "100" not in section


def test_no_figure_for_a_group(org, answered):
    page = client_for(org.organizer).get(reverse("insights:dashboard")).content  # the group's scope
    section = belonging_section(page)
    assert "Belonging index:" not in section


def test_api_shows_the_value_and_withholds_it(org, answered):
    body = api_for(org.admin).get("/api/insights/kpis").body
    assert body["belonging"] == {
        "withheld": False,
        "reason": None,
        "value": pytest.approx(200 / 3),
        "respondents": 9,
        "surveys": 1,
        "minimum": 5,
    }
    sales = api_for(org.admin).get(f"/api/insights/kpis?scope=dept:{org.organizer.department_id}").body
    assert sales["belonging"] == {
        "withheld": True,
        "reason": "derivable",
        "value": None,
        "respondents": None,
        "surveys": None,
        "minimum": 5,
    }
    mine = api_for(org.manager).get("/api/insights/kpis").body
    assert mine["scope"]["kind"] == "dept"
    assert mine["belonging"] == {
        "withheld": True,
        "reason": "small",
        "value": None,
        "respondents": None,
        "surveys": None,
        "minimum": 5,
    }
    group = api_for(org.organizer).get("/api/insights/kpis").body
    assert group["belonging"] is None


@pytest.mark.parametrize(("role", "expected"), [("admin", 10), ("manager", 11), ("organizer", 10)])
def test_answers_do_not_change_the_pinned_query_counts(
    org, answered, role, expected, django_assert_num_queries, settings
):
    """The same counts as test_queries.PAGES, with survey answers present (the department tree comes from the
    directory's cached list)."""
    settings.INSIGHTS_CACHE_SECONDS = 0
    client = client_for(getattr(org, role))
    url = reverse("insights:dashboard")
    client.get(url)
    with django_assert_num_queries(expected + session_queries()):
        assert client.get(url).status_code == 200
