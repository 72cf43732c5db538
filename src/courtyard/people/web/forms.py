from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courtyard.core.web.forms import CleanForm
from courtyard.people.domain.directory import slugify_tag, split_tag_names
from courtyard.people.models import Department, Location, Profile
from courtyard.people.selectors import SORTS, DirectoryQuery
from courtyard.people.services import timezone_validate

FIELD_LABELS = {
    "pronouns": _("Pronouns"),
    "location": _("Location"),
    "timezone": _("Time zone"),
    "languages": _("Languages"),
    "start_date": _("Start date"),
    "bio": _("About me"),
    "ask_me_about": _("Ask me about"),
    "photo": _("Photo"),
}


class DirectoryFilterForm(CleanForm):
    q = forms.CharField(required=False, max_length=200, label=_("Search"))
    department = forms.IntegerField(required=False, min_value=1, label=_("Department"))
    team = forms.IntegerField(required=False, min_value=1, label=_("Team"))
    location = forms.IntegerField(required=False, min_value=1, label=_("Location"))
    interest = forms.CharField(required=False, max_length=80, label=_("Interest"))
    skill = forms.CharField(required=False, max_length=80, label=_("Skill"))
    newcomer = forms.BooleanField(required=False, label=_("Newcomers only"))
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS], label=_("Sort by"))
    page = forms.IntegerField(required=False, min_value=1)

    def to_query(self, *, include_inactive: bool = False, sees_hidden: bool = False) -> DirectoryQuery:
        data = self.cleaned_data
        return DirectoryQuery(
            q=data.get("q") or "",
            department=data.get("department"),
            team=data.get("team"),
            location=data.get("location"),
            interest=slugify_tag(data["interest"]) if data.get("interest") else "",
            skill=slugify_tag(data["skill"]) if data.get("skill") else "",
            newcomer=bool(data.get("newcomer")),
            sort=data.get("sort") or ("relevance" if data.get("q") else "name"),
            include_inactive=include_inactive,
            sees_hidden=sees_hidden,
        )


class TagListField(forms.CharField):
    """A comma-separated list of tag names, e.g. "climbing, board games, jazz"."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return split_tag_names(super().to_python(value) or "")

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list | tuple):
            return ", ".join(str(getattr(item, "name", item)) for item in value)
        return str(value or "")


class ProfileForm(CleanForm):
    """The profile editor. Admin-only fields are removed for members editing themselves."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    preferred_name = forms.CharField(label=_("Preferred name"), max_length=150, required=False)
    pronouns = forms.CharField(label=_("Pronouns"), max_length=40, required=False, help_text=_("e.g. she/her, they/them"))
    title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    team = forms.CharField(label=_("Team"), max_length=120, required=False)
    manager_email = forms.EmailField(label=_("Manager's email"), required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.all(), required=False)
    # A text box with suggestions (a <datalist>: common zones first, searchable as one types, no JavaScript
    # needed); any valid zone name is accepted, including an old alias a member already has.
    timezone = forms.CharField(
        label=_("Time zone"), max_length=64,
        help_text=_("Type a city or region, e.g. Berlin or New_York."),
        widget=forms.TextInput(attrs={"list": "timezones", "autocomplete": "off", "spellcheck": "false"}),
    )
    languages = forms.CharField(label=_("Languages"), max_length=200, required=False, help_text=_("Comma-separated"))
    interests = TagListField(
        label=_("Interests"), required=False, max_length=2000,
        help_text=_("Comma-separated, e.g. climbing, board games"),
    )
    skills = TagListField(label=_("Skills"), required=False, max_length=2000, help_text=_("Comma-separated"))
    ask_me_about = forms.CharField(label=_("Ask me about"), max_length=300, required=False)
    bio = forms.CharField(
        label=_("About me"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown is supported."),
    )
    visible_fields = forms.MultipleChoiceField(  # type: ignore[assignment]
        label=_("Show these to other members"),
        required=False,
        choices=list(FIELD_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    # Saved with the rest of the form, through the photo service (which checks and re-encodes it).
    photo = forms.ImageField(
        label=_("New photo"), required=False,
        help_text=_("JPEG, PNG, WebP or GIF, up to 5 MB. It is cropped to a square and saved with your profile."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )

    ADMIN_ONLY = ("full_name", "title", "department", "team", "manager_email", "start_date")

    def __init__(self, *args: Any, admin: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.admin = admin
        if not admin:
            for name in self.ADMIN_ONLY:
                del self.fields[name]
        for name, kind in (("interests", "interest"), ("skills", "skill")):
            self.fields[name].widget.attrs.update(
                {
                    "list": f"{kind}-options",
                    "autocomplete": "off",
                    "hx-get": reverse("people:tag_autocomplete") + f"?kind={kind}",
                    "hx-trigger": "input changed delay:200ms",
                    "hx-target": f"#{kind}-options",
                }
            )

    @classmethod
    def initial_for(cls, profile: Profile, interests: list[Any], skills: list[Any]) -> dict[str, Any]:
        return {
            "full_name": profile.full_name,
            "preferred_name": profile.preferred_name,
            "pronouns": profile.pronouns,
            "title": profile.title,
            "department": profile.department_id,
            "team": profile.team.name if profile.team else "",
            "manager_email": profile.manager.user.email if profile.manager else "",
            "start_date": profile.start_date,
            "location": profile.location_id,
            "timezone": profile.timezone,
            "languages": profile.languages,
            "interests": interests,
            "skills": skills,
            "ask_me_about": profile.ask_me_about,
            "bio": profile.bio,
            "visible_fields": [f for f in Profile.OPTIONAL_FIELDS if f not in profile.hidden_fields],
        }

    def clean_timezone(self) -> str:
        try:
            return timezone_validate(self.cleaned_data["timezone"])
        except Exception as exc:
            raise forms.ValidationError(str(getattr(exc, "message", exc))) from exc


class PhotoForm(CleanForm):
    photo = forms.ImageField(label=_("New photo"), required=False)
    remove = forms.BooleanField(label=_("Remove my photo"), required=False)
