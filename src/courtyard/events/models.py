"""Events, their occurrences, RSVPs, attendance, feedback and calendar feeds.

An ``Event`` is what a host creates: a title, a place or a meeting link, a time in an IANA zone, and
perhaps a recurrence rule. Its dates are materialized as ``Occurrence`` rows (one for a single event);
people answer, are checked in and give feedback per occurrence. Times are stored twice, on purpose: the
event keeps its first occurrence's *local* wall-clock date and time (what the host typed, which is what a
recurrence repeats), and each occurrence its UTC instants (what lists sort and filter on) plus its local
dates (what an all-day event shows in every time zone).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from courtyard.groups.models import Group
from courtyard.people.models import Profile


class Event(models.Model):
    class Kind(models.TextChoices):
        SOCIAL = "social", _("Social")
        TEAM_BUILDING = "team_building", _("Team-building")
        WORKSHOP = "workshop", _("Workshop / learning")
        COFFEE = "coffee", _("Coffee break")
        TOWN_HALL = "town_hall", _("Town hall")
        OTHER = "other", _("Other")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid")

    class Visibility(models.TextChoices):
        ORGANIZATION = "organization", _("Everyone in the organization")
        GROUP = "group", _("Only the members of the group")

    class Frequency(models.TextChoices):
        NONE = "none", _("Does not repeat")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    class MonthlyBy(models.TextChoices):
        DAY = "day", _("On the same day of the month")
        WEEKDAY = "weekday", _("On the same weekday (e.g. the second Tuesday)")

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SOCIAL)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.ORGANIZATION)
    # Deleting a group deletes its events: kept without it, a private group's event would become visible.
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    description = models.TextField(blank=True, max_length=20_000)
    description_html = models.TextField(blank=True)
    place = models.CharField(max_length=300, blank=True)
    meeting_url = models.URLField(max_length=1000, blank=True)  # shown only to those going
    accessibility_notes = models.TextField(blank=True, max_length=2000)
    cover = models.ImageField(upload_to="events/", blank=True)
    timezone = models.CharField(max_length=64)
    all_day = models.BooleanField(default=False)
    # The first occurrence in the event's local wall-clock time (times empty for all-day events).
    start_date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_date = models.DateField()
    end_time = models.TimeField(null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.NONE)
    interval = models.PositiveSmallIntegerField(default=1)
    monthly_by = models.CharField(max_length=10, choices=MonthlyBy.choices, default=MonthlyBy.DAY)
    repeat_count = models.PositiveSmallIntegerField(null=True, blank=True)
    repeat_until = models.DateField(null=True, blank=True)
    # Occurrences of an open-ended series exist up to this local date; a daily job moves it forward.
    materialized_through = models.DateField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)  # seats, guests included; empty: no limit
    allow_guests = models.BooleanField(default=False)
    max_guests = models.PositiveSmallIntegerField(default=0)
    rsvp_closes_hours = models.PositiveIntegerField(null=True, blank=True)  # RSVPs close this long before
    hide_attendees = models.BooleanField(default=False)
    feedback_enabled = models.BooleanField(default=True)
    feedback_anonymous = models.BooleanField(default=True)
    created_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    hosts = models.ManyToManyField(Profile, through="EventHost", related_name="hosted_events")

    class Meta:
        indexes = [
            models.Index(fields=["group", "visibility"], name="event_group_idx"),
            models.Index(fields=["frequency", "cancelled_at"], name="event_series_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="event_end_after_start"),
            models.CheckConstraint(condition=Q(interval__gte=1, interval__lte=52), name="event_interval_range"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(condition=Q(max_guests__lte=10), name="event_max_guests"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def repeats(self) -> bool:
        return self.frequency != self.Frequency.NONE


class EventHost(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="host_links")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "profile"], name="eventhost_unique")]
        indexes = [models.Index(fields=["profile"], name="eventhost_profile_idx")]

    def __str__(self) -> str:
        return f"{self.profile_id} hosts {self.event_id}"


class Question(models.Model):
    """A question the host asks people who answer (dietary needs, T-shirt size, ...)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Occurrence(models.Model):
    """One date of an event. Seats and counters are kept by services under a row lock (select_for_update)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    # Copied from the event (services keep them equal), so that lists filter and page on this table alone and
    # walk the start-time index instead of joining every event first (20,000 events: 180 ms -> a few ms).
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(max_length=12, choices=Event.Visibility.choices, default=Event.Visibility.ORGANIZATION)
    kind = models.CharField(max_length=20, choices=Event.Kind.choices, default=Event.Kind.SOCIAL)
    format = models.CharField(max_length=10, choices=Event.Format.choices, default=Event.Format.IN_PERSON)
    position = models.PositiveIntegerField(default=0)  # index in the series
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    # Local dates in the event's zone (end inclusive): what an all-day or multi-day event shows everywhere.
    start_date = models.DateField()
    end_date = models.DateField()
    place_override = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=500, blank=True)  # what the host said when changing or cancelling it
    detached = models.BooleanField(default=False)  # changed on its own: edits of the series leave it alone
    cancelled_at = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    seats_taken = models.PositiveIntegerField(default=0)  # going members and their guests
    going_count = models.PositiveIntegerField(default=0)
    maybe_count = models.PositiveIntegerField(default=0)
    waitlist_count = models.PositiveIntegerField(default=0)
    waitlist_seq = models.PositiveIntegerField(default=0)  # arrival counter of the waitlist
    attended_count = models.PositiveIntegerField(default=0)
    checkin_code = models.CharField(max_length=12)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: rises on every change
    updated_at = models.DateTimeField()
    finalized_at = models.DateTimeField(null=True, blank=True)  # attendance closed, facts written

    class Meta:
        ordering = ["start_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="occurrence_unique_position"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")), name="occurrence_within_capacity"
            ),
            models.CheckConstraint(condition=Q(end_at__gte=F("start_at")), name="occurrence_end_after_start"),
        ]
        indexes = [
            models.Index(fields=["start_at", "id"], name="occurrence_start_idx"),
            models.Index(fields=["event", "start_at"], name="occurrence_event_idx"),
            models.Index(fields=["end_at", "finalized_at"], name="occurrence_finalize_idx"),
            models.Index(fields=["checkin_code"], name="occurrence_code_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} on {self.start_date}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Rsvp(models.Model):
    class Status(models.TextChoices):
        GOING = "going", _("Going")
        MAYBE = "maybe", _("Maybe")
        NOT_GOING = "not_going", _("Not going")
        WAITLISTED = "waitlisted", _("On the waitlist")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="rsvps")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="event_rsvps")
    status = models.CharField(max_length=10, choices=Status.choices)
    guests = models.PositiveSmallIntegerField(default=0)
    answers = models.JSONField(default=dict, blank=True)  # question id (as text) -> answer
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    first_going_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, default="", blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminded_day_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "profile"], name="rsvp_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["going", "maybe", "not_going", "waitlisted"]), name="rsvp_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="rsvp_waitlist_position",
            ),
            models.CheckConstraint(condition=Q(guests__lte=10), name="rsvp_guests_range"),
            models.UniqueConstraint(
                fields=["occurrence", "waitlist_position"], condition=Q(waitlist_position__isnull=False),
                name="rsvp_unique_waitlist_position",
            ),
        ]
        indexes = [
            models.Index(fields=["occurrence", "status", "waitlist_position"], name="rsvp_occurrence_idx"),
            models.Index(fields=["profile", "status"], name="rsvp_profile_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.status} {self.occurrence_id}"

    @property
    def party(self) -> int:
        return 1 + self.guests


class FeedbackGiven(models.Model):
    """WHO gave feedback on an occurrence (so nobody answers twice). Never what they answered."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    given_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occurrence", "profile"], name="feedbackgiven_unique")]

    def __str__(self) -> str:
        return f"{self.profile_id} gave feedback on {self.occurrence_id}"


