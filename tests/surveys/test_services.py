"""Survey, pulse, idea and action services: audiences, answering once, anonymity of what is stored,
thresholds on results, reminders from the who table, pulses on schedule, anonymous ideas and their replies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from courtyard.core.errors import ApplicationError, Conflict, PermissionDenied
from courtyard.core.models import AuditEntry, Participation
from courtyard.groups import services as group_services
from courtyard.notifications.models import Notification
from courtyard.surveys import caching, mailbox, selectors, services
from courtyard.surveys.models import (
    Answer,
    AttributedAnswer,
    Idea,
    IdeaComment,
    PulseSeries,
    Recipient,
    Response,
    Survey,
    SurveyQuestion,
)
from tests.conftest import signed_in_client
from tests.factories import make_profile
from tests.helpers import db_snapshot
from tests.surveys.conftest import answer, answers_for, bank, close, make_survey

pytestmark = pytest.mark.django_db


def recipients(survey: Survey) -> set[int]:
    return set(Recipient.objects.filter(survey=survey).values_list("member_id", flat=True))


# --- Audiences --------------------------------------------------------------------------------------


def test_audiences_everyone_departments_with_subdepartments_locations_groups_newcomers(org):
    admin = org.admin
    everyone = make_survey(admin, title="All")
    assert recipients(everyone) >= {p.pk for p in org.everyone}
    engineering = make_survey(admin, title="Eng", audience="departments", department_ids=[org.engineering.pk])
    assert recipients(engineering) == {p.pk for p in org.platform_people + org.engineering_people}
    lisbon = make_survey(admin, title="Lisbon", audience="locations", location_ids=[org.lisbon.pk])
    assert recipients(lisbon) == {p.pk for p in org.sales_people}
    group = group_services.group_create(actor=org.sales_people[0].user, name="Runners")
    group_services.membership_join(actor=org.platform_people[0].user, group=group)
    runners = make_survey(admin, title="Runners", audience="groups", group_ids=[group.pk])
    assert recipients(runners) == {org.sales_people[0].pk, org.platform_people[0].pk}
    newbie = make_profile(email="newbie@example.com", start_date=timezone.now().date() - dt.timedelta(days=10))
    newcomers = make_survey(admin, title="Settling in", audience="newcomers")
    assert recipients(newcomers) == {newbie.pk}
    assert Notification.objects.filter(kind="survey_opened", recipient=newbie.user).count() == 1  # joined after "All"


def test_an_audience_needs_its_choice_and_minimums_never_go_below_three(org):
    with pytest.raises(ApplicationError) as error:
        make_survey(org.admin, audience="departments")
    assert error.value.code == "audience_empty"
    with pytest.raises(ApplicationError) as error:
        make_survey(org.admin, min_group_size=2)
    assert error.value.code == "minimum_too_small"
    with pytest.raises(ApplicationError) as error:
        make_survey(org.admin, anonymous=True, allow_changes=True)
    assert error.value.code == "anonymous_no_changes"
    with pytest.raises(PermissionDenied):
        make_survey(org.platform_people[0])


# --- Answering --------------------------------------------------------------------------------------


def test_an_anonymous_answer_is_split_into_who_and_what(org):
    survey = make_survey(org.admin)
    person = org.platform_people[0]
    audits_before = AuditEntry.objects.count()
    answer(survey, person, **{"belonging.belong": 4, "enps.recommend": 9, "open.better": "More plants"})
    who = Response.objects.get(survey=survey)
    assert who.member == person
    assert who.answered_on == timezone.now().astimezone(dt.UTC).date()
    what = list(Answer.objects.filter(survey=survey).values())
    assert len(what) == 3
    for row in what:
        assert set(row) == {"id", "survey_id", "question_id", "value", "text", "answered_week", "department_id",
                            "location_id", "tenure_band"}
        assert row["department_id"] == org.platform.pk
        assert row["location_id"] == org.berlin.pk
        assert row["answered_week"].weekday() == 0
    assert not AttributedAnswer.objects.exists()
    fact = Participation.objects.get(verb="answered_survey", member_id=person.pk)
    assert (fact.occurred_at.hour, fact.occurred_at.minute, fact.occurred_at.second) == (0, 0, 0)
    assert fact.program_id == survey.pk
    assert AuditEntry.objects.count() == audits_before  # nothing in the audit log about answering anonymously
    survey.refresh_from_db()
    assert survey.response_count == 1
    assert survey.answers_dirty


def test_a_member_cannot_answer_twice(org):
    survey = make_survey(org.admin)
    person = org.platform_people[0]
    answer(survey, person, **{"belonging.belong": 4, "enps.recommend": 9})
    before = db_snapshot()
    with pytest.raises(Conflict) as error:
        answer(survey, person, **{"belonging.belong": 1, "enps.recommend": 0})
    assert error.value.code == "already_answered"
    assert db_snapshot() == before


def test_a_member_cannot_answer_a_survey_not_meant_for_them(org):
    survey = make_survey(org.admin, audience="locations", location_ids=[org.lisbon.pk])
    before = db_snapshot()
    with pytest.raises(PermissionDenied):
        answer(survey, org.platform_people[0], **{"belonging.belong": 4, "enps.recommend": 9})
    assert db_snapshot() == before


def test_no_answers_to_drafts_or_closed_surveys(org):
    draft = make_survey(org.admin, open_now=False)
    with pytest.raises(PermissionDenied):  # nobody was asked yet
        answer(draft, org.platform_people[0], **{"belonging.belong": 4, "enps.recommend": 9})
    survey = make_survey(org.admin)
    services.survey_close(actor=org.admin.user, survey=survey)
    with pytest.raises(Conflict):
        answer(survey, org.platform_people[0], **{"belonging.belong": 4, "enps.recommend": 9})


def test_closed_questions_are_required_and_bad_values_are_named(org):
    survey = make_survey(org.admin)
    before = db_snapshot()
    with pytest.raises(ApplicationError) as error:
        answer(survey, org.platform_people[0], **{"belonging.belong": 9})
    assert error.value.code == "invalid_answers"
    assert len(error.value.details) == 2  # out-of-scale and the missing eNPS
    with pytest.raises(ApplicationError):
        services.response_submit(actor=org.platform_people[0].user, survey=survey, answers={999999: ["1"]})
    assert db_snapshot() == before


def test_attributed_answers_can_change_while_open_if_allowed(org):
    survey = make_survey(org.admin, anonymous=False, allow_changes=True, keys=("belonging.belong", "open.better"))
    person = org.platform_people[0]
    answer(survey, person, **{"belonging.belong": 2, "open.better": "First"})
    services.response_change(actor=person.user, survey=survey,
                             answers=answers_for(survey, **{"belonging.belong": 5, "open.better": "Second"}))
    values = sorted((a.value or 0, a.text) for a in Answer.objects.filter(survey=survey))
    assert values == [(0, "Second"), (5, "")]
    assert AttributedAnswer.objects.filter(response__member=person).count() == 2
    services.survey_close(actor=org.admin.user, survey=survey)
    survey.refresh_from_db()
    with pytest.raises(Conflict):
        services.response_change(actor=person.user, survey=survey,
                                 answers=answers_for(survey, **{"belonging.belong": 1}))


def test_anonymous_answers_and_surveys_without_changes_cannot_change(org):
    for kwargs in ({}, {"anonymous": False}):
        survey = make_survey(org.admin, **kwargs)
        person = org.platform_people[0]
        answer(survey, person, **{"belonging.belong": 2, "enps.recommend": 3})
        with pytest.raises(PermissionDenied):
            services.response_change(actor=person.user, survey=survey,
                                     answers=answers_for(survey, **{"belonging.belong": 5, "enps.recommend": 3}))


def test_reshuffling_keeps_every_answer_and_forgets_keys(org):
    survey = make_survey(org.admin)
    for i, person in enumerate(org.platform_people):
        answer(survey, person, **{"belonging.belong": 1 + i % 5, "enps.recommend": i, "open.better": f"idea {i}"})
    before = list(Answer.objects.filter(survey=survey).values("id", "question_id", "value", "text"))
    assert services.answers_reshuffle_due() == 1
    after = list(Answer.objects.filter(survey=survey).values("id", "question_id", "value", "text"))
    strip = lambda rows: sorted((r["question_id"], r["value"] or -1, r["text"]) for r in rows)  # noqa: E731
    assert strip(before) == strip(after)
    assert not {r["id"] for r in before} & {r["id"] for r in after}
    assert services.answers_reshuffle_due() == 0  # nothing new since


# --- Results ----------------------------------------------------------------------------------------


def _segment(results, key):
    return next(s for s in results["segments"] if s["key"] == key)


def test_results_are_withheld_under_the_minimum(org):
    survey = make_survey(org.admin)
    for person in org.platform_people[:4]:
        answer(survey, person, **{"belonging.belong": 5, "enps.recommend": 10})
    survey = close(survey)
    results = selectors.survey_results(survey)
    assert results["released"]
    assert results["respondents"] is None
    assert not _segment(results, "all")["shown"]
    assert results["by_segment"] == {}


def test_scores_match_hand_computed_values(org):
    survey = make_survey(org.admin)
    # eNPS answers 10, 9, 8, 6, 3 → 40 % promoters − 40 % detractors = 0; belonging 5,4,4,2,1 → 60 % favourable
    for person, (b, e) in zip(org.platform_people, [(5, 10), (4, 9), (4, 8), (2, 6), (1, 3)], strict=False):
        answer(survey, person, **{"belonging.belong": b, "enps.recommend": e})
    survey = close(survey)
    results = selectors.survey_results(survey)
    everyone = results["by_segment"]["all"]
    assert everyone["enps"] == pytest.approx(0.0)
    assert everyone["belonging_index"] == pytest.approx(60.0)
    belong_id = bank("belonging.belong")[0]
    sq = SurveyQuestion.objects.get(survey=survey, question_id=belong_id)
    assert everyone["questions"][sq.pk]["mean"] == pytest.approx(16 / 5)


def test_subtraction_engineering_minus_platform_is_withheld(org):
    """Engineering has 10 respondents: 8 in Platform and 2 directly in Engineering. Each alone reaches the
    minimum, but showing both would give away the two; so one of them is withheld as derivable."""
    survey = make_survey(org.admin)
    for person in org.platform_people + org.engineering_people:
        answer(survey, person, **{"belonging.belong": 4, "enps.recommend": 8})
    for person in org.sales_people:
        answer(survey, person, **{"belonging.belong": 2, "enps.recommend": 4})
    survey = close(survey)
    results = selectors.survey_results(survey)
    engineering = _segment(results, f"dept:{org.engineering.pk}")
    platform = _segment(results, f"dept:{org.platform.pk}")
    assert not (engineering["shown"] and platform["shown"])
    assert "derivable" in {engineering["reason"], platform["reason"]}
    assert _segment(results, "all")["shown"]
    assert _segment(results, f"dept:{org.sales.pk}")["shown"]
    # the CSV says "withheld" for it and has no figures for it
    rows = selectors.results_csv_rows(survey, results)
    withheld_rows = [r for r in rows if r[2] == "withheld"]
    assert withheld_rows


def test_comments_only_for_everyone_from_the_comment_minimum_and_shuffled(org):
    people = org.platform_people
    for written in (3, 4):
        survey = make_survey(org.admin, min_comment_group_size=4, title=f"{written} comments")
        for i, person in enumerate(people[:7]):
            answer(survey, person, **{"belonging.belong": 4, "enps.recommend": 8,
                                      "open.better": f"comment {i}" if i < written else ""})
        survey.refresh_from_db()
        text_id = next(x["id"] for x in selectors.survey_results(survey)["questions"] if x["kind"] == "text")
        # While open, not even whether there are comments is told.
        assert selectors.survey_results(survey)["comments_withheld"] == {}
        results = selectors.survey_results(close(survey))
        if written < 4:
            assert results["comments"] == {}
            assert results["comments_withheld"][text_id]
        else:
            assert sorted(results["comments"][text_id]) == ["comment 0", "comment 1", "comment 2", "comment 3"]


def test_participation_rates_are_flagged_under_sixty_percent_and_withheld_for_few_asked(org):
    survey = make_survey(org.admin)
    for person in org.platform_people[:4] + org.sales_people[:5]:
        answer(survey, person, **{"belonging.belong": 4, "enps.recommend": 8})
    survey.refresh_from_db()
    rows = {r["key"]: r for r in selectors.survey_results(survey)["participation"]["departments"]}
    assert rows[f"dept:{org.platform.pk}"]["rate"] == pytest.approx(50.0)
    assert rows[f"dept:{org.platform.pk}"]["low"]
    assert rows[f"dept:{org.sales.pk}"]["rate"] == pytest.approx(500 / 6)
    assert not rows[f"dept:{org.sales.pk}"]["low"]
    assert rows[f"dept:{org.engineering.pk}"]["invited"] == 10


def test_results_are_cached_per_response_count_and_status(org):
    survey = make_survey(org.admin)
    for person in org.platform_people[:5]:
        answer(survey, person, **{"belonging.belong": 4, "enps.recommend": 8})
    survey.refresh_from_db()
    first = selectors.survey_results(survey)
    assert cache.get(caching.results_key(survey)) is not None
    answer(survey, org.platform_people[5], **{"belonging.belong": 1, "enps.recommend": 0})
    survey.refresh_from_db()
    # Participation follows each answer; the answers themselves are not read while the survey is open.
    second = selectors.survey_results(survey)
    assert second["participation"]["responded"] == first["participation"]["responded"] + 1
    assert not second["released"]
    assert second["respondents"] is None
    released = selectors.survey_results(close(survey))
    assert released["released"]
    assert released["respondents"] == 6


# --- Reminders and schedules --------------------------------------------------------------------------


def test_reminders_go_only_to_those_who_have_not_answered_once(org):
    survey = make_survey(org.admin, closes_at=timezone.now() + dt.timedelta(days=1))
    answered = org.platform_people[:3]
    for person in answered:
        answer(survey, person, **{"belonging.belong": 4, "enps.recommend": 8})
    assert services.survey_reminders_due() == survey.recipient_count - 3
    reminded = set(Notification.objects.filter(kind="survey_reminder").values_list("recipient_id", flat=True))
    assert not reminded & {p.user_id for p in answered}
    assert org.sales_people[0].user_id in reminded
    assert services.survey_reminders_due() == 0  # idempotent
    with pytest.raises(Conflict):
        services.survey_remind(actor=org.admin.user, survey=survey)


def test_surveys_close_on_their_date(org):
    survey = make_survey(org.admin, closes_at=timezone.now() + dt.timedelta(hours=1))
    assert services.surveys_close_due() == 0
    assert services.surveys_close_due(now=timezone.now() + dt.timedelta(hours=2)) == 1
    survey.refresh_from_db()
    assert survey.status == "closed"


def test_pulses_open_rounds_on_schedule_rotating_through_the_bank(org):
    series = services.series_create(actor=org.admin.user, title="Fortnightly", interval_days=14, open_days=7,
                                    questions_per_round=3, themes=["wellbeing", "growth", "manager"])
    now = timezone.now()
    first = services.pulse_round_open(series_id=series.pk, now=now)
    assert first is not None
    assert first.round_number == 1
    assert first.status == "open"
    keys = [sq.question.key for sq in selectors.survey_questions(first)]
    assert keys[:4] == ["belonging.belong", "belonging.heard", "belonging.myself", "belonging.someone"]
    assert len(keys) == 7
    assert services.pulse_round_open(series_id=series.pk, now=now) is None  # not due again yet
    assert services.pulses_open_due(now=now + dt.timedelta(days=1)) == 0
    assert services.pulses_open_due(now=now + dt.timedelta(days=15)) == 1
    second = Survey.objects.get(series=series, round_number=2)
    second_keys = [sq.question.key for sq in selectors.survey_questions(second)]
    assert not set(keys[4:]) & set(second_keys[4:])  # the rotation moved on
    series.refresh_from_db()
    assert series.rounds == 2
    assert series.next_open_at > now + dt.timedelta(days=15)
    services.series_set_active(actor=org.admin.user, series=series, active=False)
    assert services.pulses_open_due(now=now + dt.timedelta(days=60)) == 0
    assert PulseSeries.objects.get(pk=series.pk).rounds == 2


def test_the_trend_follows_rounds_and_withholds_small_ones(org):
    series = services.series_create(actor=org.admin.user, title="Pulse", questions_per_round=1,
                                    themes=["engagement"])
    now = timezone.now()
    first = services.pulse_round_open(series_id=series.pk, now=now)
    for person in org.platform_people[:6]:
        answer(first, person, **dict.fromkeys(("belonging.belong", "belonging.heard", "belonging.myself", "belonging.someone"), 5), **{"enps.recommend": 9})
    second = services.pulse_round_open(series_id=series.pk, now=now + dt.timedelta(days=15))
    for person in org.platform_people[:2]:
        answer(second, person, **dict.fromkeys(("belonging.belong", "belonging.heard", "belonging.myself", "belonging.someone"), 1), **{"engagement.proud": 3})
    close(second)
    third = services.pulse_round_open(series_id=series.pk, now=now + dt.timedelta(days=30))
    every_question = {sq.pk: ["0"] if sq.question.kind in ("single", "multiple") else ["3"]
                      for sq in SurveyQuestion.objects.filter(survey=third).select_related("question")
                      if sq.question.kind != "text"}
    for person in org.platform_people[:6]:  # enough answers, but the round is still open
        services.response_submit(actor=person.user, survey=third, answers=every_question)
    trend = selectors.series_trend(series)
    assert [r.shown for r in trend["rounds"]] == [False, False, False]
    close(first)
    trend = selectors.series_trend(series)
    assert [r.shown for r in trend["rounds"]] == [True, False, False]
    assert trend["rounds"][2].respondents is None
    assert trend["rounds"][0].belonging_index == pytest.approx(100.0)
    assert trend["rounds"][1].belonging_index is None


# --- Ideas ------------------------------------------------------------------------------------------


def test_an_anonymous_idea_has_no_author_no_time_no_audit_and_no_fact(org):
    author = org.platform_people[0]
    audits, facts = AuditEntry.objects.count(), Participation.objects.count()
    idea = services.idea_create(actor=author.user, title="Quiet room", body="Please", anonymous=True)
    idea.refresh_from_db()
    assert idea.author is None
    assert idea.anonymous
    assert (idea.created_at.hour, idea.created_at.minute) == (0, 0)
    assert len(idea.mailbox_tag) == 64
    assert len(idea.mailbox_nonce) == 32
    assert AuditEntry.objects.count() == audits
    assert Participation.objects.count() == facts
    assert [i.pk for i in selectors.ideas_mine(author.user)] == [idea.pk]
    assert selectors.ideas_mine(org.platform_people[1].user) == []
    assert not mailbox.is_anonymous_author(org.platform_people[1].pk, idea)


def test_an_admin_replies_to_an_anonymous_author_who_sees_it_without_a_notification(org):
    author = org.platform_people[0]
    idea = services.idea_create(actor=author.user, title="Quiet room", body="Please", anonymous=True)
    services.idea_set_status(actor=org.admin.user, idea=idea, status="planned", note="We will try it in May.")
    assert not Notification.objects.filter(recipient=author.user).exists()
    mine = selectors.ideas_mine(author.user)
    assert [c.body for c in mine[0].official_replies] == ["We will try it in May."]
    assert Idea.objects.get(pk=idea.pk).status == "planned"


def test_open_ideas_notify_their_author_and_votes_are_idempotent(org):
    author, fan = org.platform_people[0], org.sales_people[0]
    idea = services.idea_create(actor=author.user, title="Bike racks", body="More of them")
    assert Participation.objects.filter(verb="posted_idea", member_id=author.pk).exists()
    services.idea_vote(actor=fan.user, idea=idea, on=True)
    services.idea_vote(actor=fan.user, idea=idea, on=True)
    assert Idea.objects.get(pk=idea.pk).vote_count == 1
    services.idea_comment(actor=fan.user, idea=idea, body="Yes please")
    assert Notification.objects.filter(recipient=author.user, kind="idea_update").count() == 1
    services.idea_vote(actor=fan.user, idea=idea, on=False)
    assert Idea.objects.get(pk=idea.pk).vote_count == 0
    assert Participation.objects.filter(verb="voted_idea", member_id=fan.pk).count() == 1
    assert Participation.objects.filter(verb="commented_idea", member_id=fan.pk).count() == 1
    with pytest.raises(PermissionDenied):
        services.idea_comment(actor=fan.user, idea=idea, body="Official!", official=True)
    assert IdeaComment.objects.filter(official=True).count() == 0


def test_we_did_reaches_those_asked_and_the_home_card(org):
    survey = make_survey(org.admin)
    action = services.action_publish(actor=org.admin.user, title="Quiet room opens", body="On floor 2",
                                     survey=survey)
    told = set(Notification.objects.filter(kind="survey_action").values_list("recipient_id", flat=True))
    assert {p.user_id for p in org.everyone} <= told
    assert [a["id"] for a in selectors.home_actions()] == [action.pk]
    lisbon = make_survey(org.admin, audience="locations", location_ids=[org.lisbon.pk])
    services.action_publish(actor=org.admin.user, title="Lisbon coffee", body="Better beans", survey=lisbon)
    assert [a["title"] for a in selectors.home_actions()] == ["Quiet room opens"]  # not for everyone
    assert [a.title for a in selectors.actions_for(org.platform_people[0].user)] == ["Quiet room opens"]
    assert len(selectors.actions_for(org.sales_people[0].user)) == 2


def test_home_card_names_the_idea_once_when_the_title_already_does(org):
    """"Done: Bike racks" about the idea "Bike racks" reads once on the home card, not "Done: X · X"."""
    idea = services.idea_create(actor=org.platform_people[0].user, title="Bike racks", body="More of them")
    services.action_publish(actor=org.admin.user, title="Done: bike  racks", body="In place", idea=idea)
    services.action_publish(actor=org.admin.user, title="Racks ordered", body="Next week", idea=idea)
    assert [(a["title"], a["about"]) for a in selectors.home_actions()] == [
        ("Racks ordered", "Bike racks"), ("Done: bike  racks", ""),
    ]
    page = signed_in_client(org.platform_people[1]).get("/").content.decode()
    assert page.count("Bike racks") == 1
