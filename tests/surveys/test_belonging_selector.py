"""The belonging index insights read from surveys (``surveys.selectors.belonging_index``): hand-computed values,
the minimum group size (the survey's own, and the strictest of several), the subtraction rule, and periods.

The org fixture: Engineering with Platform under it (8 people in Platform, 2 directly in Engineering, all in
Berlin) and Sales (6, Lisbon)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from courtyard.core import clock
from courtyard.surveys import selectors
from courtyard.surveys.models import Survey
from tests.surveys.conftest import answer, close, make_survey

pytestmark = pytest.mark.django_db

BELONGING = ("belonging.belong", "belonging.heard", "enps.recommend")


def this_month() -> tuple[dt.date, dt.date]:
    today = clock.now().date()
    start = today.replace(day=1)
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def index(
    kind: str, scope_id: int = 0, period: tuple[dt.date, dt.date] | None = None
) -> dict[str, Any] | None:
    start, end = period or this_month()
    return selectors.belonging_index(kind, scope_id, start, end)


def survey_with(admin, people, belong: list[int], heard: list[int] | None = None, closed: bool = True,
                **kwargs: Any) -> Survey:
    """A survey answered by ``people``, closed (only closed surveys count) unless ``closed`` is False."""
    survey = make_survey(admin, keys=BELONGING, **kwargs)
    for i, person in enumerate(people):
        values = {"belonging.belong": belong[i], "enps.recommend": 7}
        if heard is not None:
            values["belonging.heard"] = heard[i]
        else:
            values["belonging.heard"] = belong[i]
        answer(survey, person, **values)
    if closed:
        close(survey)
    survey.refresh_from_db()
    return survey


def shown_in_results(survey: Survey, key: str) -> bool:
    return any(s["key"] == key and s["shown"] for s in selectors.survey_results(survey)["segments"])


def test_hand_computed_index_over_two_statements(org):
    # "I belong": 5,4,4,3,2,1,5,4 → 5 of 8 agree (62.5 %); "I am heard": 4,4,4,4,2,2,2,2 → 4 of 8 (50 %).
    survey_with(
        org.admin, org.platform_people, belong=[5, 4, 4, 3, 2, 1, 5, 4], heard=[4, 4, 4, 4, 2, 2, 2, 2]
    )
    found = index("org")
    assert found == {"value": pytest.approx(56.25), "respondents": 8, "surveys": 1, "minimum": 5}
    # The department with its sub-department and the location read the same eight answers.
    assert index("dept", org.engineering.pk)["value"] == pytest.approx(56.25)
    assert index("location", org.berlin.pk)["respondents"] == 8


def test_pooled_over_surveys_per_statement(org):
    # Survey A: Platform's 8 all agree (100 %). Survey B: Sales' 6 all disagree (0 %). Pooled: 8 of 14 agree.
    survey_with(org.admin, org.platform_people, belong=[5] * 8, title="A")
    survey_with(org.admin, org.sales_people, belong=[1] * 6, title="B")
    found = index("org")
    assert found["value"] == pytest.approx(100 * 8 / 14)
    assert found["respondents"] == 14
    assert found["surveys"] == 2
    assert index("dept", org.sales.pk) == {"value": 0.0, "respondents": 6, "surveys": 1, "minimum": 5}
    assert index("location", org.lisbon.pk)["value"] == 0.0


def test_withheld_below_the_minimum_group_size(org):
    survey_with(org.admin, org.platform_people[:4], belong=[5, 5, 1, 1])
    assert index("org") == {"withheld": True, "reason": "small", "minimum": 5}
    assert index("dept", org.platform.pk) == {"withheld": True, "reason": "small", "minimum": 5}


def test_no_answers_in_scope_or_a_scope_answers_do_not_carry(org):
    assert index("org") is None
    survey_with(org.admin, org.platform_people, belong=[4] * 8)
    assert index("dept", org.sales.pk) is None  # nobody in Sales answered
    assert index("location", org.lisbon.pk) is None
    assert index("group", 1) is None  # answers keep no group: no figure rather than a guess
    assert index("program", 1) is None


def test_department_minus_its_sub_department_is_withheld(org):
    """Engineering (10) minus Platform (8) would be the two people directly in Engineering: Platform is withheld
    (as on the survey's results), Engineering and everyone are shown."""
    survey = survey_with(
        org.admin, [*org.platform_people, *org.engineering_people], belong=[5, 5, 5, 5, 5, 5, 5, 5, 1, 1]
    )
    assert index("dept", org.platform.pk) == {"withheld": True, "reason": "derivable", "minimum": 5}
    assert index("dept", org.engineering.pk)["value"] == pytest.approx(80.0)
    assert index("org")["respondents"] == 10
    assert not shown_in_results(survey, f"dept:{org.platform.pk}")
    assert shown_in_results(survey, f"dept:{org.engineering.pk}")


def test_organization_minus_a_department_never_leaves_a_small_group(org):
    """Sales (6) and two engineers answer: everyone (8) minus Sales (6) would expose the two engineers. The two
    figures are never both shown, and what is shown is exactly what the survey's results show."""
    survey = survey_with(
        org.admin, [*org.sales_people, *org.engineering_people], belong=[4, 4, 4, 4, 4, 4, 1, 1]
    )
    everyone, sales = index("org"), index("dept", org.sales.pk)
    assert everyone is not None
    assert sales is not None
    assert everyone.get("withheld") or sales.get("withheld")
    assert (not everyone.get("withheld")) == shown_in_results(survey, "all")
    assert (not sales.get("withheld")) == shown_in_results(survey, f"dept:{org.sales.pk}")
    withheld = everyone if everyone.get("withheld") else sales
    assert withheld["reason"] == "derivable"
    assert index("dept", org.engineering.pk) == {"withheld": True, "reason": "small", "minimum": 5}


def test_a_survey_with_a_larger_minimum_group_size(org):
    survey_with(org.admin, org.platform_people, belong=[5] * 8, min_group_size=10)
    assert index("org") == {"withheld": True, "reason": "small", "minimum": 10}


def test_the_strictest_minimum_among_the_surveys_involved(org):
    # A (minimum 5): Platform's 8 agree. B (minimum 10): 6 in Sales, withheld on its own results.
    survey_with(org.admin, org.platform_people, belong=[5] * 8, title="A")
    strict = survey_with(org.admin, org.sales_people, belong=[1] * 6, title="B", min_group_size=10)
    assert not shown_in_results(strict, "all")
    # A's 8 answers alone are fewer than B's minimum of 10: nothing is shown.
    assert index("org") == {"withheld": True, "reason": "small", "minimum": 10}
    # Where B has no answers, only A is involved.
    assert index("dept", org.platform.pk)["value"] == 100.0


def test_strict_survey_left_out_but_the_rest_reaches_its_minimum(org):
    everyone = [*org.platform_people, *org.engineering_people, *org.sales_people]
    survey_with(org.admin, everyone, belong=[5] * 8 + [1] * 8, title="A")  # 16 answers, 8 agree: 50 %
    survey_with(org.admin, org.sales_people[:4], belong=[5] * 4, title="B", min_group_size=10)
    found = index("org")
    assert found == {"value": 50.0, "respondents": 16, "surveys": 1, "minimum": 10}  # B's 4 are not in it


def test_a_survey_counts_in_the_period_it_opened(org):
    march = survey_with(org.admin, org.platform_people, belong=[5] * 8, title="March")
    april = survey_with(org.admin, org.sales_people, belong=[1] * 6, title="April")
    Survey.objects.filter(pk=march.pk).update(opened_at=dt.datetime(2025, 3, 31, 23, 30, tzinfo=dt.UTC))
    Survey.objects.filter(pk=april.pk).update(opened_at=dt.datetime(2025, 4, 1, 0, 0, tzinfo=dt.UTC))
    assert index("org", period=(dt.date(2025, 3, 1), dt.date(2025, 3, 31)))["value"] == 100.0
    assert index("org", period=(dt.date(2025, 4, 1), dt.date(2025, 4, 30)))["value"] == 0.0
    quarter = index("org", period=(dt.date(2025, 1, 1), dt.date(2025, 6, 30)))
    assert quarter["surveys"] == 2
    assert quarter["respondents"] == 14
    assert index("org", period=(dt.date(2025, 5, 1), dt.date(2025, 5, 31))) is None
    assert index("org", period=(dt.date(2025, 3, 31), dt.date(2025, 3, 31)))["surveys"] == 1  # inclusive end


def test_one_query_and_aggregates_only(org, django_assert_num_queries):
    survey_with(org.admin, org.platform_people, belong=[5, 4, 4, 3, 2, 1, 5, 4])
    index("org")  # the directory's department list is cached once warm
    with django_assert_num_queries(1):
        found = index("dept", org.engineering.pk)
    assert set(found) == {"value", "respondents", "surveys", "minimum"}


def test_an_open_survey_moves_no_reading_and_a_closed_one_adds_its_whole_share(org):
    """Read before and after each answer: while the survey is open no reading changes (not even which minimum
    applies), so nobody learns one person's answer by difference; at close its whole share arrives at once."""
    survey_with(org.admin, org.platform_people, belong=[5] * 8, title="A")
    scopes = [("org", 0), ("dept", org.sales.pk), ("dept", org.engineering.pk), ("location", org.lisbon.pk)]
    before = {scope: index(*scope) for scope in scopes}
    second = survey_with(org.admin, [], belong=[], title="B", closed=False, min_group_size=6)
    for person in org.sales_people:
        answer(second, person, **{"belonging.belong": 1, "belonging.heard": 1, "enps.recommend": 7})
        assert {scope: index(*scope) for scope in scopes} == before
    close(second)
    assert index("dept", org.sales.pk) == {"value": 0.0, "respondents": 6, "surveys": 1, "minimum": 6}
    assert index("org")["respondents"] == 14
