from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from courtyard.groups import services as group_services
from courtyard.people import services as people_services
from courtyard.recognition import services
from tests.factories import make_profile


@dataclasses.dataclass
class Org:
    """A small organization: Platform team (ana, bo, cy) managed by mo; sales (sam); an admin; someone gone."""

    ana: Any
    bo: Any
    cy: Any
    mo: Any
    sam: Any
    admin: Any
    gone: Any
    team: Any
    values: list[Any]


@pytest.fixture
def reactions(db):
    group_services.reaction_kinds_ensure_defaults()
    from courtyard.groups.models import ReactionKind

    return list(ReactionKind.objects.all())


@pytest.fixture
def org(db, reactions) -> Org:
    engineering = people_services.department_ensure_path("Engineering / Platform")
    sales = people_services.department_ensure_path("Sales")
    team = people_services.team_ensure("Platform", engineering)
    mo = make_profile(email="mo@example.com", full_name="Mo Manager", department=engineering, team=team)
    ana = make_profile(email="ana@example.com", full_name="Ana Appreciative", department=engineering, team=team, manager=mo)
    bo = make_profile(email="bo@example.com", full_name="Bo Builder", department=engineering, team=team, manager=mo)
    cy = make_profile(email="cy@example.com", full_name="Cy Coder", department=engineering, team=team, manager=mo)
    sam = make_profile(email="sam@example.com", full_name="Sam Seller", department=sales)
    admin = make_profile(email="admin@example.com", full_name="Ada Admin", is_admin=True, department="People")
    gone = make_profile(email="gone@example.com", full_name="Gus Gone", department=sales)
    people_services.member_set_active(actor=admin.user, profile=gone, active=False)
    values = [
        services.value_create(actor=admin.user, name="Customers first", emoji="🤝", description="We start from them."),
        services.value_create(actor=admin.user, name="Own it", emoji="🔧", description="We finish what we start."),
    ]
    return Org(ana=ana, bo=bo, cy=cy, mo=mo, sam=sam, admin=admin, gone=gone, team=team, values=values)


@pytest.fixture
def allowance_on(org):
    return services.settings_update(actor=org.admin.user, allowance_enabled=True, monthly_points=100,
                                    per_recipient_limit=30, max_points_per_kudos=20)
