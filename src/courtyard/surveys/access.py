"""The only doors to surveys, pulses, ideas and actions: fetch and authorize in one step.

A survey is visible to the people it was asked of and to community admins; to anyone else it does not exist
(the same 404 as a missing one). Drafts exist for admins only. Results, exports, pulses, the question bank
and publishing "we did" are for community admins. Ideas are for every signed-in member.
"""

from __future__ import annotations

from courtyard.accounts.models import User
from courtyard.core.access import is_admin, parse_id, require_admin, require_signed_in
from courtyard.core.errors import NotFound, PermissionDenied
from courtyard.surveys.models import Action, Idea, PulseSeries, Question, Recipient, Survey


def is_recipient(actor: User, survey: Survey) -> bool:
    return Recipient.objects.filter(survey=survey, member__user=actor).exists()


def access_survey(actor: User, survey_id: object) -> Survey:
    """A survey the actor was asked, or any survey for an admin."""
    require_signed_in(actor)
    survey = Survey.objects.select_related("series").filter(pk=parse_id(survey_id)).first()
    if survey is None:
        raise NotFound("No such survey.")
    if is_admin(actor):
        return survey
    if survey.status == Survey.Status.DRAFT:
        raise NotFound("No such survey.")
    if not is_recipient(actor, survey):
        raise NotFound("No such survey.")
    return survey


def access_survey_admin(actor: User, survey_id: object) -> Survey:
    """Results, exports and management: community admins only (others are told they may not)."""
    require_admin(actor)
    return access_survey(actor, survey_id)


def access_series(actor: User, series_id: object) -> PulseSeries:
    require_admin(actor)
    series = PulseSeries.objects.filter(pk=parse_id(series_id)).first()
    if series is None:
        raise NotFound("No such pulse.")
    return series


def access_question(actor: User, question_id: object) -> Question:
    require_admin(actor)
    question = Question.objects.filter(pk=parse_id(question_id)).first()
    if question is None:
        raise NotFound("No such question.")
    return question


def access_idea(actor: User, idea_id: object) -> Idea:
    require_signed_in(actor)
    idea = Idea.objects.select_related("author").filter(pk=parse_id(idea_id)).first()
    if idea is None:
        raise NotFound("No such idea.")
    return idea


def access_action(actor: User, action_id: object) -> Action:
    require_signed_in(actor)
    action = Action.objects.select_related("survey", "idea", "published_by").filter(pk=parse_id(action_id)).first()
    if action is None or not can_see_action(actor, action):
        raise NotFound("No such update.")
    return action


def can_see_action(actor: User, action: Action) -> bool:
    if action.survey_id is None:
        return True
    if is_admin(actor) or (action.survey is not None and action.survey.audience == "everyone"):
        return True
    return Recipient.objects.filter(survey_id=action.survey_id, member__user=actor).exists()


def can_manage(actor: User) -> bool:
    return is_admin(actor)


def check_can_answer(actor: User, survey: Survey) -> None:
    """Only the people a survey was asked of answer it, and only while it is open."""
    if not is_recipient(actor, survey):
        raise PermissionDenied("This survey was not sent to you.", code="not_recipient")
