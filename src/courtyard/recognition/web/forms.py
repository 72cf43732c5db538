from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from courtyard.accounts.models import User
from courtyard.core.errors import ApplicationError
from courtyard.core.web.forms import CleanForm
from courtyard.groups.models import Group
from courtyard.groups.selectors import readable_group_ids
from courtyard.people.models import Profile, Team
from courtyard.recognition.models import Value
from courtyard.recognition.selectors import team_label

EMAIL_IN_ANGLES = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
MONTHS = [(str(i), dt.date(2024, i, 1).strftime("%B")) for i in range(1, 13)]


def _tokens(text: str) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _suggest(field: forms.Field, kind: str) -> None:
    """A datalist filled by htmx as the member types; the field works as plain text without JavaScript."""
    field.widget.attrs.update({
        "list": f"suggest-{kind}", "autocomplete": "off",
        "hx-get": reverse("recognition:suggest") + f"?kind={kind}", "hx-trigger": "keyup changed delay:250ms",
        "hx-target": f"#suggest-{kind}",
    })


class KudosForm(CleanForm):
    people = forms.CharField(
        label=_("People"), required=False, max_length=2000,
        help_text=_("Email addresses (or the part before the @), separated by commas."),
    )
    team = forms.CharField(label=_("Team"), required=False, max_length=500,
                           help_text=_("A whole team, e.g. “Checkout (Engineering / Product)”."))
    group = forms.CharField(label=_("Group"), required=False, max_length=500, help_text=_("A whole group, by its name."))
    message = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What did they do, and why did it matter? Markdown is supported."),
    )
    value = forms.ModelChoiceField(label=_("Value"), required=False, queryset=Value.objects.filter(is_active=True),
                                   empty_label=_("No value"))
    points = forms.IntegerField(label=_("Points for each person"), required=False, min_value=0, max_value=10_000, initial=0)
    is_private = forms.BooleanField(label=_("Private: only the people thanked see it"), required=False)
    share_with_manager = forms.BooleanField(label=_("…and their managers"), required=False)

    def __init__(self, *args: Any, actor: User, allowance_enabled: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        for name, kind in (("people", "person"), ("team", "team"), ("group", "group")):
            _suggest(self.fields[name], kind)
        if not allowance_enabled:
            del self.fields["points"]

    def clean_people(self) -> list[Profile]:
        found: list[Profile] = []
        missing: list[str] = []
        for token in _tokens(self.cleaned_data["people"]):
            match = EMAIL_IN_ANGLES.search(token)
            address = (match.group(1) if match else token).strip().lower()
            lookup = Q(user__email__iexact=address) if "@" in address else Q(user__email__istartswith=address.lstrip("@") + "@")
            person = Profile.objects.select_related("user", "department").filter(lookup).order_by("-is_active", "pk").first()
            if person is None:
                missing.append(token)
            else:
                found.append(person)
        if missing:
            raise forms.ValidationError(_t("Nobody in the directory is called %(names)s.") % {"names": ", ".join(missing)})
        return found

    def clean_team(self) -> list[Team]:
        teams: list[Team] = []
        for token in _tokens(self.cleaned_data["team"]):
            name, _sep, rest = token.partition(" (")
            candidates = list(Team.objects.filter(name__iexact=name.strip()).select_related("department"))
            if rest:
                candidates = [t for t in candidates if team_label(t).lower() == token.lower()]
            if len(candidates) != 1:
                raise forms.ValidationError(
                    _t("No single team is called %(name)s: pick one from the suggestions.") % {"name": token}
                )
            teams.append(candidates[0])
        return teams

    def clean_group(self) -> list[Group]:
        groups: list[Group] = []
        # Thanking a group speaks to its members: only groups whose content the sender may read.
        readable = Group.objects.filter(pk__in=readable_group_ids(self.actor))
        for token in _tokens(self.cleaned_data["group"]):
            group = readable.filter(name__iexact=token).order_by("archived_at").first()
            if group is None:
                raise forms.ValidationError(_t("No group you can see is called %(name)s.") % {"name": token})
            groups.append(group)
        return groups

    def kudos_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "people": data["people"], "teams": data["team"], "groups": data["group"], "message": data["message"],
            "value": data["value"], "is_private": data["is_private"], "share_with_manager": data["share_with_manager"],
            "points": data.get("points") or 0,
        }


