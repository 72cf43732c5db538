"""Voice in real Chromium: a member answers a pulse on a phone; an admin reads results with a withheld segment
and publishes a "we did"; an anonymous idea gets a reply that its author sees. axe-core on every main page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from courtyard.people import services as people_services
from courtyard.surveys import services
from courtyard.surveys.models import Action, Idea, Response
from tests.browser.conftest import check_accessibility
from tests.factories import PASSWORD, make_profile
from tests.surveys.conftest import answer, bank

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def signed_in_page(browser, live_server, email: str, viewport=None):
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, bypass_csp=True,
                                  is_mobile=viewport is not None, has_touch=viewport is not None)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.fixture
def org(db):
    services.question_bank_ensure()
    engineering = people_services.department_ensure_path("Engineering")
    platform = people_services.department_ensure_path("Engineering / Platform")
    today = dt.date.today()
    admin = make_profile(email="ada@example.com", full_name="Ada Admin", is_admin=True, department="People")
    platform_people = [make_profile(email=f"plat{i}@example.com", full_name=f"Pat Platform {i}", department=platform,
                                    start_date=today - dt.timedelta(days=800)) for i in range(8)]
    engineers = [make_profile(email=f"eng{i}@example.com", full_name=f"Eli Engineer {i}", department=engineering,
                              start_date=today - dt.timedelta(days=800)) for i in range(2)]
    return {"admin": admin, "platform": platform_people, "engineers": engineers, "engineering": engineering,
            "platform_dept": platform}


def test_a_member_answers_a_pulse_on_a_phone(browser, live_server, org):
    admin = org["admin"]
    series = services.series_create(actor=admin.user, title="Fortnightly pulse", questions_per_round=1,
                                    themes=["engagement"])
    survey = services.pulse_round_open(series_id=series.pk)
    member = org["platform"][0]
    page = signed_in_page(browser, live_server, member.user.email, viewport=PHONE)
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("link", name="Voice").click()
    expect(page.get_by_role("heading", name="Voice", level=1)).to_be_visible()
    check_accessibility(page, "voice-home-phone")
    page.get_by_role("link", name="Answer").first.click()
    expect(page.locator("#anonymity-note")).to_contain_text("Anonymous.")
    check_accessibility(page, "survey-answer-phone")
    for legend in ("I feel I belong here.", "My voice is heard.", "I can be myself at work.",
                   "I have someone to turn to."):
        page.locator("fieldset", has_text=legend).get_by_text("Agree", exact=True).click()
    page.locator("fieldset", has_text="recommend").get_by_text("9", exact=True).click()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Your answer was counted on")).to_be_visible()
    check_accessibility(page, "survey-counted-phone")
    assert Response.objects.filter(survey=survey, member=member).count() == 1


def test_an_admin_reads_results_with_a_withheld_segment_and_publishes_we_did(browser, live_server, org):
    admin = org["admin"]
    survey = services.survey_create(actor=admin.user, title="Spring survey", audience="departments",
                                    department_ids=[org["engineering"].pk],
                                    question_ids=bank("belonging.belong", "enps.recommend", "open.better"))
    survey = services.survey_open(actor=admin.user, survey=survey)
    for person in org["platform"] + org["engineers"]:
        answer(survey, person, **{"belonging.belong": 4, "enps.recommend": 9, "open.better": "More plants"})
    services.survey_close(actor=admin.user, survey=survey)  # results are released at close
    page = signed_in_page(browser, live_server, admin.user.email)
    page.goto(f"{live_server.url}/voice/manage/")
    page.get_by_role("link", name="Results").first.click()
    expect(page.locator("#belonging-index")).to_have_text("100")
    check_accessibility(page, "survey-results")
    withheld = page.locator("#segment option", has_text="withheld").first
    value = withheld.get_attribute("value")
    page.get_by_label("Show results for").select_option(value)
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#withheld-note")).to_contain_text("subtracting")
    check_accessibility(page, "survey-results-withheld")
    page.get_by_role("link", name="Publish “we did”").click()
    page.get_by_label("What we did, in a line").fill("Plants on every floor")
    page.get_by_label("Details").fill("You asked for **more plants**: they arrive on Monday.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Plants on every floor")).to_be_visible()
    check_accessibility(page, "we-did")
    assert Action.objects.get().survey_id == survey.pk
    member = signed_in_page(browser, live_server, org["platform"][1].user.email)
    member.goto(f"{live_server.url}/voice/surveys/{survey.pk}/")
    expect(member.get_by_role("heading", name="You said, we did")).to_be_visible()
    expect(member.get_by_role("link", name="Plants on every floor")).to_be_visible()
    member.goto(f"{live_server.url}/")
    expect(member.get_by_role("link", name="Plants on every floor")).to_have_count(0)  # not an everyone survey


def test_an_anonymous_idea_gets_a_reply_its_author_sees(browser, live_server, org):
    author_profile = org["platform"][0]
    author = signed_in_page(browser, live_server, author_profile.user.email)
    author.goto(f"{live_server.url}/voice/")
    author.get_by_role("link", name="Share an idea or concern").first.click()
    author.get_by_label("Your idea or concern, in a line").fill("A quiet room on our floor")
    author.get_by_label("Details").fill("It is hard to focus.")
    author.get_by_label("Post anonymously").check()
    check_accessibility(author, "idea-form")
    author.get_by_role("button", name="Post").click()
    expect(author.get_by_text("Posted anonymously")).to_be_visible()
    expect(author.locator("#my-anonymous-idea")).to_be_visible()
    idea = Idea.objects.get()
    assert idea.author_id is None

    admin = signed_in_page(browser, live_server, org["admin"].user.email)
    admin.goto(f"{live_server.url}/voice/ideas/")
    check_accessibility(admin, "idea-board")
    admin.get_by_role("link", name="A quiet room on our floor").click()
    expect(admin.get_by_text("Pat Platform 0")).to_have_count(0)
    expect(admin.locator("#my-anonymous-idea")).to_have_count(0)
    admin.get_by_label("Official reply to the author").fill("Room 2.14 is yours from Monday.")
    admin.get_by_role("button", name="Send reply").click()
    expect(admin.get_by_text("Room 2.14 is yours from Monday.")).to_be_visible()
    check_accessibility(admin, "idea-detail")

    author.goto(f"{live_server.url}/voice/")
    expect(author.get_by_text(re.compile("An admin replied to your anonymous idea"))).to_be_visible()
    author.get_by_role("link", name="Read the replies on My ideas").click()
    expect(author.get_by_text("Room 2.14 is yours from Monday.")).to_be_visible()
    check_accessibility(author, "my-ideas")
