"""Setting goals through the goals page: the form offers every scope the scope picker offers the viewer,
checks the chosen one with access_scope (a bad or foreign id is a clear 400 and nothing is saved), and the
list shows each goal's scope by its real name."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.urls import reverse

from courtyard.core import clock
from courtyard.insights import access
from courtyard.insights.models import Goal
from courtyard.insights.web.forms import GoalForm
from courtyard.pairing.models import Program
from tests.factories import LocationFactory
from tests.helpers import db_snapshot
from tests.insights.conftest import Org, client_for

pytestmark = pytest.mark.django_db

REFUSED = "Choose the organization or a department, location, group, event series or program from the list."


def goal_data(scope: str) -> dict[str, Any]:
    return {"metric": "participation_rate", "scope": scope, "period_kind": "month", "target": "60",
            "due": (clock.now().date() + dt.timedelta(days=60)).isoformat(), "note": "By summer"}


@pytest.fixture
def scopes(org: Org) -> dict[str, tuple[int, str]]:
    """A location someone works at and a coffee program, beside the organizer's group."""
    location = LocationFactory(name="Lisbon")
    org.member.location = location
    org.member.save(update_fields=["location"])
    program = Program.objects.create(kind=Program.Kind.COFFEE, name="Coffee roulette", owner=org.member,
                                     created_at=clock.now())
    return {"location": (location.pk, "Lisbon"), "group": (org.group.pk, "Bridge club"),
            "program": (program.pk, "Coffee roulette")}


def test_the_form_offers_every_scope_of_the_picker(org, scopes):
    page = html.unescape(client_for(org.admin).get(reverse("insights:goals")).content.decode())
    form = page[page.index('id="id_goal_scope"'):]
    form = form[:form.index("</select>")]
    assert '<option value="org" selected>The whole organization</option>' in form
    assert f'value="dept:{org.manager.department_id}">Engineering</option>' in form
    for kind, (pk, name) in scopes.items():
        assert f'<option value="{kind}:{pk}">{name}</option>' in form
    for heading in ("Departments", "Locations", "Groups", "Programs"):
        assert f'<optgroup label="{heading}">' in form


@pytest.mark.parametrize("kind", ["location", "group", "program"])
def test_an_admin_sets_a_goal_for_any_kind_of_scope(org, scopes, kind):
    client = client_for(org.admin)
    pk, name = scopes[kind]
    response = client.post(reverse("insights:goals"), goal_data(f"{kind}:{pk}"))
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.scope_kind, goal.scope_id, goal.scope_name, goal.target) == (kind, pk, name, pytest.approx(0.6))
    page = html.unescape(client.get(reverse("insights:goals")).content.decode())
    heading = page[page.index("Participation rate · "):]
    assert heading.startswith(f"Participation rate · {name} <span")
    assert heading[:heading.index("</h3>")].endswith(f">{kind.capitalize()}</span>")


@pytest.mark.parametrize("scope", [
    "group:999999", "program:999999", "location:999999", "series:999999", "dept:999999",
    "group:abc", "group:", "planet:1", "group:-3",
])
def test_a_bad_or_foreign_scope_is_refused_and_nothing_is_saved(org, scopes, scope):
    client = client_for(org.admin)
    before = db_snapshot()
    response = client.post(reverse("insights:goals"), goal_data(scope))
    assert response.status_code == 400
    assert REFUSED in html.unescape(response.content.decode())
    assert 'value="By summer"' in response.content.decode()  # the rest of the form is kept
    assert db_snapshot() == before
    assert not Goal.objects.exists()


def test_the_form_refuses_a_scope_the_viewer_may_not_open(org, scopes):
    """Checked by access_scope for whoever fills it in: an organizer's own group passes, another's scope not."""
    organizer = access.insights_viewer(org.organizer.user)
    own = GoalForm(goal_data(f"group:{org.group.pk}"), viewer=organizer)
    assert own.is_valid(), own.errors
    assert own.cleaned_data["scope"] == access.Scope("group", org.group.pk, "Bridge club")
    for foreign in (f"program:{scopes['program'][0]}", f"location:{scopes['location'][0]}", "org",
                    f"dept:{org.manager.department_id}"):
        form = GoalForm(goal_data(foreign), viewer=organizer)
        assert not form.is_valid()
        assert form.errors["scope"] == [REFUSED]


def test_a_refused_scope_keeps_the_choice_shown(org, scopes):
    pk, _name = scopes["location"]
    data = {**goal_data(f"location:{pk}"), "target": "150"}
    response = client_for(org.admin).post(reverse("insights:goals"), data)
    assert response.status_code == 400
    assert f'<option value="location:{pk}" selected>' in response.content.decode()
