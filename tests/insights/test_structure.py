"""Participation structure per scope: communities among the scope's own members, as sizes and
departments only, small clusters only counted."""

from __future__ import annotations

import datetime as dt

import pytest

from courtyard.groups import services as group_services
from courtyard.insights import selectors
from courtyard.insights.access import ORG, Scope
from courtyard.insights.domain import periods
from courtyard.insights.models import MemberTie
from tests.factories import make_profile

pytestmark = pytest.mark.django_db
MONTH = dt.date(2030, 3, 1)


def tie(a, b, weight=3):
    low, high = sorted((a.pk, b.pk))
    MemberTie.objects.create(month=MONTH, low_id=low, high_id=high, weight=weight)


def clique(people):
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            tie(a, b)


def test_a_group_s_members_form_two_communities_and_outsiders_do_not_count(settings):
    settings.INSIGHTS_CACHE_SECONDS = 0
    owner = make_profile(email="own@example.com", full_name="Owner", department="Sales")
    sales = [owner] + [make_profile(email=f"s{i}@example.com", full_name=f"S {i}", department="Sales") for i in range(5)]
    eng = [make_profile(email=f"e{i}@example.com", full_name=f"E {i}", department="Engineering") for i in range(6)]
    pair = [make_profile(email=f"p{i}@example.com", full_name=f"P {i}", department="Legal") for i in range(2)]
    outsiders = [make_profile(email=f"o{i}@example.com", full_name=f"O {i}", department="Legal") for i in range(6)]
    group = group_services.group_create(actor=owner.user, name="Bridge club")
    for person in sales[1:] + eng + pair:
        group_services.membership_join(actor=person.user, group=group)
    clique(sales)
    clique(eng)
    tie(sales[0], eng[0], weight=1)  # one weak bridge
    tie(pair[0], pair[1])
    clique(outsiders)  # not members: ignored
    tie(outsiders[0], eng[1], weight=9)
    period = periods.period_of("month", MONTH)
    found = selectors.participation_structure(Scope("group", group.pk, group.name), period)
    assert found is not None
    assert found["members"] == 14
    assert sorted(c["size"] for c in found["communities"]) == [6, 6]
    assert found["smaller"] == 1  # the Legal pair: counted, never described
    by_size = {tuple(c["departments"]) for c in found["communities"]}
    assert by_size == {(("Sales", 6),), (("Engineering", 6),)}
    assert all(c["other_departments"] == 0 for c in found["communities"])
    assert found["modularity"] > 0.3
    # Another month: nothing.
    later = selectors.participation_structure(Scope("group", group.pk, group.name),
                                              periods.period_of("month", dt.date(2030, 5, 1)))
    assert later is not None
    assert later["ties"] == 0
    assert selectors.participation_structure(ORG, period) is None  # the silo map covers the organization


def test_a_department_with_fewer_than_three_people_in_a_community_is_only_counted(settings):
    settings.INSIGHTS_CACHE_SECONDS = 0
    owner = make_profile(email="own@example.com", full_name="Owner", department="Sales")
    people = [owner] + [make_profile(email=f"s{i}@example.com", full_name=f"S {i}", department="Sales") for i in range(4)]
    ceo = make_profile(email="ceo@example.com", full_name="The CEO", department="Executive Office")
    group = group_services.group_create(actor=owner.user, name="Book club")
    for person in [*people[1:], ceo]:
        group_services.membership_join(actor=person.user, group=group)
    clique([*people, ceo])
    found = selectors.participation_structure(Scope("group", group.pk, group.name), periods.period_of("month", MONTH))
    assert found is not None
    [community] = found["communities"]
    assert community["size"] == 6
    assert community["departments"] == [("Sales", 5)]
    assert community["other_departments"] == 1  # Executive Office: counted, not named


def test_a_department_scope_reads_only_its_members(settings):
    settings.INSIGHTS_CACHE_SECONDS = 0
    eng = [make_profile(email=f"e{i}@example.com", full_name=f"E {i}", department="Engineering") for i in range(5)]
    other = [make_profile(email=f"x{i}@example.com", full_name=f"X {i}", department="Sales") for i in range(5)]
    clique(eng)
    clique(other)
    department_id = eng[0].department_id
    found = selectors.participation_structure(Scope("dept", department_id, "Engineering"),
                                              periods.period_of("quarter", MONTH))
    assert found is not None
    assert [c["size"] for c in found["communities"]] == [5]
    assert found["members"] == 5


def test_the_api_gives_the_structure_of_a_scope_below_the_organization(org, settings):
    from tests.insights.conftest import client_for

    settings.INSIGHTS_CACHE_SECONDS = 0
    body = client_for(org.organizer).get(f"/api/insights/kpis?scope=group:{org.group.pk}").json()
    assert body["structure"]["too_large"] is False
    assert isinstance(body["structure"]["communities"], list)
    assert client_for(org.admin).get("/api/insights/kpis?scope=org").json()["structure"] is None


def test_the_silo_map_names_no_department_with_fewer_than_three_in_a_community(settings):
    """The silo map's communities follow the participation structure's floor: "Solo (1)" is gone, and a
    community under the minimum group size is only counted."""
    from courtyard.people.selectors import directory_options_invalidate

    settings.INSIGHTS_CACHE_SECONDS = 0
    sales = [make_profile(email=f"s{i}@example.com", full_name=f"S {i}", department="Sales") for i in range(5)]
    solo = make_profile(email="solo@example.com", full_name="Solo Person", department="Solo")
    duo = [make_profile(email=f"d{i}@example.com", full_name=f"D {i}", department="Duo") for i in range(2)]
    legal = [make_profile(email=f"l{i}@example.com", full_name=f"L {i}", department="Legal") for i in range(3)]
    directory_options_invalidate()  # done on commit, which a test transaction never reaches
    clique([*sales, solo, *duo])
    clique(legal)  # three people: a community under the minimum
    silo = selectors.silo_map(ORG, periods.period_of("month", MONTH), level="all", today=MONTH)
    assert [c["size"] for c in silo.communities] == [8]
    [community] = silo.communities
    assert community["departments"] == [("Sales", 5)]
    assert community["other_departments"] == 2  # Solo and Duo: counted, never named
    assert silo.smaller_communities == 1
    for c in silo.communities:
        assert all(n >= 3 for _name, n in c["departments"])
