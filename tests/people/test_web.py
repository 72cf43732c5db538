"""Directory and profile pages: what members see, what they can change, and how many queries it takes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from courtyard.core.models import AuditEntry
from courtyard.people import services
from courtyard.people.models import Profile
from tests.factories import make_profile
from tests.helpers import db_snapshot, image_upload

pytestmark = pytest.mark.django_db


def client_for(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.get("/healthz")  # records the session, so later requests (and snapshots) are steady
    return client


# --- directory -----------------------------------------------------------------------------


@pytest.fixture
def colleagues(member, other_member):
    berlin = services.location_ensure("Berlin")
    jose = make_profile(full_name="José Núñez", department="Engineering / Platform", location=berlin,
                        interests=["Rock climbing"], skills=["Kubernetes"], pronouns="he/him")
    return {"jose": jose, "berlin": berlin}


def test_directory_lists_people_with_search_and_filters(member_client, colleagues):
    html = member_client.get(reverse("people:directory")).content.decode()
    assert "José Núñez" in html
    assert "Olu Other" in html
    assert "Mia Member" in html
    html = member_client.get(reverse("people:directory"), {"q": "jose"}).content.decode()
    assert "José Núñez" in html
    assert "Olu Other" not in html
    html = member_client.get(reverse("people:directory"), {"interest": "Rock climbing"}).content.decode()
    assert "José Núñez" in html
    assert "Mia Member" not in html
    html = member_client.get(reverse("people:directory"), {"location": colleagues["berlin"].pk}).content.decode()
    assert "José Núñez" in html
    assert "Mia Member" not in html
    html = member_client.get(reverse("people:directory"), {"q": "zzzz"}).content.decode()
    assert "Nobody matches" in html
    assert "0 people" in html


def test_directory_hides_hidden_fields_on_cards(member_client, colleagues):
    jose = colleagues["jose"]
    assert "he/him" in member_client.get(reverse("people:directory")).content.decode()
    services.profile_update(actor=jose.user, profile=jose, data={"hidden_fields": ["pronouns", "location"]})
    html = member_client.get(reverse("people:directory")).content.decode()
    assert "he/him" not in html
    assert "Berlin" not in html.split('id="directory-results"', 1)[-1] or "geo-alt" not in html


def test_directory_htmx_returns_only_the_results(member_client, colleagues):
    response = member_client.get(reverse("people:directory"), {"q": "jose"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "José Núñez" in html
    assert response["Vary"].count("HX-Request") >= 1


@pytest.mark.parametrize("query", [{"department": "abc"}, {"page": "0"}, {"sort": "evil"}, {"q": "x" * 201}])
def test_directory_bad_filters_are_400_with_a_message(member_client, colleagues, query):
    response = member_client.get(reverse("people:directory"), query)
    assert response.status_code == 400
    assert "Some filters are not valid" in response.content.decode()


def test_directory_paginates(member_client, settings, colleagues):
    settings.DIRECTORY_PAGE_SIZE = 2
    first = member_client.get(reverse("people:directory"), {"sort": "name"}).content.decode()
    assert "Page 1 of 2" in first
    second = member_client.get(reverse("people:directory"), {"sort": "name", "page": "2"}).content.decode()
    assert "Olu Other" in second
    assert "José Núñez" not in second
    assert "Olu Other" in member_client.get(reverse("people:directory"), {"sort": "name", "page": "99"}).content.decode()


def test_tag_autocomplete_json_and_htmx(member_client, colleagues):
    response = member_client.get(reverse("people:tag_autocomplete"), {"kind": "interest", "q": "rock"})
    assert response.json() == {"suggestions": ["Rock climbing"]}
    # The input holds a list: suggestions complete the last word and keep the earlier ones.
    response = member_client.get(
        reverse("people:tag_autocomplete"), {"kind": "interest", "interests": "Jazz, ro"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<option" in html
    assert "Jazz, Rock climbing" in html
    assert member_client.get(reverse("people:tag_autocomplete"), {"kind": "bogus", "q": "r"}).json() == {"suggestions": []}


def test_team_options(member_client, member):
    team = services.team_ensure("Storage", member.department)
    html = member_client.get(reverse("people:team_options"), {"department": member.department_id}).content.decode()
    assert f'value="{team.pk}"' in html
    assert "Storage" in html
    assert member_client.get(reverse("people:team_options"), {"department": "abc"}).status_code == 200


# --- profile page --------------------------------------------------------------------------


def test_profile_shows_hidden_fields_only_to_the_person_and_admins(member, other_member, admin):
    services.profile_update(
        actor=member.user, profile=member,
        data={"pronouns": "she/her", "bio": "**Loves** owls", "ask_me_about": "Owl facts",
              "hidden_fields": ["pronouns", "bio", "ask_me_about"]},
    )
    url = reverse("people:profile", args=[member.pk])
    other = client_for(other_member).get(url).content.decode()
    assert "Mia Member" in other
    assert "she/her" not in other
    assert "owls" not in other
    assert "Owl facts" not in other
    for viewer in (member, admin):
        html = client_for(viewer).get(url).content.decode()
        assert "she/her" in html
        assert "<strong>Loves</strong> owls" in html
        assert "Owl facts" in html


def test_profile_bio_is_sanitized(member, other_member):
    services.profile_update(actor=member.user, profile=member, data={"bio": "<script>alert(1)</script>[x](javascript:alert(1))"})
    html = client_for(other_member).get(reverse("people:profile", args=[member.pk])).content.decode()
    assert "<script>alert(1)" not in html
    assert 'href="javascript:' not in html


def test_profile_shows_reporting_line(member, other_member, admin):
    services.profile_update(actor=admin.user, profile=other_member, data={"manager": member})
    html = client_for(admin).get(reverse("people:profile", args=[member.pk])).content.decode()
    assert "1 direct report" in html
    assert "Olu Other" in html
    html = client_for(admin).get(reverse("people:profile", args=[other_member.pk])).content.decode()
    assert "Reports to" in html
    assert "Mia Member" in html


def test_admin_sees_deactivate_button_but_not_on_themselves(member, admin):
    html = client_for(admin).get(reverse("people:profile", args=[member.pk])).content.decode()
    assert "Deactivate member" in html
    assert "Deactivate member" not in client_for(admin).get(reverse("people:profile", args=[admin.pk])).content.decode()
    assert "Deactivate member" not in client_for(member).get(reverse("people:profile", args=[member.pk])).content.decode()


# --- profile editor ------------------------------------------------------------------------


def test_member_edits_own_profile_and_admin_fields_are_ignored(member):
    client = client_for(member)
    page = client.get(reverse("people:profile_edit_self")).content.decode()
    assert 'name="bio"' in page
    assert 'name="full_name"' not in page
    assert 'name="title"' not in page
    response = client.post(
        reverse("people:profile_edit_self"),
        {"timezone": "Asia/Tokyo", "interests": "Chess, chess, Go", "bio": "New", "visible_fields": ["photo"],
         "full_name": "Hacked Name", "title": "CEO", "start_date": "1990-01-01"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.timezone == "Asia/Tokyo"
    assert [t.name for t in member.interests.all()] == ["Chess", "Go"]
    assert (member.full_name, member.title, member.start_date) == ("Mia Member", "", dt.date(2020, 1, 1))
    assert set(member.hidden_fields) == set(Profile.OPTIONAL_FIELDS) - {"photo"}
    # The member's own pages now show times in the new zone.
    assert client.session["cy_tz"] == "Asia/Tokyo"


def test_bad_time_zone_is_a_form_error(member):
    client = client_for(member)
    before = db_snapshot()
    response = client.post(reverse("people:profile_edit_self"), {"timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "is not a known time zone" in response.content.decode()
    assert db_snapshot() == before


def test_admin_edits_organization_fields(admin, member, other_member):
    client = client_for(admin)
    assert 'name="full_name"' in client.get(reverse("people:profile_edit", args=[member.pk])).content.decode()
    response = client.post(
        reverse("people:profile_edit", args=[member.pk]),
        {"full_name": "Mia Moved", "title": "Lead", "department": member.department_id, "team": "Storage",
         "manager_email": "OTHER@example.com", "start_date": "2021-02-03", "timezone": "UTC"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.title, member.team.name, member.manager, member.start_date) == (
        "Mia Moved", "Lead", "Storage", other_member, dt.date(2021, 2, 3),
    )
    assert AuditEntry.objects.filter(action="people.profile.updated", actor=admin.user).exists()


@pytest.mark.parametrize(
    ("manager_email", "message"),
    [("nobody@example.com", "Nobody in the directory has the address"), ("member@example.com", "own manager")],
)
def test_admin_edit_errors_are_shown_not_raised(admin, member, manager_email, message):
    client = client_for(admin)
    before = db_snapshot()
    response = client.post(
        reverse("people:profile_edit", args=[member.pk]),
        {"full_name": "Mia", "timezone": "UTC", "manager_email": manager_email},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert db_snapshot() == before


def test_photo_upload_and_remove_through_the_page(member):
    client = client_for(member)
    url = reverse("people:profile_photo", args=[member.pk])
    assert client.post(url, {"photo": image_upload()}).status_code == 302
    member.refresh_from_db()
    assert member.photo
    assert client.get(f"/media/{member.photo.name}").status_code == 200
    assert client.post(url, {"remove": "on"}).status_code == 302
    member.refresh_from_db()
    assert not member.photo


def test_photo_upload_of_a_non_image_is_a_clear_400(member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(member)
    before = db_snapshot()
    response = client.post(
        reverse("people:profile_photo", args=[member.pk]),
        {"photo": SimpleUploadedFile("cv.pdf", b"%PDF-1.4 hello", "application/pdf")},
    )
    assert response.status_code == 400
    assert "The photo was not changed" in response.content.decode()
    assert db_snapshot() == before


def test_deactivate_and_reactivate_through_the_page(admin, member):
    client = client_for(admin)
    url = reverse("people:profile_set_active", args=[member.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert not member.user.is_active
    html = client.get(reverse("people:profile", args=[member.pk])).content.decode()
    assert "Deactivated" in html
    assert "Reactivate member" in html
    assert client.post(url, {"active": "1"}).status_code == 302
    member.refresh_from_db()
    assert member.is_active


def test_pages_only_accept_their_methods(member_client, member):
    assert member_client.post(reverse("people:directory")).status_code == 405
    assert member_client.get(reverse("people:profile_photo", args=[member.pk])).status_code == 405
    assert member_client.get(reverse("people:profile_set_active", args=[member.pk])).status_code == 405
    assert member_client.delete(reverse("people:profile_edit_self")).status_code == 405


# --- query counts --------------------------------------------------------------------------
# Each page runs a fixed number of queries, whatever the number of people it shows: an N+1 query fails here.
# The counts are pinned: a change shows up here and has to be explained.


def populate(size: int, manager: Profile) -> None:
    berlin = services.location_ensure("Berlin")
    for i in range(size):
        make_profile(
            full_name=f"Person {i:03}", department="Engineering / Platform", location=berlin, manager=manager,
            interests=["Climbing", f"Interest {i}"], skills=["Go", f"Skill {i}"], title="Engineer",
            photo=f"photos/fake{i}.jpg" if i % 2 else "",
        )
    services.profile_update(actor=manager.user, profile=manager, data={"interests": ["Climbing"]})


def assert_page_queries(client: Client, url: str, expected: int, django_assert_num_queries) -> None:
    client.get(url)  # warm the caches (filter options) and the session, as for a returning member
    if not settings.SESSION_ENGINE.endswith(".db"):
        expected -= 1  # sessions kept in Redis (production) cost no database query
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


# Session (database-backed sessions only) + user (2), then: directory = count + rows + interests + skills (+ department lookup for the
# department filter); profile = profile (with its joins) + interests + skills + reports + follow counts;
# home = profile, newcomers, people sharing interests (ranked once, then cached), the interests check in the
# template, and the feed (the member's profile id, their groups, the activity facts, unanswered questions; the feed's
# items are loaded in bulk only when there are some: tests/groups/test_feed.py pins that).
PAGES = {
    "directory": (lambda m: reverse("people:directory"), 6),
    "directory search": (lambda m: reverse("people:directory") + "?q=person", 6),
    "directory by department": (lambda m: reverse("people:directory") + f"?department={m.department_id}", 9),
    # + 3 for recognition's block (kudos received, given, badges; the names on the kudos are a 4th query only when
    # there are kudos to show: tests/recognition/test_queries.py pins that)
    "profile": (lambda m: reverse("people:profile", args=[m.pk]), 10),
    "home": (lambda m: reverse("home"), 10),
    "api people list": (lambda m: "/api/people/?limit=100", 6),
    "api people search": (lambda m: "/api/people/?q=person&limit=100", 6),
}


@pytest.mark.parametrize("page_name", PAGES)
def test_query_count_is_fixed_and_does_not_grow(member, page_name, django_assert_num_queries, settings):
    settings.DIRECTORY_PAGE_SIZE = 50
    url_for, expected = PAGES[page_name]
    client = client_for(member)
    populate(3, member)
    assert_page_queries(client, url_for(member), expected, django_assert_num_queries)
    populate(30, member)
    assert_page_queries(client, url_for(member), expected, django_assert_num_queries)


# --- one form, one save: the profile with its photo ----------------------------------------------------


def test_save_profile_with_a_chosen_photo_saves_the_photo_too(member):
    client = client_for(member)
    page = client.get(reverse("people:profile_edit_self")).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "Upload photo" not in page  # no second button that alone saves the photo
    response = client.post(
        reverse("people:profile_edit_self"),
        {"timezone": "Europe/Berlin", "bio": "Hi there", "visible_fields": ["photo"], "photo": image_upload()},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("people:profile", args=[member.pk])
    member.refresh_from_db()
    assert member.bio == "Hi there"
    assert member.photo.name.endswith(".jpg")
    html = response.content.decode()
    assert "Profile and photo saved." in html
    assert reverse("media", args=[member.photo.name]) in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("cv.pdf", b"%PDF-1.4 hello", "application/pdf"), "Upload a valid image"),
        (lambda: image_upload(size=(2000, 2000)), "larger than"),  # refused by the photo service itself
    ],
)
def test_a_bad_photo_rerenders_the_form_with_what_was_typed_and_saves_nothing(admin, member, settings, upload, message):
    settings.PHOTO_MAX_BYTES = 2000
    client = client_for(admin)
    before = db_snapshot()
    response = client.post(
        reverse("people:profile_edit", args=[member.pk]),
        {"full_name": "Mia Renamed", "team": "A new team", "department": member.department_id, "timezone": "UTC",
         "bio": "Typed with care", "photo": upload()},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Typed with care" in html
    assert 'value="Mia Renamed"' in html
    assert "Edit Mia Member's profile" in html  # the page shows the stored profile, not the refused edit
    assert db_snapshot() == before


def test_a_chosen_photo_lost_to_another_error_is_announced(member):
    client = client_for(member)
    response = client.post(reverse("people:profile_edit_self"), {"timezone": "Mars/Olympus", "photo": image_upload()})
    assert response.status_code == 400
    assert "choose it again before saving" in response.content.decode()
    member.refresh_from_db()
    assert not member.photo


def test_the_edit_page_keeps_a_remove_photo_action(member):
    client = client_for(member)
    assert 'form="photo-remove"' not in client.get(reverse("people:profile_edit_self")).content.decode()
    services.profile_photo_set(actor=member.user, profile=member, upload=image_upload())
    page = client.get(reverse("people:profile_edit_self")).content.decode()
    assert 'form="photo-remove"' in page
    assert f'id="photo-remove" method="post" action="{reverse("people:profile_photo", args=[member.pk])}"' in page
    assert client.post(reverse("people:profile_photo", args=[member.pk]), {"remove": "on"}).status_code == 302
    member.refresh_from_db()
    assert not member.photo


# --- the profile's local time --------------------------------------------------------------------------


def test_profile_shows_the_persons_local_time_not_the_viewers(member, other_member, monkeypatch):
    monkeypatch.setattr("courtyard.core.clock.now", lambda: dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC))
    services.profile_update(actor=member.user, profile=member, data={"timezone": "America/New_York"})
    viewer = client_for(other_member)  # other_member lives in Europe/Berlin, where it is 02:00
    assert viewer.session["cy_tz"] == "Europe/Berlin"
    html = viewer.get(reverse("people:profile", args=[member.pk])).content.decode()
    assert "20:00 local time (America/New_York)" in html
    assert "02:00 local time" not in html


# --- the directory's interest filter ------------------------------------------------------------------


def test_interest_filter_is_live_and_suggests_interests(member_client, colleagues):
    html = member_client.get(reverse("people:directory")).content.decode()
    assert "from:.cy-live-text" in html
    for name in ("q", "interest", "skill"):
        assert f'cy-live-text" type="search" name="{name}"' in html
    assert 'list="interest-options"' in html
    options = member_client.get(
        reverse("people:tag_autocomplete"), {"kind": "interest", "interest": "rock"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert '<option value="Rock climbing">' in options


def test_cards_show_the_matched_interest_first(member_client, colleagues):
    many = ["Archery", "Baking", "Chess", "Darts", "Zither"]
    make_profile(full_name="Zoe Zither", department="Sales", interests=many)
    html = member_client.get(reverse("people:directory"), {"interest": "Zither"}).content.decode()
    assert "Zoe Zither" in html
    assert 'cy-tag-match"><span class="visually-hidden">Matches: </span>Zither</span>' in html
    assert html.index("Zither</span>") < html.index(">Archery<")
    assert ">Darts<" not in html
    # A search by a word of the interest marks it the same way; without one, the card shows the first four.
    html = member_client.get(reverse("people:directory"), {"q": "zith"}).content.decode()
    assert "Matches: </span>Zither" in html
    html = member_client.get(reverse("people:directory"), {"department": "", "q": "zoe"}).content.decode()
    assert "cy-tag-match" not in html
    assert ">Darts<" in html
    assert ">Zither<" not in html


# --- the time-zone menu ------------------------------------------------------------------------------


def test_time_zone_menu_shows_common_zones_first_and_no_aliases(member, other_member):
    services.profile_update(actor=member.user, profile=member, data={"timezone": "US/Eastern"})
    make_profile(timezone="Africa/Lagos")
    make_profile(timezone="Africa/Lagos")
    client = client_for(member)
    html = client.get(reverse("people:profile_edit_self")).content.decode()
    menu = html[html.index('<datalist id="timezones">'):]
    menu = menu[: menu.index("</datalist>")]
    values = [part.split('"', 1)[0] for part in menu.split('<option value="')[1:]]
    assert values[:2] == ["Africa/Lagos", "Europe/Berlin"]  # the organization's most used zones lead
    assert "UTC" in values[:12]
    assert "America/New_York" in values[:12]
    assert len(values) == len(set(values))
    assert 350 < len(values) < 500
    assert not {"US/Eastern", "Etc/GMT+5", "EST", "Asia/Calcutta"} & set(values)
    assert "Asia/Kolkata" in values
    assert "America/Argentina/Buenos_Aires" in values
    # The member's old alias is still theirs, and still accepted on save.
    assert 'value="US/Eastern"' in html
    response = client.post(reverse("people:profile_edit_self"), {"timezone": "US/Eastern", "bio": "Still here"})
    assert response.status_code == 302
