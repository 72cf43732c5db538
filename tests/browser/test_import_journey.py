"""An admin imports a CSV with an error, reads the error, fixes the file, imports it, and finds the people."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from courtyard.people.models import Profile
from tests.browser.conftest import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "email,name,department,team,manager email,title,location,time zone,start date\n"
CLEO = "cleo@example.com,Cleo Chief,Executive,,,CEO,Berlin,Europe/Berlin,2019-01-07\n"
BROKEN = HEADER + CLEO + "dan@example,Dan Dev,Engineering / Platform,Compilers,cleo@example.com,Engineer,Berlin,,01/03/2024\n"
FIXED = (
    HEADER + CLEO
    + "dan@example.com,Dan Dev,Engineering / Platform,Compilers,cleo@example.com,Engineer,Berlin,,2024-03-01\n"
    + "member@example.com,Mia Member,Engineering / Platform,Compilers,dan@example.com,Staff engineer,,,2020-01-01\n"
)


def choose_file(page, text: str) -> None:
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )


def test_admin_fixes_a_bad_file_and_imports_it(live_server, page, admin, member, sign_in, password):
    sign_in(admin.user.email, password)
    page.get_by_role("button", name="Me").click()
    page.get_by_role("link", name="Import people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import people")
    expect(page.get_by_role("link", name="Download a template CSV")).to_be_visible()
    check_accessibility(page, "import-upload")

    choose_file(page, BROKEN)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The file has errors")
    alert = page.get_by_role("alert").filter(has_text="nothing was imported")
    expect(alert).to_contain_text("2 problems")
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("3")
    expect(errors.nth(0)).to_contain_text("“dan@example” is not a valid email address.")
    expect(errors.nth(1)).to_contain_text("could be read as day/month or month/day")
    check_accessibility(page, "import-errors")
    assert not Profile.objects.filter(full_name__in=["Cleo Chief", "Dan Dev"]).exists()

    choose_file(page, FIXED)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    creates = page.locator("#import-creates tbody tr")
    expect(creates).to_have_count(2)
    expect(creates.nth(1)).to_contain_text("Dan Dev")
    expect(creates.nth(1)).to_contain_text("cleo@example.com")
    updates = page.locator("#import-updates tbody tr")
    expect(updates).to_have_count(1)
    expect(updates.first).to_contain_text("Mia Member")
    expect(updates.first).to_contain_text("Staff engineer")
    check_accessibility(page, "import-preview")
    assert not Profile.objects.filter(full_name__in=["Cleo Chief", "Dan Dev"]).exists()

    page.get_by_role("button", name="Confirm and import").click()
    page.wait_for_url(f"{live_server.url}/people/")
    expect(page.get_by_role("alert")).to_contain_text("Import done: 2 added, 1 updated")
    page.get_by_label("Search", exact=True).fill("Compilers")
    results = page.locator("#directory-results")
    expect(results).to_contain_text("Dan Dev")
    page.get_by_role("link", name="Dan Dev").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dan Dev")
    expect(page.locator("main")).to_contain_text("Cleo Chief")
