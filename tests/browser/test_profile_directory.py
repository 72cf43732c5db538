"""The profile editor and the directory in real Chromium, on a desktop and a phone: a photo chosen before
"Save profile" is saved with the profile; the directory's interest filter updates the results as one types,
showing the matched interest first on each card."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility
from tests.factories import make_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def colleagues(db):
    return [
        make_profile(email="rosa@example.com", full_name="Rosa Díaz", department="Engineering / Data",
                     interests=["Archery", "Baking", "Chess", "Darts", "Rock climbing"]),
        make_profile(email="kenji@example.com", full_name="Kenji Sato", department="Sales", interests=["Chess"]),
    ]


@pytest.mark.parametrize("size", SIZES)
def test_a_photo_chosen_before_save_profile_is_saved(live_server, page, member, sign_in, password, tmp_path, size):
    page.set_viewport_size(SIZES[size])
    sign_in(member.user.email, password)
    page.goto(f"{live_server.url}/people/me/edit/")
    check_accessibility(page, f"profile-edit-{size}")
    photo = tmp_path / "me.png"
    Image.new("RGB", (900, 600), (40, 120, 160)).save(photo)
    page.get_by_label("New photo").set_input_files(str(photo))
    page.get_by_role("textbox", name="Pronouns").fill("she/her")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile and photo saved.")).to_be_visible()
    expect(page.get_by_role("img", name="Photo of Mia Member")).to_be_visible()
    member.refresh_from_db()
    assert member.pronouns == "she/her"
    assert member.photo.name.endswith(".jpg")

    # The photo can still be removed on its own.
    page.goto(f"{live_server.url}/people/me/edit/")
    page.get_by_role("button", name="Remove photo").click()
    expect(page.get_by_text("Photo removed.")).to_be_visible()
    member.refresh_from_db()
    assert not member.photo


@pytest.mark.parametrize("size", SIZES)
def test_the_interest_filter_updates_the_directory_live(live_server, page, member, colleagues, sign_in, password, size):
    page.set_viewport_size(SIZES[size])
    sign_in(member.user.email, password)
    page.goto(f"{live_server.url}/people/")
    results = page.locator("#directory-results")
    expect(results).to_contain_text("Kenji Sato")
    # Typing is enough: no button press (htmx, debounced), and the address follows for sharing.
    page.get_by_role("combobox", name="Interest", exact=True).press_sequentially("Rock climbing", delay=20)
    expect(results).not_to_contain_text("Kenji Sato")
    expect(results).to_contain_text("Rosa Díaz")
    expect(page).to_have_url(re.compile(r"interest=Rock(\+|%20)climbing"))
    # Rosa's card shows the matched interest (her fifth) first, marked.
    expect(results.locator(".cy-tag-match")).to_have_text("Matches: Rock climbing")
    expect(results).not_to_contain_text("Darts")
    check_accessibility(page, f"directory-interest-{size}")
