"""The home feed and the coffee match page in real Chromium, on a desktop (1366 px) and a phone (390 × 844):
replies to one thread are one item with its new replies, excerpts are plain words, "you said, we did" names
an idea once; the coffee match says why in words, lists contact details, and "suggest a time" gives an .ics.
axe finds no serious or critical violation, and neither page scrolls sideways."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import expect

from courtyard.groups import services as groups
from courtyard.pairing import services as pairing
from courtyard.pairing.models import CoffeeMatch
from courtyard.surveys import services as surveys
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, make_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def world(db):
    olga = make_profile(email="olga@example.com", full_name="Olga Organizer", is_admin=True, department="People")
    mia = make_profile(email="mia@example.com", full_name="Mia Member", department="Engineering",
                       interests=["Climbing"], timezone="Europe/Berlin")
    ana = make_profile(email="ana@example.com", full_name="Ana Ribeiro", department="Account Management",
                       interests=["Climbing"], timezone="Europe/Lisbon", pronouns="she/her")
    repliers = [make_profile(full_name=name) for name in ("Rui Reis", "Sol Sousa", "Tia Tam", "Uma Ueda")]
    group = groups.group_create(actor=olga.user, name="Winter fun")
    for person in (mia, ana, *repliers):
        groups.membership_join(actor=person.user, group=group)
    santa = groups.thread_create(actor=olga.user, group=group, title="Santa run: who's in?", body="Sign up below")
    for person, body in zip(repliers, ("me", "me too", "count me in", "**Edit:** bring _gloves_"), strict=True):
        groups.post_create(actor=person.user, thread=santa, body=body)
    idea = surveys.idea_create(actor=ana.user, title="Quiet room", body="Somewhere to think")
    surveys.action_publish(actor=olga.user, title="Done: Quiet room", body="Floor 2", idea=idea)
    program = pairing.program_create(actor=olga.user, kind="coffee", name="Coffee roulette", timezone="Europe/Berlin")
    for person in (mia, ana):
        pairing.signup_join(actor=person.user, program=program)
    pairing.coffee_round_run(program_id=program.pk, round_date=dt.date.today() - dt.timedelta(days=1))
    return {"match": CoffeeMatch.objects.get(program=program)}


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_home_feed_and_coffee_match(browser, live_server, world, size):
    context = browser.new_context(viewport=SIZES[size], bypass_csp=True, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("mia@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    feed = page.locator("#feed")
    expect(feed.get_by_role("link", name="Santa run: who's in?")).to_have_count(1)
    santa = feed.locator("li").filter(has_text="Santa run")
    expect(santa.get_by_text("4 new replies")).to_be_visible()
    expect(santa).to_contain_text("Uma Ueda, Tia Tam and Sol Sousa replied in")
    expect(santa).to_contain_text("Edit: bring gloves")
    expect(santa).not_to_contain_text("**")
    we_did = page.get_by_role("region", name="You said, we did")
    expect(we_did).to_contain_text("Done: Quiet room")
    expect(we_did).not_to_contain_text("· Quiet room")
    _no_sideways_scroll(page)
    check_accessibility(page, f"home-feed-grouped-{size}")

    match = world["match"]
    page.goto(f"{live_server.url}/connect/{'coffee'}/{match.pk}/")
    expect(page.get_by_text("You meet Ana Ribeiro (Account Management).")).to_be_visible()
    why = page.get_by_role("region", name="Why you were paired")
    expect(why.get_by_text("You work in different departments")).to_be_visible()
    expect(why.get_by_text("You both like Climbing")).to_be_visible()
    expect(why).not_to_contain_text("+")
    contact = page.get_by_role("region", name="Get in touch")
    expect(contact.get_by_role("link", name="ana@example.com")).to_be_visible()
    expect(contact).to_contain_text("local time (Europe/Lisbon)")
    _no_sideways_scroll(page)
    check_accessibility(page, f"coffee-match-words-{size}")

    day = dt.date.today() + dt.timedelta(days=6)
    when = page.get_by_role("region", name="When to meet")
    when.get_by_label("Date").fill(day.isoformat())
    when.get_by_label("Time").fill("12:30")
    when.get_by_label("Note (optional)").fill("Lobby café")
    when.get_by_role("button", name="Suggest this time").click()
    expect(page.get_by_text("Time suggested. Add it to your calendar below.")).to_be_visible()
    expect(page.locator("#cy-meet-time")).to_contain_text("Mia Member suggested")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    (event,) = icalendar.Calendar.from_ical(Path(download_info.value.path()).read_bytes()).walk("VEVENT")
    assert sorted(str(a) for a in event["ATTENDEE"]) == ["mailto:ana@example.com", "mailto:mia@example.com"]
    assert event.decoded("DTSTART").strftime("%H:%M") == "12:30"
    _no_sideways_scroll(page)
    check_accessibility(page, f"coffee-match-suggested-{size}")
    context.close()