class WallForm(CleanForm):
    value = forms.IntegerField(required=False, min_value=1, max_value=2**62, label=_("Value"))
    department = forms.IntegerField(required=False, min_value=1, max_value=2**62, label=_("Department"))
    team = forms.IntegerField(required=False, min_value=1, max_value=2**62, label=_("Team"))
    person = forms.IntegerField(required=False, min_value=1, max_value=2**62, label=_("Person"))
    group = forms.IntegerField(required=False, min_value=1, max_value=2**62, label=_("Group"))
    cursor = forms.CharField(required=False, max_length=200)


class CelebrationSettingsForm(CleanForm):
    birthday_month = forms.TypedChoiceField(label=_("Birthday month"), required=False, coerce=int, empty_value=None,
                                            choices=[("", _("Not shared")), *MONTHS])
    birthday_day = forms.TypedChoiceField(label=_("Day"), required=False, coerce=int, empty_value=None,
                                          choices=[("", "—"), *[(str(d), str(d)) for d in range(1, 32)]])
    anniversary = forms.BooleanField(label=_("Celebrate my work anniversaries"), required=False)
    welcome = forms.BooleanField(label=_("Welcome me when I start"), required=False)
    milestone = forms.BooleanField(label=_("Celebrate my program milestones (a mentorship completed)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("birthday_month") is None) != (data.get("birthday_day") is None):
            raise forms.ValidationError(_t("Choose both the day and the month of your birthday, or neither."))
        return data

    def birthday(self) -> tuple[int, int] | None:
        month, day = self.cleaned_data.get("birthday_month"), self.cleaned_data.get("birthday_day")
        return (month, day) if month and day else None

    def skipped(self) -> list[str]:
        return [kind for kind in ("anniversary", "welcome", "milestone") if not self.cleaned_data.get(kind)]


class SettingsForm(CleanForm):
    allowance_enabled = forms.BooleanField(label=_("Give every member points to hand out each month"), required=False)
    monthly_points = forms.IntegerField(label=_("Points per member per month"), min_value=0, max_value=10_000)
    per_recipient_limit = forms.IntegerField(label=_("At most, to one colleague in a month"), min_value=0, max_value=10_000)
    max_points_per_kudos = forms.IntegerField(label=_("At most, in one kudos (per person)"), min_value=0, max_value=10_000)


class ValueForm(CleanForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    emoji = forms.CharField(label=_("Emoji"), max_length=16, required=False)
    description = forms.CharField(label=_("Description"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=1000, required=False)
    is_active = forms.BooleanField(label=_("Offered on new kudos"), required=False, initial=True)


class BadgeForm(CleanForm):
    name = forms.CharField(label=_("Name"), max_length=60)
    emoji = forms.CharField(label=_("Emoji"), max_length=16, required=False)
    description = forms.CharField(label=_("Description"), max_length=1000, required=False)


class PersonForm(CleanForm):
    email = forms.EmailField(label=_("Email address"))
    note = forms.CharField(label=_("Why"), max_length=300, required=False)

    def person(self) -> Profile:
        profile = Profile.objects.select_related("user").filter(user__email__iexact=self.cleaned_data["email"]).first()
        if profile is None:
            raise ApplicationError(_t("Nobody in the directory has that address."), code="unknown_person")
        return profile


class NoteForm(CleanForm):
    note = forms.CharField(label=_("Why"), max_length=300, required=False)


class MonthForm(CleanForm):
    month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False, max_length=7)

    def month_start(self, default: dt.date) -> dt.date:
        raw = self.cleaned_data.get("month")
        if not raw:
            return default
        year, month = (int(part) for part in raw.split("-"))
        if not 2000 <= year <= 2100:
            return default
        return dt.date(year, month, 1)
