"""A field a member hides is not searchable, filterable or sortable by the members it is hidden from: not in
the directory (page and API), not in global search. Admins, who see hidden fields, may still filter by them."""

from __future__ import annotations

import datetime as dt

import pytest

from courtyard.core import clock
from courtyard.people import services
from courtyard.people.models import Location
from tests.api.conftest import api_for
from tests.conftest import signed_in_client
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

SEARCHABLE = {
    # field: (what the member fills in, a word to search for it)
    "location": ("location", "Reykjavik"),
    "languages": ("languages", "Esperanto"),
    "ask_me_about": ("ask_me_about", "Sourdough"),
}


@pytest.fixture
def hider(db):
    reykjavik = services.location_ensure("Reykjavik")
    return make_profile(
        email="hider@example.com", full_name="Hilde Hider", location=reykjavik, languages="Esperanto",
        ask_me_about="Sourdough baking", start_date=clock.now().date() - dt.timedelta(days=10),
    )


def hide(profile, *fields):
    services.profile_update(actor=profile.user, profile=profile, data={"hidden_fields": list(fields)})


def page_names(client, **params) -> list[str]:
    response = client.get("/people/", params)
    assert response.status_code == 200
    return [p.full_name for p in response.context["page"].object_list]


def api_names(viewer, **params) -> list[str]:
    return [p["full_name"] for p in api_for(viewer).request("get", "/api/people/", params).body["items"]]


def search_names(viewer, q: str) -> list[str]:
    return [p["display_name"] for p in api_for(viewer).request("get", "/api/search/", {"q": q}).body["people"]]


@pytest.mark.parametrize("field", sorted(SEARCHABLE))
def test_a_hidden_field_is_not_found_by_searching_for_it_and_is_again_once_shown(hider, member, field):
    word = SEARCHABLE[field][1]
    client = signed_in_client(member)
    assert page_names(client, q=word) == ["Hilde Hider"]
    hide(hider, field)
    assert page_names(client, q=word) == []
    assert api_names(member, q=word) == []
    assert search_names(member, word) == []
    hide(hider)  # shown again: the search document is rebuilt at once
    assert api_names(member, q=word) == ["Hilde Hider"]
    assert search_names(member, word) == ["Hilde Hider"]


def test_a_hidden_location_is_not_a_filter_for_members_but_is_for_admins(hider, member, admin):
    location = Location.objects.get(name="Reykjavik")
    hide(hider, "location")
    assert page_names(signed_in_client(member), location=location.pk) == []
    assert api_names(member, location=location.pk) == []
    assert api_names(admin, location=location.pk) == ["Hilde Hider"]
    assert page_names(signed_in_client(admin), location=location.pk) == ["Hilde Hider"]


def test_a_hidden_start_date_takes_a_newcomer_out_of_the_newcomer_filter(hider, member, admin):
    assert api_names(member, newcomer=True) == ["Hilde Hider"]
    hide(hider, "start_date")
    assert api_names(member, newcomer=True) == []
    assert page_names(signed_in_client(member), newcomer="on") == []
    assert api_names(admin, newcomer=True) == ["Hilde Hider"]


def test_newest_first_puts_hidden_start_dates_last_by_name(hider, member, admin):
    today = clock.now().date()
    make_profile(full_name="Abel Early", start_date=today - dt.timedelta(days=400))
    make_profile(full_name="Zora Recent", start_date=today - dt.timedelta(days=20))
    hide(hider, "start_date")  # Hilde started most recently of all, but hides it
    # Members: shown dates newest first, then hidden or missing ones by name (Ada, Mia and Olu have the
    # factory's 2020 date; Hilde has hers hidden).
    order = api_names(member, sort="newest")
    assert order[:2] == ["Zora Recent", "Abel Early"]
    assert order[-1] == "Hilde Hider"
    assert page_names(signed_in_client(member), sort="newest")[-1] == "Hilde Hider"
    assert api_names(admin, sort="newest")[0] == "Hilde Hider"


def test_the_upgrade_rebuilds_documents_that_still_index_a_hidden_field(hider, member):
    import importlib

    from django.apps import apps

    from courtyard.people.models import Profile

    hide(hider, "location", "languages")
    stale = hider.search_document + " reykjavik esperanto"  # as indexed before hidden fields were left out
    Profile.objects.filter(pk=hider.pk).update(search_document=stale)
    assert api_names(member, q="Reykjavik") == ["Hilde Hider"]
    migration = importlib.import_module("courtyard.people.migrations.0005_search_documents_without_hidden_fields")
    migration.rebuild(apps, None)
    assert api_names(member, q="Reykjavik") == []
    assert api_names(member, q="Esperanto") == []
    assert api_names(member, q="Sourdough") == ["Hilde Hider"]


def test_a_hidden_start_date_hides_being_new_on_every_surface(hider, member, admin):
    """Being a newcomer tells when someone started: the profile badge, the API's is_newcomer, the home list
    and the newcomer filter follow the start date's visibility (the person and admins still see it)."""
    profile_url = f"/people/{hider.pk}/"
    client = signed_in_client(member)
    assert "Newcomer" in client.get(profile_url).content.decode()
    assert api_for(member).get(f"/api/people/{hider.pk}").body["is_newcomer"] is True
    assert "Hilde Hider" in client.get("/").content.decode()
    hide(hider, "start_date")
    assert "Newcomer" not in client.get(profile_url).content.decode()
    assert api_for(member).get(f"/api/people/{hider.pk}").body["is_newcomer"] is None
    assert "Hilde Hider" not in client.get("/").content.decode()
    assert page_names(client, newcomer="on") == []
    for viewer in (hider, admin):
        assert "Newcomer" in signed_in_client(viewer).get(profile_url).content.decode()
        assert api_for(viewer).get(f"/api/people/{hider.pk}").body["is_newcomer"] is True
