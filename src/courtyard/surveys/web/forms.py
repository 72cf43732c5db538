from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtyard.core.web.forms import CleanForm
from courtyard.surveys.domain import questions as q
from courtyard.surveys.models import Audience, Idea


def set_choices(field: forms.Field, choices: Any) -> None:
    field.choices = choices  # type: ignore[attr-defined]


class AudienceMixin(CleanForm):
    audience = forms.ChoiceField(label=_("Who is asked"), choices=Audience.choices, widget=forms.RadioSelect,
                                 initial=Audience.EVERYONE)
    departments = forms.TypedMultipleChoiceField(label=_("Departments"), required=False, coerce=int,
                                                 widget=forms.SelectMultiple(attrs={"size": 6}),
                                                 help_text=_("Sub-departments are included."))
    locations = forms.TypedMultipleChoiceField(label=_("Locations"), required=False, coerce=int,
                                               widget=forms.SelectMultiple(attrs={"size": 4}))
    groups = forms.TypedMultipleChoiceField(label=_("Groups"), required=False, coerce=int,
                                            widget=forms.SelectMultiple(attrs={"size": 4}))
    min_group_size = forms.IntegerField(label=_("Minimum group size"), min_value=3, max_value=100, initial=5,
                                        help_text=_("Results for fewer respondents are withheld (never below 3)."))
    min_comment_group_size = forms.IntegerField(label=_("Minimum for comments"), min_value=3, max_value=100,
                                                initial=5, help_text=_("Comments are shown only when at least "
                                                                       "this many were written."))

    def set_audience_choices(self, choices: dict[str, Any]) -> None:
        for name in ("departments", "locations", "groups"):
            set_choices(self.fields[name], choices[name])


class SurveyForm(AudienceMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Introduction"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Markdown is supported."))
    anonymous = forms.BooleanField(label=_("Anonymous (recommended)"), required=False, initial=True,
                                   help_text=_("Answers are stored without any link to who gave them."))
    allow_changes = forms.BooleanField(
        label=_("Let people change their answers while the survey is open"), required=False,
        help_text=_("Only for attributed surveys: anonymous answers cannot be found again to change."))
    questions = forms.TypedMultipleChoiceField(label=_("Questions"), coerce=int, widget=forms.CheckboxSelectMultiple)
    closes_at = forms.DateTimeField(label=_("Closes at"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    field_order = ("title", "description", "anonymous", "allow_changes", "questions", "audience", "departments",
                   "locations", "groups", "min_group_size", "min_comment_group_size", "closes_at")


class QuestionForm(CleanForm):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=q.KINDS)
    theme = forms.ChoiceField(label=_("Theme"), choices=q.THEMES, initial="custom")
    options = forms.CharField(label=_("Options (choice questions)"), required=False, max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line."))

    def option_list(self) -> list[str]:
        return [line for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]


class PulseForm(AudienceMixin):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Introduction"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    anonymous = forms.BooleanField(label=_("Anonymous (recommended)"), required=False, initial=True)
    interval_days = forms.IntegerField(label=_("Repeat every (days)"), min_value=1, max_value=366, initial=14)
    open_days = forms.IntegerField(label=_("Each round stays open (days)"), min_value=1, max_value=366, initial=7)
    questions_per_round = forms.IntegerField(label=_("Rotating questions per round"), min_value=0, max_value=5,
                                             initial=3)
    include_belonging = forms.BooleanField(label=_("Always ask the belonging set (for the belonging index)"),
                                           required=False, initial=True)
    themes = forms.MultipleChoiceField(label=_("Rotate through these themes"), required=False,
                                       choices=[t for t in q.THEMES if t[0] != "belonging"],
                                       widget=forms.CheckboxSelectMultiple, help_text=_("None chosen: all of them."))
    first_open_at = forms.DateTimeField(label=_("First round opens"), required=False,
                                        widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                   format="%Y-%m-%dT%H:%M"),
                                        help_text=_("Empty: now."))
    field_order = ("title", "description", "anonymous", "interval_days", "open_days", "questions_per_round",
                   "include_belonging", "themes", "audience", "departments", "locations", "groups",
                   "min_group_size", "min_comment_group_size", "first_open_at")


class IdeaForm(CleanForm):
    title = forms.CharField(label=_("Your idea or concern, in a line"), max_length=200)
    body = forms.CharField(label=_("Details"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Markdown is supported."))
    anonymous = forms.BooleanField(
        label=_("Post anonymously"), required=False,
        help_text=_("Your name is not stored with the idea. Admin replies reach you on “My ideas”."))


class CommentForm(CleanForm):
    body = forms.CharField(label=_("Your comment"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(CleanForm):
    reply = forms.CharField(label=_("Official reply to the author"), max_length=10_000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(CleanForm):
    status = forms.ChoiceField(label=_("Status"), choices=Idea.Status.choices)
    note = forms.CharField(label=_("Note to the author (optional)"), required=False, max_length=10_000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(CleanForm):
    title = forms.CharField(label=_("What we did, in a line"), max_length=200)
    body = forms.CharField(label=_("Details"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("What you heard and what changed. Markdown is supported."))
    survey = forms.TypedChoiceField(label=_("In response to the survey"), required=False, coerce=int,
                                    empty_value=None)
    idea = forms.TypedChoiceField(label=_("Or to the idea"), required=False, coerce=int, empty_value=None)


class IdeasFilterForm(CleanForm):
    sort = forms.ChoiceField(required=False, choices=[("top", _("Most votes")), ("new", _("Newest"))])
    status = forms.ChoiceField(required=False, choices=[("", _("Any status")), *Idea.Status.choices])
    page = forms.IntegerField(required=False, min_value=1)
