from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtyard.core.web.forms import CleanForm
from courtyard.events.models import Event, Question, Rsvp
from courtyard.events.services import EventData
from courtyard.groups.models import Group
from courtyard.people.models import Profile


@lru_cache(maxsize=1)
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return [("UTC", "UTC"), *[(z, z.replace("_", " ")) for z in names]]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EmailListField(forms.CharField):
    """People by email address, comma-separated; each must be an active person of the directory."""

    def clean(self, value: Any) -> list[Profile]:
        text = super().clean(value) or ""
        emails = [e.strip().lower() for e in text.replace(";", ",").replace("\n", ",").split(",") if e.strip()]
        if len(emails) > 10:
            raise forms.ValidationError(_("At most 10 co-hosts."))
        found = {p.user.email.lower(): p for p in Profile.objects.filter(user__email__in=emails, is_active=True)
                 .select_related("user")}
        missing = [e for e in emails if e not in found]
        if missing:
            raise forms.ValidationError(_("Nobody in the directory has the address %(emails)s.")
                                        % {"emails": ", ".join(missing)})
        return [found[e] for e in emails]


class EventForm(CleanForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    format = forms.ChoiceField(label=_("Where"), choices=Event.Format.choices, widget=forms.RadioSelect)
    group = forms.ChoiceField(label=_("Hosted by a group"), required=False,
                              help_text=_("Only groups you are a member of."))
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=Event.Visibility.choices, widget=forms.RadioSelect)
    start_date = forms.DateField(label=_("Starts on"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=TimeInput())
    end_date = forms.DateField(label=_("Ends on"), required=False, widget=DateInput(),
                               help_text=_("Leave empty for the same day."))
    end_time = forms.TimeField(label=_("End time"), required=False, widget=TimeInput())
    all_day = forms.BooleanField(label=_("All day (stays on its dates in every time zone)"), required=False)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices,
                                 help_text=_("The zone the times above are in; everyone sees them in their own."))
    frequency = forms.ChoiceField(label=_("Repeats"), choices=Event.Frequency.choices)
    interval = forms.IntegerField(label=_("Every … weeks or months"), min_value=1, max_value=52, initial=1)
    monthly_by = forms.ChoiceField(label=_("Monthly"), choices=Event.MonthlyBy.choices, required=False)
    repeat_until = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    repeat_count = forms.IntegerField(label=_("Or a number of dates"), required=False, min_value=1, max_value=200)
    place = forms.CharField(label=_("Place"), max_length=300, required=False,
                            help_text=_("Room, address or venue (in person and hybrid)."))
    meeting_url = forms.URLField(label=_("Meeting link"), max_length=1000, required=False, assume_scheme="https",
                                 help_text=_("Shown only to people who are going."))
    description = forms.CharField(label=_("Description"), required=False, max_length=20_000,
                                  widget=forms.Textarea(attrs={"rows": 6}), help_text=_("Markdown is supported."))
    accessibility_notes = forms.CharField(
        label=_("Accessibility"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Step-free access, captions, quiet room, food labelling…"),
    )
    capacity = forms.IntegerField(label=_("Seats"), required=False, min_value=1, max_value=100_000,
                                  help_text=_("Guests count. Empty: no limit. When full, people join a waitlist."))
    allow_guests = forms.BooleanField(label=_("People may bring guests"), required=False)
    max_guests = forms.IntegerField(label=_("Guests per person"), required=False, min_value=0, max_value=10, initial=1)
    rsvp_closes_hours = forms.IntegerField(label=_("RSVPs close … hours before the start"), required=False,
                                           min_value=0, max_value=8760)
    questions = forms.CharField(
        label=_("Questions for people who answer"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. dietary needs. End a line with * to make it required for those going."),
    )
    cohosts = EmailListField(label=_("Co-hosts"), required=False, max_length=2000,
                             help_text=_("Email addresses, comma-separated."))
    hide_attendees = forms.BooleanField(label=_("Hide the list of attendees from other members"), required=False)
    feedback_enabled = forms.BooleanField(label=_("Ask attendees for feedback afterwards"), required=False, initial=True)
    feedback_anonymous = forms.BooleanField(label=_("Anonymous feedback (shown from 5 answers on)"), required=False,
                                            initial=True)
    cover = forms.ImageField(label=_("Cover picture"), required=False,
                             help_text=_("A wide picture (cropped to 3:1); JPEG, PNG, WebP or GIF, up to 5 MB."))
    remove_cover = forms.BooleanField(label=_("Remove the cover picture"), required=False)

    def __init__(self, *args: Any, groups: list[Group] | None = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {str(g.pk): g for g in groups or []}
        group_field = self.fields["group"]
        if isinstance(group_field, forms.ChoiceField):
            group_field.choices = [("", _("No group: the whole organization")),
                                   *[(str(g.pk), g.name) for g in groups or []]]
        if editing:
            del self.fields["group"]

    def clean_questions(self) -> list[tuple[str, bool]]:
        lines = [line.strip() for line in (self.cleaned_data.get("questions") or "").splitlines() if line.strip()]
        return [(line.rstrip("*").strip(), line.endswith("*")) for line in lines]

    def event_data(self) -> EventData:
        d = self.cleaned_data
        return EventData(
            title=d["title"], kind=d["kind"], format=d["format"], visibility=d["visibility"],
            group=self.groups.get(d.get("group") or ""), description=d["description"], place=d["place"],
            meeting_url=d["meeting_url"], accessibility_notes=d["accessibility_notes"], timezone=d["timezone"],
            all_day=d["all_day"], start_date=d["start_date"], start_time=d["start_time"], end_date=d["end_date"],
            end_time=d["end_time"], frequency=d["frequency"], interval=d["interval"] or 1,
            monthly_by=d["monthly_by"] or Event.MonthlyBy.DAY, repeat_count=d["repeat_count"],
            repeat_until=d["repeat_until"], capacity=d["capacity"], allow_guests=d["allow_guests"],
            max_guests=d["max_guests"] or 0, rsvp_closes_hours=d["rsvp_closes_hours"],
            hide_attendees=d["hide_attendees"], feedback_enabled=d["feedback_enabled"],
            feedback_anonymous=d["feedback_anonymous"], questions=d["questions"], cohosts=d["cohosts"],
        )

    @staticmethod
    def initial_for(event: Event, questions: list[Question], hosts: list[Profile]) -> dict[str, Any]:
        fields = ("title", "kind", "format", "visibility", "start_date", "start_time", "end_date", "end_time", "all_day",
                  "timezone", "frequency", "interval", "monthly_by", "repeat_until", "repeat_count", "place",
                  "meeting_url", "description", "accessibility_notes", "capacity", "allow_guests", "max_guests",
                  "rsvp_closes_hours", "hide_attendees", "feedback_enabled", "feedback_anonymous")
        initial = {field: getattr(event, field) for field in fields}
        initial["questions"] = "\n".join(q.text + ("*" if q.required else "") for q in questions)
        initial["cohosts"] = ", ".join(p.user.email for p in hosts if p.pk != event.created_by_id)
        return initial


class RsvpForm(CleanForm):
    status = forms.ChoiceField(label=_("Your answer"), choices=[c for c in Rsvp.Status.choices if c[0] != "waitlisted"],
                               widget=forms.RadioSelect)
    guests = forms.IntegerField(label=_("Guests"), required=False, min_value=-1000, max_value=1000, initial=0)
    # Set by the "Join the waitlist" button offered when some seats are free but too few for the party.
    join_waitlist = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, questions: list[Question] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions or []
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.CharField(
                label=question.text + (" *" if question.required else ""), required=False, max_length=500
            )

    def answers(self) -> dict[str, str]:
        return {str(q.pk): self.cleaned_data.get(f"q{q.pk}", "") for q in self.questions}


class RemoveAnswerForm(CleanForm):
    note = forms.CharField(label=_("Note to them (optional)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))


class OccurrenceForm(CleanForm):
    start = forms.DateTimeField(label=_("Starts"), widget=DateTimeLocalInput(),
                                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    end = forms.DateTimeField(label=_("Ends"), widget=DateTimeLocalInput(),
                              input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    note = forms.CharField(label=_("Note to everyone going, undecided or waiting"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The times are wall-clock times in the event's zone: drop the zone Django attached (the member's).
        for key in ("start", "end"):
            if isinstance(data.get(key), dt.datetime):
                data[key] = data[key].replace(tzinfo=None)
        return data


class BrowseForm(CleanForm):
    when = forms.ChoiceField(required=False, choices=[("upcoming", _("Upcoming")), ("week", _("This week")),
                                                      ("past", _("Past"))])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Event.Kind.choices])
    format = forms.ChoiceField(label=_("Where"), required=False,
                               choices=[("", _("In person or online")), ("in_person", _("In person")),
                                        ("virtual", _("Online"))])
    group = forms.SlugField(required=False, max_length=110)
    mine = forms.BooleanField(label=_("Hosted by my groups"), required=False)
    going = forms.BooleanField(label=_("I'm going"), required=False)
    q = forms.CharField(label=_("Search events"), required=False, max_length=100)
    cursor = forms.CharField(required=False, max_length=200)


class FeedbackForm(CleanForm):
    rating = forms.TypedChoiceField(label=_("How was it?"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(1, _("1 – poor")), (2, "2"), (3, "3"), (4, "4"), (5, _("5 – great"))])
    comment = forms.CharField(label=_("Anything the hosts should know? (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class MediaForm(CleanForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link (slides, album, recording)"), required=False, max_length=1000,
                         assume_scheme="https")
    photo = forms.ImageField(label=_("Or a photo"), required=False)


class CodeForm(CleanForm):
    code = forms.CharField(label=_("Check-in code"), max_length=32,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "inputmode": "text", "spellcheck": "false"}))
