"""What surveys and ideas tell people. Every notification goes through notifications.services.

None of these ever names an answer or the author of an anonymous idea: a survey notification says a survey
opened or is waiting, an idea notification goes only to the author of an *open* idea (an anonymous author
finds replies on their "My ideas" page, because a notification row would itself link them to the idea).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core.access import is_admin
from courtyard.notifications.services import notifications_send_bulk
from courtyard.notifications.targets import register, through
from courtyard.surveys.access import access_action, access_idea, access_survey
from courtyard.surveys.models import Action, Idea, IdeaVote, Recipient, Survey


def _send_many(**kwargs: Any) -> None:
    notifications_send_bulk(**kwargs)


def survey_opened(*, survey: Survey, recipients: Iterable[User], actor: User | None) -> None:
    people = list(recipients)
    if not people:
        return
    text = (_("A new pulse is open: “%(title)s” (under a minute)") if survey.series_id
            else _("A new survey is waiting for you: “%(title)s”")) % {"title": survey.title}
    _send_many(recipients=people, kind="survey_opened", actor=actor, text=text,
               url=reverse("surveys:survey", args=[survey.pk]), object_type="survey", object_id=survey.pk)


def survey_reminder(*, survey: Survey, recipients: Iterable[User]) -> None:
    people = list(recipients)
    if not people:
        return
    _send_many(recipients=people, kind="survey_reminder", actor=None,
               text=_("Reminder: “%(title)s” closes soon. Your voice counts.") % {"title": survey.title},
               url=reverse("surveys:survey", args=[survey.pk]), object_type="survey", object_id=survey.pk)


def idea_commented(*, idea: Idea, actor: User, official: bool) -> None:
    if idea.author is None:
        return
    text = (_("An admin replied to your idea “%(title)s”") if official
            else _("New comment on your idea “%(title)s”")) % {"title": idea.title}
    _send_many(recipients=[idea.author.user], kind="idea_update", actor=actor, text=text,
               url=reverse("surveys:idea", args=[idea.pk]), object_type="idea", object_id=idea.pk)


def idea_status(*, idea: Idea, actor: User) -> None:
    if idea.author is None:
        return
    _send_many(recipients=[idea.author.user], kind="idea_update", actor=actor,
               text=_("Your idea “%(title)s” is now: %(status)s") % {"title": idea.title,
                                                                    "status": idea.get_status_display()},
               url=reverse("surveys:idea", args=[idea.pk]), object_type="idea", object_id=idea.pk)


def action_published(*, action: Action, actor: User) -> None:
    """Those who were asked (a survey) or who voted (an idea) hear what was done."""
    if action.survey_id is not None:
        users = User.objects.filter(profile__in=Recipient.objects.filter(survey_id=action.survey_id).values("member_id"),
                                    is_active=True)
    elif action.idea_id is not None:
        voters = IdeaVote.objects.filter(idea_id=action.idea_id).values("member_id")
        users = User.objects.filter(profile__in=voters, is_active=True)
    else:
        return
    people = list(users)
    if not people:
        return
    _send_many(recipients=people, kind="survey_action", actor=actor,
               text=_("You said, we did: %(title)s") % {"title": action.title},
               url=reverse("surveys:action", args=[action.pk]), object_type="action", object_id=action.pk)


def survey_readers(survey_id: int | None, users: Sequence[User]) -> set[int]:
    """access_survey for many members in two queries (a survey opens to thousands at once): admins read any
    survey, others one they were asked once it is no longer a draft."""
    survey = Survey.objects.filter(pk=survey_id).first() if survey_id is not None else None
    if survey is None:
        return set()
    readers = {user.pk for user in users if user.is_active and is_admin(user)}
    if survey.status == Survey.Status.DRAFT:
        return readers
    asked = Recipient.objects.filter(survey=survey, member__user__in=[u.pk for u in users if u.is_active])
    return readers | set(asked.values_list("member__user_id", flat=True))


def register_notification_targets() -> None:
    """What Voice's notifications are about: a survey (for those asked), an idea, a "we did" update."""
    register("survey", through(access_survey), readers=survey_readers)
    register("idea", through(access_idea))
    register("action", through(access_action))
