from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from courtyard.core.web.forms import CleanForm
from courtyard.pairing.models import Program, PulseResponse, Signup, TeamRequest
from courtyard.people.models import Department
from courtyard.people.web.forms import TagListField

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]
TENURE_CHOICES = [("any", _("Anyone")), ("newcomers", _("Newcomers")), ("seasoned", _("Seasoned colleagues"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ProgramForm(CleanForm):
    """One form for the three kinds: the page shows the part that applies to the program's kind."""

    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Markdown is supported."))
    scope = forms.ChoiceField(label=_("Who is it for"), choices=Program.Scope.choices, initial=Program.Scope.ORGANIZATION)
    group = forms.TypedChoiceField(label=_("Group"), required=False, coerce=int, empty_value=None, choices=())
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
    # Coffee
    cadence = forms.ChoiceField(label=_("How often"), choices=Program.Cadence.choices, initial=Program.Cadence.WEEKLY)
    weekday = forms.TypedChoiceField(label=_("On"), choices=WEEKDAYS, coerce=int, initial=0)
    local_time = forms.TimeField(label=_("At (local time)"), initial=dt.time(10, 0), widget=TIME)
    timezone = forms.CharField(label=_("Time zone"), max_length=64, initial="UTC",
                               widget=forms.TextInput(attrs={"list": "timezones"}))
    group_size = forms.TypedChoiceField(label=_("People per group"), coerce=int, initial=2,
                                        choices=[(2, _("2 (one trio when the count is odd)")), (3, "3"), (4, "4")])
    lookback_rounds = forms.IntegerField(label=_("Never repeat a pair within this many rounds"), min_value=0,
                                         max_value=52, initial=6)
    side_a_label = forms.CharField(label=_("Side A name"), required=False, max_length=60)
    side_a_departments = forms.ModelMultipleChoiceField(label=_("Side A departments"), required=False,
                                                        queryset=Department.objects.all())
    side_a_tenure = forms.ChoiceField(label=_("Side A tenure"), choices=TENURE_CHOICES, required=False)
    side_b_label = forms.CharField(label=_("Side B name"), required=False, max_length=60)
    side_b_departments = forms.ModelMultipleChoiceField(label=_("Side B departments"), required=False,
                                                        queryset=Department.objects.all())
    side_b_tenure = forms.ChoiceField(label=_("Side B tenure"), choices=TENURE_CHOICES, required=False)
    # Mentorship
    goals = forms.CharField(label=_("Goals of the program"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    objective = forms.ChoiceField(label=_("Assignment"), choices=Program.Objective.choices, widget=forms.RadioSelect,
                                  initial=Program.Objective.BEST_TOTAL)
    require_shared_language = forms.BooleanField(label=_("Mentor and mentee must share a language"), required=False,
                                                 initial=True)
    w_skill_fit = forms.FloatField(label=_("Skill fit"), min_value=-20, max_value=20, initial=6)
    w_department_difference = forms.FloatField(label=_("Different departments"), min_value=-20, max_value=20, initial=1)
    w_seniority_gap = forms.FloatField(label=_("Seniority gap"), min_value=-20, max_value=20, initial=3)
    w_timezone_overlap = forms.FloatField(label=_("Working-hours overlap"), min_value=-20, max_value=20, initial=2)
    w_language = forms.FloatField(label=_("Shared language"), min_value=-20, max_value=20, initial=1)
    w_preference = forms.FloatField(label=_("Location and department preferences"), min_value=-20, max_value=20, initial=1)
    w_preferred_mentor = forms.FloatField(label=_("Preferred mentor named"), min_value=-20, max_value=20, initial=4)
    # Teams
    team_min = forms.IntegerField(label=_("Smallest team"), min_value=2, max_value=50, initial=5)
    team_max = forms.IntegerField(label=_("Largest team"), min_value=2, max_value=50, initial=8)

    def __init__(self, *args: Any, kind: str, groups: list[tuple[int, str]], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        cast(forms.ChoiceField, self.fields["group"]).choices = [("", _("Choose a group")), *groups]
        scopes = list(Program.Scope.choices)
        if kind != Program.Kind.COFFEE:
            scopes = [c for c in scopes if c[0] != Program.Scope.CROSS]
        cast(forms.ChoiceField, self.fields["scope"]).choices = scopes
        if editing:
            for name in ("scope", "group"):
                del self.fields[name]
        keep: dict[str, tuple[str, ...]] = {
            Program.Kind.COFFEE: ("cadence", "weekday", "local_time", "timezone", "group_size", "lookback_rounds",
                                  "side_"),
            Program.Kind.MENTORSHIP: ("goals", "objective", "require_shared_language", "w_"),
            Program.Kind.TEAMS: ("team_",),
        }
        specific = [p for prefixes in keep.values() for p in prefixes]
        for name in list(self.fields):
            if any(name.startswith(p) for p in specific) and not any(name.startswith(p) for p in keep[kind]):
                del self.fields[name]

    def settings(self) -> dict[str, Any]:
        """The cleaned data as the services' keyword arguments."""
        data = dict(self.cleaned_data)
        data.pop("scope", None)
        data.pop("group", None)
        weights = {name[2:]: data.pop(name) for name in list(data) if name.startswith("w_")}
        if weights:
            data["weights"] = weights
        for side in ("side_a", "side_b"):
            if f"{side}_label" in data:
                data[side] = {
                    "label": data.pop(f"{side}_label"),
                    "departments": [d.pk for d in data.pop(f"{side}_departments")],
                    "tenure": data.pop(f"{side}_tenure") or "any",
                }
        return data


class SignupForm(CleanForm):
    role = forms.ChoiceField(label=_("I join as"), choices=[(Signup.Role.MENTEE, _("Mentee")), (Signup.Role.MENTOR, _("Mentor"))],
                             widget=forms.RadioSelect)
    capacity = forms.IntegerField(label=_("How many mentees can you take?"), min_value=1, max_value=5, initial=1,
                                  required=False)
    goals = forms.CharField(label=_("Your goals"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("One per line: what do you want to be able to do at the end?"))
    skills = TagListField(label=_("Skills"), required=False, max_length=1000,
                          help_text=_("Mentors: skills you offer. Mentees: skills you want to grow. Comma-separated."))
    topics = forms.CharField(label=_("Other topics you can help with"), required=False, max_length=300,
                             help_text=_("Comma-separated, e.g. career change, public speaking"))
    languages = forms.CharField(label=_("Languages for the mentorship"), required=False, max_length=200,
                                help_text=_("Comma-separated; empty: the languages on your profile"))
    location_preference = forms.ChoiceField(label=_("Mentor's location"), choices=Signup.Preference.choices, required=False)
    department_preference = forms.ChoiceField(label=_("Mentor's department"), choices=Signup.Preference.choices,
                                              required=False)
    preferred_mentors = forms.TypedMultipleChoiceField(label=_("Preferred mentors (up to 3)"), required=False, coerce=int,
                                                       choices=())

    def __init__(self, *args: Any, kind: str, mentors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["preferred_mentors"]).choices = mentors
        if kind != Program.Kind.MENTORSHIP:
            for name in ("role", "capacity", "goals", "topics", "languages", "location_preference",
                         "department_preference", "preferred_mentors"):
                del self.fields[name]
            if kind == Program.Kind.COFFEE:
                del self.fields["skills"]

    def clean_preferred_mentors(self) -> list[int]:
        chosen: list[int] = self.cleaned_data.get("preferred_mentors") or []
        if len(chosen) > 3:
            raise forms.ValidationError(_("Choose at most 3."))
        return chosen


class SnoozeForm(CleanForm):
    until = forms.DateField(label=_("Skip rounds until"), required=False, widget=DATE)


class StatusForm(CleanForm):
    status = forms.ChoiceField(choices=[(Program.Status.OPEN, _("Resume")), (Program.Status.PAUSED, _("Pause")),
                                        (Program.Status.CLOSED, _("Close"))])


class AnswerForm(CleanForm):
    met = forms.TypedChoiceField(choices=[("1", _("We met")), ("0", _("We did not meet"))], coerce=lambda v: v == "1")


class SuggestTimeForm(CleanForm):
    """"Suggest a time" on a coffee match: a date and time in the member's own time zone."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    time = forms.TimeField(label=_("Time"), widget=TIME)
    minutes = forms.TypedChoiceField(label=_("For"), coerce=int, initial=30,
                                     choices=[(15, _("15 minutes")), (30, _("30 minutes")), (45, _("45 minutes")),
                                              (60, _("1 hour"))])
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=200,
                           help_text=_("Where to meet, or a video link."))
    notify = forms.BooleanField(label=_("Tell the others about it"), required=False, initial=True)


class CheckinForm(CleanForm):
    met_on = forms.DateField(label=_("We met on"), widget=DATE)
    notes = forms.CharField(label=_("Notes (only the two of you see them)"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Markdown is supported."))


class ProgressForm(CleanForm):
    progress = forms.IntegerField(label=_("Progress on the goals (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Where things stand"), required=False, max_length=500)


class RematchForm(CleanForm):
    reason = forms.CharField(label=_("Why (only the program owner sees it)"), required=False, max_length=500)


class PulseForm(CleanForm):
    phase = forms.ChoiceField(choices=PulseResponse.Phase.choices, widget=forms.HiddenInput)
    score = forms.TypedChoiceField(label=_("How is your mentorship going?"), coerce=int, widget=forms.RadioSelect,
                                   choices=[(1, _("1 · Poorly")), (2, "2"), (3, "3"), (4, "4"), (5, _("5 · Very well"))])
    comment = forms.CharField(label=_("Anything to add? (anonymous)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class LockForm(CleanForm):
    locked = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class SwapForm(CleanForm):
    mentor = forms.IntegerField(min_value=1)


class MoveForm(CleanForm):
    team = forms.IntegerField(min_value=1)


class TeamRequestForm(CleanForm):
    kind = forms.ChoiceField(label=_("Request"), choices=TeamRequest.Kind.choices)
    first = forms.TypedChoiceField(label=_("First person"), coerce=int, choices=())
    second = forms.TypedChoiceField(label=_("Second person"), coerce=int, choices=())

    def __init__(self, *args: Any, pool: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["first"]).choices = pool
        cast(forms.ChoiceField, self.fields["second"]).choices = pool


class DoNotPairForm(CleanForm):
    email = forms.EmailField(label=_("Email address of the person"))