class FeedbackAnswer(models.Model):
    """WHAT was answered. For anonymous feedback there is no key to the person and no time finer than the
    UTC day (core.domain.anonymity.coarse_date); a random UUID key keeps insertion order from linking rows of
    this table to rows of FeedbackGiven."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=2000)
    answered_on = models.DateField()
    anonymous = models.BooleanField(default=True)
    profile = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedbackanswer_rating_range"),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(profile__isnull=True), name="feedbackanswer_anonymous_has_no_person"
            ),
        ]
        indexes = [models.Index(fields=["occurrence"], name="feedbackanswer_occurrence_idx")]

    def __str__(self) -> str:
        return f"Feedback {self.rating}/5 on {self.occurrence_id}"


class CalendarFeed(models.Model):
    """A member's secret calendar subscription. Only a hash is stored; the address is shown once."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="calendar_feeds")
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["profile", "revoked_at"], name="calendarfeed_profile_idx")]

    def __str__(self) -> str:
        return f"Calendar feed {self.prefix}… of {self.profile_id}"


class Media(models.Model):
    """A photo or a link (slides, an album, a recording) added to a past event."""

    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        PHOTO = "photo", _("Photo")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="media")
    occurrence = models.ForeignKey(Occurrence, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=1000, blank=True)
    image = models.ImageField(upload_to="events/photos/", blank=True)
    added_by = models.ForeignKey(Profile, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["event", "deleted_at", "-created_at"], name="eventmedia_event_idx")]

    def __str__(self) -> str:
        return self.title
