"""A member's main journey in real Chromium: sign in, find someone by interest, read their profile,
edit one's own profile with a photo, look after sessions and tokens, sign out."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from courtyard.people.models import Profile
from tests.browser.conftest import check_accessibility
from tests.factories import make_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def colleagues(db):
    return [
        make_profile(email="rosa@example.com", full_name="Rosa Díaz", department="Engineering / Data",
                     title="Data engineer", interests=["Rock climbing", "Jazz"], skills=["SQL"],
                     ask_me_about="Bouldering spots near the office"),
        make_profile(email="kenji@example.com", full_name="Kenji Sato", department="Sales",
                     title="Account executive", interests=["Chess"], skills=["Negotiation"]),
    ]


def test_member_finds_a_colleague_and_edits_own_profile(live_server, page, member, colleagues, sign_in, password, tmp_path):
    sign_in(member.user.email, password)
    check_accessibility(page, "home")

    page.get_by_role("link", name="People").first.click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    page.get_by_label("Search", exact=True).fill("climb")
    # htmx swaps the results in as the member types; the page also works as a plain form.
    expect(page.locator("#directory-results")).to_contain_text("Rosa Díaz")
    expect(page.locator("#directory-results")).not_to_contain_text("Kenji Sato")
    assert "q=climb" in page.url
    check_accessibility(page, "directory-search")

    page.get_by_role("link", name="Rosa Díaz").click()
    expect(page.get_by_role("heading", name="Rosa Díaz", level=1)).to_be_visible()
    expect(page.get_by_text("Bouldering spots near the office")).to_be_visible()
    check_accessibility(page, "profile")

    # Clicking an interest tag lists everyone who shares it.
    page.get_by_role("link", name="Jazz").click()
    expect(page.locator("#directory-results")).to_contain_text("Rosa Díaz")

    page.get_by_role("button", name="Me").click()
    page.get_by_role("link", name="Edit my profile").click()
    expect(page.get_by_role("heading", name="Edit my profile")).to_be_visible()
    check_accessibility(page, "profile-edit")
    page.get_by_role("textbox", name="Preferred name").fill("Mia")
    page.get_by_role("textbox", name="Pronouns").fill("she/her")
    page.get_by_role("combobox", name="Interests").fill("Board games, Rock climbing")
    page.get_by_role("textbox", name="Ask me about").fill("Our design system")
    page.get_by_role("combobox", name="Location").select_option(index=0)
    page.get_by_role("checkbox", name="Start date").uncheck()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Mia", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Board games")).to_be_visible()

    photo = tmp_path / "me.png"
    Image.new("RGB", (900, 600), (40, 120, 160)).save(photo)
    page.goto(f"{live_server.url}/people/me/edit/")
    page.get_by_label("New photo").set_input_files(str(photo))
    page.get_by_role("button", name="Save profile").click()  # one save: the photo goes with the form
    expect(page.get_by_text("Profile and photo saved.")).to_be_visible()
    expect(page.get_by_role("img", name="Photo of Mia")).to_be_visible()

    member.refresh_from_db()
    assert member.preferred_name == "Mia"
    assert member.pronouns == "she/her"
    assert sorted(t.name for t in member.interests.all()) == ["Board games", "Rock climbing"]
    assert "start_date" in member.hidden_fields
    assert member.photo.name.endswith(".jpg")
    with Image.open(member.photo.path) as stored:
        assert stored.size == (512, 512)

    # Colleagues find the member by the new interest; the hidden start date stays hidden from them.
    assert Profile.objects.filter(interests__slug="board-games").count() == 1

    page.get_by_role("button", name="Me").click()
    page.get_by_role("link", name="Sessions and API tokens").click()
    check_accessibility(page, "security")
    page.get_by_label("Token name").fill("My script")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text().strip()
    assert re.fullmatch(r"cy_[\w-]{20,}", token)
    response = page.request.get(f"{live_server.url}/api/people/me", headers={"Authorization": f"Bearer {token}"})
    assert response.ok
    assert response.json()["preferred_name"] == "Mia"
    page.get_by_role("button", name="Revoke My script").click()
    expect(page.get_by_text("The token has been revoked")).to_be_visible()
    anonymous = page.context.browser.new_context()
    revoked = anonymous.request.get(f"{live_server.url}/api/people/me", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status == 401
    anonymous.close()

    page.get_by_role("button", name="Me").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/accounts/(login|logout)/.*"))
    page.goto(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
