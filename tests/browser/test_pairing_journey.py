"""Pairing in real Chromium: opt into coffee, the round runs, both people see their match and why, one says
"we met"; a program owner runs a mentorship cohort, reviews it, locks and changes matches, re-optimizes and
publishes, and the mentee sees their mentor."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from courtyard.core.models import Interaction
from courtyard.pairing import services
from courtyard.pairing.models import CoffeeMatch, MentorshipMatch, Program, Signup
from courtyard.pairing.tasks import coffee_round_job
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, make_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, live_server, email: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.fixture
def coffee(db):
    olga = make_profile(email="olga@example.com", full_name="Olga Organizer", is_admin=True, department="People")
    ana = make_profile(email="ana@example.com", full_name="Ana Alvarez", department="Engineering", title="Engineer",
                       interests=["Climbing", "Jazz"])
    bo = make_profile(email="bo@example.com", full_name="Bo Berg", department="Sales", title="Account Executive",
                      interests=["Climbing"])
    program = services.program_create(actor=olga.user, kind="coffee", name="Coffee roulette",
                                      description="Meet someone **new** every week.", timezone="Europe/Berlin")
    return {"olga": olga, "ana": ana, "bo": bo, "program": program}


def test_opt_in_round_runs_both_see_the_match_and_one_says_we_met(browser, live_server, coffee):
    ana = signed_in_page(browser, live_server, "ana@example.com")
    ana.get_by_role("link", name="Connect").first.click()
    expect(ana.get_by_role("heading", name="Connect", level=1)).to_be_visible()
    check_accessibility(ana, "pairing-hub-empty")
    ana.get_by_role("link", name="Coffee roulette").click()
    check_accessibility(ana, "pairing-coffee-program")
    ana.get_by_role("button", name="Join the coffee program").click()
    expect(ana.get_by_text("You are in. We will tell you when you are matched.")).to_be_visible()
    bo = signed_in_page(browser, live_server, "bo@example.com")
    bo.goto(f"{live_server.url}/connect/{coffee['program'].pk}/")
    bo.get_by_role("button", name="Join the coffee program").click()
    expect(bo.get_by_text("You are in. We will tell you when you are matched.")).to_be_visible()

    # The scheduler's job runs the round (twice, as a retried job would: it pairs once).
    program = Program.objects.get(pk=coffee["program"].pk)
    day = program.next_round_at.astimezone(dt.UTC).date()
    coffee_round_job.call_local(program.pk, day.isoformat())
    coffee_round_job.call_local(program.pk, day.isoformat())
    assert CoffeeMatch.objects.filter(program=program).count() == 1

    ana.goto(f"{live_server.url}/connect/")
    card = ana.get_by_role("article").filter(has_text="Coffee roulette")
    expect(card.get_by_role("link", name="Bo Berg")).to_be_visible()
    expect(card.get_by_text(re.compile("climbing", re.I))).to_be_visible()  # the starter uses the shared interest
    check_accessibility(ana, "pairing-hub-matched")
    card.get_by_role("link", name=re.compile("Why you were paired")).click()
    why = ana.get_by_role("region", name="Why you were paired")
    expect(why.get_by_text(re.compile("department", re.I)).first).to_be_visible()
    check_accessibility(ana, "pairing-coffee-match")
    ana.get_by_role("button", name="We met").click()
    expect(ana.get_by_text("Lovely! Thanks for telling us.")).to_be_visible()

    bo.goto(f"{live_server.url}/connect/")
    bo_card = bo.get_by_role("article").filter(has_text="Coffee roulette")
    expect(bo_card.get_by_role("link", name="Ana Alvarez")).to_be_visible()
    expect(bo_card.get_by_text("You met")).to_be_visible()
    assert Interaction.objects.filter(kind="coffee_met").count() == 2

    olga = signed_in_page(browser, live_server, "olga@example.com")
    olga.goto(f"{live_server.url}/connect/{program.pk}/")
    expect(olga.locator("#figure-meeting-rate")).to_have_text("100%")
    expect(olga.locator("#figure-participants")).to_have_text("2")
    check_accessibility(olga, "pairing-coffee-organizer")


@pytest.fixture
def cohort(db):
    olga = make_profile(email="olga@example.com", full_name="Olga Owner", department="People", is_admin=True)
    mentors = [
        make_profile(email="mara@example.com", full_name="Mara Mentor", department="Engineering", title="Staff Engineer",
                     languages="English"),
        make_profile(email="sam@example.com", full_name="Sam Senior", department="Sales", title="Head of Sales",
                     languages="English"),
    ]
    mentees = [
        make_profile(email=f"{name.lower()}@example.com", full_name=f"{name} Newcomer", department="Marketing",
                     title="Junior Marketer", languages="English")
        for name in ("Nia", "Ola", "Pip")
    ]
    program = services.program_create(actor=olga.user, kind="mentorship", name="Grow together",
                                      goals="Grow a skill.\nMeet someone new.", starts_on=dt.date.today())
    services.signup_join(actor=mentors[0].user, program=program, role="mentor", capacity=2, skills=["Python"])
    services.signup_join(actor=mentors[1].user, program=program, role="mentor", capacity=2, skills=["Negotiation"])
    for mentee, skill in zip(mentees, ["Python", "Negotiation", "Python"], strict=True):
        services.signup_join(actor=mentee.user, program=program, role="mentee", goals=f"Learn {skill}", skills=[skill])
    return {"program": program, "mentors": mentors, "mentees": mentees}


def test_owner_runs_reviews_adjusts_and_publishes_a_cohort(browser, live_server, cohort):
    program = cohort["program"]
    olga = signed_in_page(browser, live_server, "olga@example.com")
    olga.goto(f"{live_server.url}/connect/{program.pk}/")
    check_accessibility(olga, "pairing-mentorship-program")
    olga.get_by_role("button", name="Run the assignment").click()
    expect(olga.get_by_role("heading", name="Review", level=1)).to_be_visible()
    expect(olga.get_by_text(re.compile("Assignment ready for review: 3 matches"))).to_be_visible()
    check_accessibility(olga, "pairing-mentorship-review")

    nia = olga.get_by_role("article").filter(has_text="Nia Newcomer ←")
    nia.get_by_role("button", name=re.compile("^Lock")).click()
    expect(olga.get_by_role("article").filter(has_text="Nia Newcomer ←").get_by_text("Locked")).to_be_visible()

    pip = olga.get_by_role("article").filter(has_text="Pip Newcomer ←")
    sam = Signup.objects.get(program=program, profile=cohort["mentors"][1])
    pip.get_by_label("Mentor for Pip Newcomer").select_option(value=str(sam.pk))
    pip.get_by_role("button", name="Change").click()
    expect(olga.get_by_text("Mentor changed and the match locked.")).to_be_visible()
    expect(olga.get_by_role("heading", name=re.compile("Pip Newcomer ← Sam Senior"))).to_be_visible()

    olga.get_by_role("button", name="Re-optimize the unlocked matches").click()
    expect(olga.get_by_role("heading", name=re.compile("Pip Newcomer ← Sam Senior"))).to_be_visible()
    expect(olga.get_by_role("heading", name=re.compile("Nia Newcomer ← Mara Mentor"))).to_be_visible()
    olga.get_by_role("button", name="Publish").click()
    expect(olga.get_by_text("Published 3 matches")).to_be_visible()
    expect(olga.get_by_text("Published", exact=True).first).to_be_visible()
    check_accessibility(olga, "pairing-mentorship-published")
    assert set(MentorshipMatch.objects.filter(program=program).values_list("status", flat=True)) == {"published"}

    ola_page = signed_in_page(browser, live_server, "ola@example.com")
    ola_page.goto(f"{live_server.url}/connect/")
    expect(ola_page.get_by_text(re.compile(r"(Mara Mentor|Sam Senior) mentors you"))).to_be_visible()
    ola_page.get_by_role("link", name="Check-ins and goals").click()
    expect(ola_page.get_by_role("heading", name="Why you two")).to_be_visible()
    ola_page.get_by_label("Notes (only the two of you see them)").fill("First chat: **goals** set.")
    ola_page.get_by_role("button", name="Log a check-in").click()
    expect(ola_page.get_by_text("Check-in saved.")).to_be_visible()
    expect(ola_page.locator(".cy-markdown strong")).to_have_text("goals")
    check_accessibility(ola_page, "pairing-mentorship-pair")
