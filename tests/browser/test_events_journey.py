"""Events in real Chromium: a host publishes an event through the form, members answer, the seat of one who
cancels goes to the waitlist and the promoted member sees it, the host checks people in on a phone, and the
attendee gives feedback; axe-core finds nothing serious on the main pages.

The application's clock (courtyard.core.clock) is set by the test, in the same process as the live server, so
that "an hour before", "during" and "after" the event are moments of the journey, not of the machine."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from courtyard.core import clock
from courtyard.events.models import Event, FeedbackAnswer, FeedbackGiven, Rsvp
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, make_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


class Clock:
    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def moment(monkeypatch) -> Clock:
    frozen = Clock(dt.datetime(2030, 3, 8, 14, 0, tzinfo=dt.UTC))  # Friday 15:00 in Berlin
    monkeypatch.setattr(clock, "now", frozen)
    return frozen


@pytest.fixture
def people(db):
    return {
        "hana": make_profile(email="hana@example.com", full_name="Hana Host", timezone="Europe/Berlin"),
        "ana": make_profile(email="ana@example.com", full_name="Ana Early", timezone="Europe/Lisbon"),
        "bo": make_profile(email="bo@example.com", full_name="Bo Waiting", timezone="America/New_York"),
    }


def signed_in(browser, live_server, email: str, viewport: dict | None = None):
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, bypass_csp=True,
                                  locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_create_answer_waitlist_promotion_checkin_and_feedback(browser, live_server, people, moment):
    hana = signed_in(browser, live_server, "hana@example.com")
    hana.get_by_role("link", name="Events").first.click()
    expect(hana.get_by_role("heading", name="Events", level=1)).to_be_visible()
    check_accessibility(hana, "events-list-empty")
    hana.get_by_role("link", name="Host an event").click()
    hana.get_by_label("Title").fill("Board game night")
    hana.get_by_label("Starts on").fill("2030-03-08")
    hana.get_by_label("Start time").fill("18:00")
    hana.get_by_label("End time").fill("21:00")
    hana.get_by_label("Place").fill("Kitchen, 3rd floor")
    hana.get_by_label("Seats").fill("1")
    hana.get_by_label("Description").fill("Catan, Azul and **snacks**.")
    hana.get_by_label("Questions for people who answer").fill("Which game do you bring?")
    check_accessibility(hana, "event-form")
    hana.get_by_role("button", name="Publish event").click()
    expect(hana.get_by_role("heading", name="Board game night", level=1)).to_be_visible()
    expect(hana.get_by_text("Your event is published")).to_be_visible()
    event_url = hana.url
    check_accessibility(hana, "event-page-host")

    # Ana (Lisbon) takes the only seat; she sees the time in her zone and the host's.
    ana = signed_in(browser, live_server, "ana@example.com")
    ana.goto(event_url)
    expect(ana.locator(".cy-when").first).to_contain_text("17:00–20:00")
    expect(ana.locator(".cy-when").first).to_contain_text("18:00–21:00 CET")
    ana.get_by_label("Going", exact=True).check()
    ana.get_by_label("Which game do you bring?").fill("Azul")
    ana.get_by_role("button", name="Send my answer").click()
    expect(ana.get_by_text("You are going.", exact=True)).to_be_visible()

    # Bo (New York) arrives second: the waitlist.
    bo = signed_in(browser, live_server, "bo@example.com")
    bo.goto(event_url)
    expect(bo.locator(".cy-when").first).to_contain_text("12:00–15:00")
    bo.get_by_label("Going", exact=True).check()
    bo.get_by_role("button", name="Join the waitlist").click()  # the only seat is Ana's
    expect(bo.locator("#waitlist-place")).to_contain_text("You are number 1 on the waitlist.")
    check_accessibility(bo, "event-page-waitlist")

    # Ana cannot come after all: her seat goes to Bo at once, and Bo is told.
    ana.reload()
    ana.get_by_label("Not going", exact=True).check()
    ana.get_by_role("button", name="Update my answer").click()
    expect(ana.get_by_text("You are not going.", exact=True)).to_be_visible()
    ana.context.close()
    bo.goto(f"{live_server.url}/")
    expect(bo.locator("#unread-count")).to_contain_text("1")
    bo.get_by_role("link", name=re.compile("unread notification")).click()
    bo.get_by_role("link", name=re.compile("A seat freed up: you are going to “Board game night”")).click()
    expect(bo.get_by_text("You are going.", exact=True)).to_be_visible()
    bo.get_by_role("link", name="Events").first.click()
    expect(bo.locator("#event-list")).to_contain_text("Board game night")
    expect(bo.locator("#event-list")).to_contain_text("Going")
    check_accessibility(bo, "events-list")
    hana.context.close()

    # The evening: Hana checks people in on her phone.
    moment.moment = dt.datetime(2030, 3, 8, 17, 10, tzinfo=dt.UTC)
    phone = signed_in(browser, live_server, "hana@example.com", viewport=PHONE)
    phone.goto(event_url)
    phone.get_by_role("link", name="Check people in").click()
    expect(phone.get_by_role("heading", name="Check-in", level=1)).to_be_visible()
    phone.get_by_label("Find someone").fill("bo")
    phone.wait_for_url(re.compile(r"q=bo"))  # htmx swapped the filtered list in
    expect(phone.locator("#checkin-list")).to_contain_text("Bo Waiting")
    expect(phone.locator("#checkin-list")).not_to_contain_text("Ana Early")
    phone.get_by_label(re.compile("Bo Waiting")).check()
    check_accessibility(phone, "event-checkin-phone")
    phone.get_by_role("button", name="Check in selected").click()
    expect(phone.locator("#checkin-counts")).to_contain_text("1 checked in")
    expect(phone.get_by_text("1 checked in.")).to_be_visible()
    assert Rsvp.objects.get(profile=people["bo"]).attendance == "attended"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the check-in page scrolls sideways on a phone ({width}px)"

    # After the event: Bo gives feedback; the host sees it is withheld until five people answered.
    moment.moment = dt.datetime(2030, 3, 8, 21, 0, tzinfo=dt.UTC)
    bo.goto(event_url)
    bo.get_by_role("link", name="How was it? Give feedback").click()
    check_accessibility(bo, "event-feedback")
    bo.get_by_label("5 – great").check()
    bo.get_by_label(re.compile("Anything the hosts should know")).fill("More tables next time!")
    bo.get_by_role("button", name="Send").click()
    expect(bo.get_by_text("Thank you!")).to_be_visible()
    expect(bo.get_by_text("said they were going")).to_be_visible()
    assert FeedbackGiven.objects.filter(profile=people["bo"]).count() == 1
    assert FeedbackAnswer.objects.get().profile is None
    phone.goto(event_url)
    phone.get_by_role("link", name="Feedback").click()
    expect(phone.get_by_text(re.compile("1 person answered"))).to_be_visible()
    assert Event.objects.get().title == "Board game night"


DESKTOP = {"width": 1366, "height": 768}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_seats_party_size_waitlist_button_and_no_checkin_for_the_waitlist(browser, live_server, people, moment,
                                                                           viewport):
    from courtyard.events import services
    from courtyard.events.models import Occurrence
    from tests.events.conftest import event_data

    event = services.event_create(actor=people["hana"].user, data=event_data(
        title="Pottery evening", start_date=dt.date(2030, 3, 9), start_time=dt.time(18, 0), end_time=dt.time(20, 0),
        capacity=3, allow_guests=True, max_guests=2))
    occurrence = Occurrence.objects.get(event=event)
    services.rsvp_set(actor=people["ana"].user, occurrence=occurrence, status="going", guests=1)
    event_url = f"{live_server.url}/events/{event.pk}/{occurrence.pk}/"
    tiny = services.event_create(actor=people["hana"].user, data=event_data(
        title="Tiny workshop", start_date=dt.date(2030, 3, 10), start_time=dt.time(10, 0), end_time=dt.time(11, 0),
        capacity=1))
    tiny_date = Occurrence.objects.get(event=tiny)
    services.rsvp_set(actor=people["ana"].user, occurrence=tiny_date, status="going")

    # The list and the page count alike: Ana and her guest take 2 of 3 seats; Hana hosts, so she is going too.
    bo = signed_in(browser, live_server, "bo@example.com", viewport=viewport)
    bo.goto(f"{live_server.url}/events/")
    card = bo.locator("#event-list li", has_text="Pottery evening")
    expect(card).to_contain_text("2 going")
    expect(card).to_contain_text("(incl. 1 host)")
    expect(card).to_contain_text("2 of 3 seats taken")
    check_accessibility(bo, f"events-list-seats-{viewport['width']}")
    # A full date: the answer button says what it does.
    bo.goto(f"{live_server.url}/events/{tiny.pk}/{tiny_date.pk}/")
    expect(bo.locator("#seat-count")).to_contain_text("1 of 1 seat taken, 0 free")
    expect(bo.get_by_role("button", name="Join the waitlist")).to_be_visible()
    expect(bo.get_by_role("button", name="Send my answer")).to_have_count(0)
    check_accessibility(bo, f"event-full-{viewport['width']}")
    bo.goto(event_url)
    expect(bo.locator("#seat-count")).to_contain_text("2 going (including 1 host)")
    expect(bo.locator("#seat-count")).to_contain_text("2 of 3 seats taken, 1 free")

    # Bo comes with a guest: one seat is free, his party needs two. He is told so, and offered the waitlist.
    bo.get_by_label("Going", exact=True).check()
    bo.get_by_label("Guests (up to 2)").fill("1")
    bo.get_by_role("button", name="Send my answer").click()
    expect(bo.get_by_role("alert")).to_contain_text("Only 1 seat is left; your party needs 2.")
    expect(bo.get_by_text("The event is full")).to_have_count(0)
    expect(bo.get_by_text("Join waitlist", exact=True)).to_have_count(0)  # no stray label of the hidden choice
    check_accessibility(bo, f"event-party-does-not-fit-{viewport['width']}")
    bo.get_by_role("button", name="Join the waitlist").click()
    expect(bo.locator("#waitlist-place")).to_contain_text("You are number 1 on the waitlist.")
    expect(bo.get_by_role("button", name="Leave the waitlist")).to_be_visible()

    # The evening (signed in again: the clock jumped a day): check-in is open, but a waitlisted person has no
    # seat and sees no "Check in"; Ana, who is going, does.
    moment.moment = dt.datetime(2030, 3, 9, 16, 40, tzinfo=dt.UTC)  # 17:40 in Berlin
    bo.context.close()
    bo = signed_in(browser, live_server, "bo@example.com", viewport=viewport)
    bo.goto(event_url)
    expect(bo.locator("#waitlist-place")).to_be_visible()
    expect(bo.get_by_role("link", name="Check in")).to_have_count(0)
    check_accessibility(bo, f"event-waitlisted-checkin-{viewport['width']}")
    width = bo.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the event page scrolls sideways ({width}px)"
    ana = signed_in(browser, live_server, "ana@example.com", viewport=viewport)
    ana.goto(event_url)
    expect(ana.get_by_role("link", name="Check in")).to_be_visible()

    for page in (bo, ana):
        page.context.close()


def test_calendar_and_subscription_pages(browser, live_server, people, moment):
    from courtyard.events import services
    from tests.events.conftest import event_data

    services.event_create(actor=people["hana"].user, data=event_data(title="Spring offsite", all_day=True,
                          start_date=dt.date(2030, 3, 20), end_date=dt.date(2030, 3, 21)))
    page = signed_in(browser, live_server, "bo@example.com")
    page.goto(f"{live_server.url}/events/calendar/?month=2030-03")
    expect(page.get_by_role("link", name="Spring offsite")).to_have_count(2)
    check_accessibility(page, "events-calendar")
    page.goto(f"{live_server.url}/events/subscribe/")
    page.get_by_role("button", name="Make my address").click()
    expect(page.get_by_label("Subscription address")).to_have_value(re.compile(r"/events/feed/cal_"))
    check_accessibility(page, "events-subscription")
