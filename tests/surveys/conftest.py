from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from courtyard.people import services as people_services
from courtyard.people.models import Department, Location, Profile
from courtyard.surveys import services
from courtyard.surveys.models import Question, Survey, SurveyQuestion
from tests.factories import make_profile

PLANTED = "Zanzibar-marmalade-7319"  # a unique answer nobody else would write


@dataclasses.dataclass
class Org:
    admin: Profile
    engineering: Department
    platform: Department
    sales: Department
    berlin: Location
    lisbon: Location
    platform_people: list[Profile]
    engineering_people: list[Profile]  # directly in Engineering, not in Platform
    sales_people: list[Profile]

    @property
    def everyone(self) -> list[Profile]:
        return [*self.platform_people, *self.engineering_people, *self.sales_people]


@pytest.fixture(autouse=True)
def _bank(db):
    services.question_bank_ensure()


@pytest.fixture
def org(db, admin) -> Org:
    """Engineering (with Platform under it) and Sales, in two cities: 8 in Platform, 2 directly in Engineering,
    6 in Sales. Tenure differs so segments have several bands."""
    engineering = people_services.department_ensure_path("Engineering")
    platform = people_services.department_ensure_path("Engineering / Platform")
    sales = people_services.department_ensure_path("Sales")
    berlin = people_services.location_ensure("Berlin")
    lisbon = people_services.location_ensure("Lisbon")
    today = dt.date.today()

    def people(prefix: str, n: int, department: Department, location: Location) -> list[Profile]:
        return [make_profile(email=f"{prefix}{i}@example.com", full_name=f"{prefix.title()} {i}",
                             department=department, location=location,
                             start_date=today - dt.timedelta(days=400 + 300 * i)) for i in range(n)]

    return Org(
        admin=admin, engineering=engineering, platform=platform, sales=sales, berlin=berlin, lisbon=lisbon,
        platform_people=people("plat", 8, platform, berlin),
        engineering_people=people("eng", 2, engineering, berlin),
        sales_people=people("sales", 6, sales, lisbon),
    )


def bank(*keys: str) -> list[int]:
    found = dict(Question.objects.filter(key__in=keys).values_list("key", "pk"))
    return [found[k] for k in keys]


def make_survey(admin: Profile, *, keys: tuple[str, ...] = ("belonging.belong", "enps.recommend", "open.better"),
                open_now: bool = True, **kwargs: Any) -> Survey:
    kwargs.setdefault("title", "Spring pulse")
    survey = services.survey_create(actor=admin.user, question_ids=bank(*keys), **kwargs)
    if open_now:
        survey = services.survey_open(actor=admin.user, survey=survey)
    return survey


def answers_for(survey: Survey, **by_key: Any) -> dict[int, list[str]]:
    """Form-style answers by bank key: {"belonging.belong": 4, "open.better": "text", "x": [0, 2]}."""
    raw: dict[int, list[str]] = {}
    for sq in SurveyQuestion.objects.filter(survey=survey).select_related("question"):
        value = by_key.get(sq.question.key or "")
        if value is None:
            continue
        raw[sq.pk] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return raw


def close(survey: Survey) -> Survey:
    """Close the survey: an anonymous survey's results are released only then."""
    survey.refresh_from_db()
    return services.survey_close(actor=None, survey=survey)


def answer(survey: Survey, profile: Profile, **by_key: Any):
    survey.refresh_from_db()
    return services.response_submit(actor=profile.user, survey=survey, answers=answers_for(survey, **by_key))
