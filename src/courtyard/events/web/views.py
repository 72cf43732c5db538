"""Event pages: parse, access, call a service or selector, render."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtyard.accounts.http import AuthedRequest
from courtyard.core import clock
from courtyard.core.errors import ApplicationError, NotFound
from courtyard.core.htmx import render_page
from courtyard.core.pagination import cursor_checked
from courtyard.events import calendars, selectors, services
from courtyard.events.access import (
    access_event,
    access_media,
    access_occurrence,
    require_manager,
)
from courtyard.events.domain import checkin as checkin_rules
from courtyard.events.domain import recurrence, rules
from courtyard.events.models import Event, Media, Occurrence, Rsvp
from courtyard.events.web.forms import (
    BrowseForm,
    CodeForm,
    EventForm,
    FeedbackForm,
    MediaForm,
    OccurrenceForm,
    RemoveAnswerForm,
    RsvpForm,
)
from courtyard.people.access import actor_profile


def _permissions(current: rules.Standing, event: Event) -> dict[str, bool]:
    return {
        "can_manage": rules.can_manage(current),
        "can_rsvp": rules.can_rsvp(current),
        "can_see_attendees": rules.can_see_attendees(current, event.hide_attendees),
    }


def _occurrence_in(request: AuthedRequest, event_id: str, occurrence_id: str) -> tuple[Occurrence, rules.Standing]:
    return access_occurrence(request.user, occurrence_id, event_id=event_id)


def _back(occurrence: Occurrence) -> HttpResponse:
    return redirect("events:occurrence", event_id=occurrence.event_id, occurrence_id=occurrence.pk)


# --- Discovery --------------------------------------------------------------------------------


@login_required
@require_GET
def browse(request: AuthedRequest) -> HttpResponse:
    """Upcoming (or this week's, or past) dates with filters; "Later" pages by cursor (htmx appends them)."""
    form = BrowseForm(request.GET)
    if not form.is_valid():
        return render(request, "events/list.html", {"form": form, "result": None}, status=400)
    data = form.cleaned_data
    query = selectors.EventQuery(when=data["when"] or "upcoming", kind=data["kind"], format=data["format"],
                                 group=data["group"], mine=data["mine"], going=data["going"], q=data["q"])
    with cursor_checked():
        result = selectors.occurrences_list(request.user, query, cursor=data["cursor"] or None,
                                            tz=timezone.get_current_timezone())
    context = {"form": form, "query": query, "result": result, "more_only": bool(data["cursor"])}
    if data["cursor"] and request.htmx:
        return render(request, "events/partials/_occurrence_items.html", context)
    return render_page(request, "events/list.html", "events/partials/_occurrence_list.html", context)


@login_required
@require_GET
def calendar(request: AuthedRequest) -> HttpResponse:
    tz = timezone.get_current_timezone()
    today = clock.now().astimezone(tz).date()
    raw = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-")) if raw else (today.year, today.month)
        first = dt.date(year, month, 1)
    except ValueError:
        raise ApplicationError(_("Give the month as YYYY-MM."), code="bad_month") from None
    if not 2000 <= year <= 2100:
        raise ApplicationError(_("Give the month as YYYY-MM."), code="bad_month")
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    context = {"month": first, "today": today, "previous": previous, "following": following,
               **selectors.calendar_month(request.user, year, month, tz)}
    return render(request, "events/calendar.html", context)


# --- Creating and changing events --------------------------------------------------------------


def _save_cover(request: AuthedRequest, event: Event, form: EventForm) -> None:
    cover = form.cleaned_data.get("cover")
    if cover or form.cleaned_data.get("remove_cover"):
        services.event_cover_set(actor=request.user, event=event, upload=cover or None)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    profile = actor_profile(request.user)
    groups = selectors.group_choices(request.user)
    tomorrow = clock.now().astimezone(timezone.get_current_timezone()).date() + dt.timedelta(days=1)
    initial = {"kind": Event.Kind.SOCIAL, "format": Event.Format.IN_PERSON, "visibility": Event.Visibility.ORGANIZATION,
               "timezone": profile.timezone or "UTC", "frequency": Event.Frequency.NONE, "interval": 1,
               "start_date": tomorrow, "start_time": dt.time(17, 30), "end_time": dt.time(19, 0),
               "feedback_enabled": True, "feedback_anonymous": True, "group": request.GET.get("group", "")}
    form = EventForm(request.POST or None, request.FILES or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                event = services.event_create(actor=request.user, data=form.event_data())
                _save_cover(request, event, form)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your event is published. Share it, or add a co-host."))
            return redirect("events:detail", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, event_id: str) -> HttpResponse:
    event, current = access_event(request.user, event_id)
    if not rules.can_manage(current):
        raise NotFound(_("No such event."))
    hosts = selectors.hosts_of(event)
    initial = EventForm.initial_for(event, list(event.questions.all()), [*hosts])
    form = EventForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.event_update(actor=request.user, event=event, data=form.event_data())
                _save_cover(request, event, form)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Event saved. Everyone going, undecided or waiting was told about a new time or place."))
            return redirect("events:detail", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def cancel(request: AuthedRequest, event_id: str) -> HttpResponse:
    event, _current = access_event(request.user, event_id)
    services.event_cancel(actor=request.user, event=event, reason=request.POST.get("reason", ""))
    messages.success(request, _("The event is cancelled; everyone going, undecided or waiting was told."))
    return redirect("events:detail", event_id=event.pk)


@login_required
@require_GET
def detail(request: AuthedRequest, event_id: str) -> HttpResponse:
    """An event's address opens on its next date."""
    event, _current = access_event(request.user, event_id)
    occurrence = selectors.next_occurrence(event)
    if occurrence is None:
        raise NotFound(_("This event has no dates."))
    return redirect("events:occurrence", event_id=event.pk, occurrence_id=occurrence.pk)


@login_required
@require_GET
def occurrence(request: AuthedRequest, event_id: str, occurrence_id: str) -> HttpResponse:
    occurrence, current = _occurrence_in(request, event_id, occurrence_id)
    return _occurrence_page(request, occurrence, current)


def _occurrence_page(request: AuthedRequest, occurrence: Occurrence, current: rules.Standing,
                     rsvp_form: RsvpForm | None = None, status: int = 200, offer_waitlist: bool = False) -> HttpResponse:
    event = occurrence.event
    permissions = _permissions(current, event)
    detail = selectors.occurrence_detail(occurrence, actor=request.user, can_manage=permissions["can_manage"],
                                         can_see_attendees=permissions["can_see_attendees"])
    my_rsvp: Rsvp | None = detail["my_rsvp"]
    now = clock.now()
    if rsvp_form is None:
        initial: dict[str, Any] = {"status": my_rsvp.status if my_rsvp and my_rsvp.status != "waitlisted" else "going",
                                   "guests": my_rsvp.guests if my_rsvp else 0}
        if my_rsvp is not None:
            initial.update({f"q{k}": v for k, v in my_rsvp.answers.items()})
        rsvp_form = RsvpForm(initial=initial, questions=detail["questions"])
    answers_open = not (event.is_cancelled or occurrence.is_cancelled) and now < services.rsvp_deadline(event, occurrence)
    going = my_rsvp is not None and my_rsvp.status == Rsvp.Status.GOING
    context = {
        "event": event, "occurrence": occurrence, "rsvp_form": rsvp_form, **permissions, **detail,
        "answers_open": answers_open, "deadline": services.rsvp_deadline(event, occurrence),
        "show_link": bool(event.meeting_url) and (going or permissions["can_manage"]),
        "offer_waitlist": offer_waitlist,
        # Waitlisted and not-going people have no seat: no check-in button for them (the service refuses too).
        "can_self_checkin": my_rsvp is None or my_rsvp.status in (Rsvp.Status.GOING, Rsvp.Status.MAYBE),
        "feedback_open": event.feedback_enabled and services.feedback_open(occurrence, now)
        and not occurrence.is_cancelled,
        "feedback_eligible": services.feedback_eligible(occurrence, my_rsvp, any_checkins=occurrence.attended_count > 0),
        "self_checkin_open": not occurrence.is_cancelled
        and checkin_rules.self_checkin_open(occurrence.start_at, occurrence.end_at, now),
        "can_add_media": detail["past"] and rules.can_add_media(
            current, my_rsvp is not None and my_rsvp.attendance == Rsvp.Attendance.ATTENDED),
        "media_form": MediaForm(), "repeat_text": recurrence.describe(
            recurrence.Rule(event.frequency, event.interval, event.monthly_by, event.repeat_count, event.repeat_until),
            event.start_date),
        "place": occurrence.place_override or event.place,
    }
    return render(request, "events/detail.html", context, status=status)


# --- One date -------------------------------------------------------------------------------------


@login_required
@require_POST
def rsvp(request: AuthedRequest, event_id: str, occurrence_id: str) -> HttpResponse:
    occurrence, current = _occurrence_in(request, event_id, occurrence_id)
    form = RsvpForm(request.POST, questions=list(occurrence.event.questions.all()))
    if not form.is_valid():
        return _occurrence_page(request, occurrence, current, rsvp_form=form, status=400)
    try:
        answer = services.rsvp_set(actor=request.user, occurrence=occurrence, status=form.cleaned_data["status"],
                                   guests=form.cleaned_data["guests"] or 0, answers=form.answers(),
                                   join_waitlist=form.cleaned_data["join_waitlist"])
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _occurrence_page(request, occurrence, current, rsvp_form=form, status=error.status,
                                offer_waitlist=error.code == "party_does_not_fit")
    if answer.status == Rsvp.Status.WAITLISTED:
        occurrence.refresh_from_db()
        free = selectors.seat_summary(occurrence, 0).free
        if free:
            messages.info(request, _("You are on the waitlist: the free seats go first to the people waiting before "
                                     "you. You will be told when seats are yours."))
        else:
            messages.info(request, _("The event is full: you are on the waitlist. You will be told when a seat is yours."))
    elif answer.status == Rsvp.Status.GOING:
        messages.success(request, _("You are going. It is in your calendar feed; reminders come a day and an hour before."))
    else:
        messages.success(request, _("Thanks for letting the hosts know."))
    return _back(occurrence)


@login_required
@require_http_methods(["GET", "POST"])
def answer_remove(request: AuthedRequest, event_id: str, occurrence_id: str, rsvp_id: str) -> HttpResponse:
    """A host takes someone off a date: a confirmation page with an optional note, then the removal."""
    occurrence, current = _occurrence_in(request, event_id, occurrence_id)
    require_manager(current, _("Only the event's hosts can remove someone's answer."))
    answer = selectors.answer_of(occurrence, rsvp_id)
    if answer is None:
        raise NotFound(_("No such answer."))
    form = RemoveAnswerForm(request.POST or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.rsvp_remove(actor=request.user, occurrence=occurrence, rsvp_id=answer.pk,
                                 note=form.cleaned_data["note"])
        except ApplicationError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(request, _("%(name)s is no longer on the list and was told.")
                             % {"name": answer.profile.display_name})
            return redirect("events:checkin", event_id=occurrence.event_id, occurrence_id=occurrence.pk)
    context = {"event": occurrence.event, "occurrence": occurrence, "answer": answer, "form": form}
    return render(request, "events/answer_remove.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def occurrence_edit(request: AuthedRequest, event_id: str, occurrence_id: str) -> HttpResponse:
    occurrence, current = _occurrence_in(request, event_id, occurrence_id)
    require_manager(current)
    event = occurrence.event
    zone = recurrence.zone(event.timezone)
    initial = {"start": occurrence.start_at.astimezone(zone).replace(tzinfo=None),
               "end": occurrence.end_at.astimezone(zone).replace(tzinfo=None),
               "place": occurrence.place_override or event.place, "note": occurrence.note}
    form = OccurrenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.occurrence_update(actor=request.user, occurrence=occurrence, start=data["start"], end=data["end"],
                                       place=data["place"], note=data["note"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("This date was changed; everyone going, undecided or waiting was told."))
            return _back(occurrence)
    return render(request, "events/occurrence_form.html", {"form": form, "event": event, "occurrence": occurrence},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def occurrence_cancel(request: AuthedRequest, event_id: str, occurrence_id: str) -> HttpResponse:
    occurrence, _current = _occurrence_in(request, event_id, occurrence_id)
    services.occurrence_cancel(actor=request.user, occurrence=occurrence, reason=request.POST.get("reason", ""))
    messages.success(request, _("This date is cancelled; everyone going, undecided or waiting was told."))
    return _back(occurrence)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: AuthedRequest, event_id: str, occurrence_id: str) -> HttpResponse:
    """The host's check-in list, made for a phone: search, tick several, check them in at once."""
    occurrence, current = _occurrence_in(request, event_id, occurrence_id)
    require_manager(current, _("Only the event's hosts can check people in."))
    if request.method == "POST":
        mark = request.POST.get("mark", "attended")
        ids = request.POST.getlist("rsvp")
        try:
            rsvp_ids = [int(x) for x in ids]
        except ValueError:
            raise NotFound(_("No such answer.")) from None
        count = services.attendance_set(actor=request.user, occurrence=occurrence, rsvp_ids=rsvp_ids, mark=mark) \
            if rsvp_ids else 0
        labels = {"attended": _("checked in"), "no_show": _("marked as not come"), "": _("unmarked")}
        if not request.htmx:
            if rsvp_ids:
                messages.success(request, _("%(n)d %(what)s.") % {"n": count, "what": labels.get(mark, "")})
            else:
                messages.info(request, _("Tick the people first, then choose what to mark."))
            query = request.POST.get("q", "")
            url = reverse("events:checkin", args=[occurrence.event_id, occurrence.pk])
            return redirect(f"{url}?q={query}" if query else url)
        occurrence.refresh_from_db()
    q = request.GET.get("q", "")[:100] if request.method == "GET" else request.POST.get("q", "")[:100]
    page = selectors.checkin_page(occurrence, q=q, page_number=request.GET.get("page"))
    context = {"event": occurrence.event, "occurrence": occurrence, "page": page, "q": q,
               "started": occurrence.start_at <= clock.now(),
               "checkin_url": request.build_absolute_uri(
                   reverse("events:self_checkin", args=[occurrence.event_id, occurrence.pk]))}
    return render_page(request, "events/checkin.html", "events/partials/_checkin_list.html", context)


@login_required
@require_POST
def checkin_code_reset(request: AuthedRequest, event_id: str, occurrence_id: str) -> HttpResponse:
    occurrence, _current = _occurrence_in(request, event_id, occurrence_id)
    services.checkin_code_reset(actor=request.user, occurrence=occurrence)
    messages.success(request, _("A new check-in code; the old one no longer works."))
    return redirect("events:checkin", event_id=occurrence.event_id, occurrence_id=occurrence.pk)


@login_required
@require_http_methods(["GET", "POST"])
def self_checkin(request: AuthedRequest, event_id: str, occurrence_id: str) -> HttpResponse:
    occurrence, _current = _occurrence_in(request, event_id, occurrence_id)
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("code", "")[:32]})
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_self(actor=request.user, occurrence=occurrence, code=form.cleaned_data["code"])
        except ApplicationError as error:
            form.add_error("code", error.message)
            return render(request, "events/self_checkin.html",
                          {"form": form, "event": occurrence.event, "occurrence": occurrence}, status=error.status)
        messages.success(request, _("You are checked in. Enjoy!"))
        return _back(occurrence)
    return render(request, "events/self_checkin.html", {"form": form, "event": occurrence.event, "occurrence": occurrence},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_with_code(request: AuthedRequest) -> HttpResponse:
    """Type the code shown at the venue: it finds the event that is on now and checks you in."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = checkin_rules.normalize(form.cleaned_data["code"])
        now = clock.now()
        candidates = selectors.visible_occurrences(request.user).filter(
            checkin_code=code, start_at__lte=now + checkin_rules.OPENS_BEFORE,
            end_at__gte=now - checkin_rules.CLOSES_AFTER,
        ).select_related("event", "event__group")[:1]
        found = candidates[0] if candidates else None
        if found is None:
            form.add_error("code", _("No event on now has that code. Check the code shown at the event."))
            return render(request, "events/checkin_code.html", {"form": form}, status=404)
        try:
            services.checkin_self(actor=request.user, occurrence=found, code=code)
        except ApplicationError as error:
            form.add_error("code", error.message)
            return render(request, "events/checkin_code.html", {"form": form}, status=error.status)
        messages.success(request, _("You are checked in to %(title)s. Enjoy!") % {"title": found.event.title})
        return _back(found)
    return render(request, "events/checkin_code.html", {"form": form}, status=400 if form.errors else 200)


def _csv_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: such cells are quoted as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def attendees_csv(request: AuthedRequest, event_id: str, occurrence_id: str) -> StreamingHttpResponse:
    occurrence, current = _occurrence_in(request, event_id, occurrence_id)
    require_manager(current, _("Only the event's hosts and admins can export the attendee list."))
    writer = csv.writer(_Echo())
    rows = (writer.writerow([_csv_cell(cell) for cell in row]) for row in selectors.attendees_rows(occurrence))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendees-{occurrence.event_id}-{occurrence.start_date}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: AuthedRequest, event_id: str, occurrence_id: str) -> HttpResponse:
    occurrence, _current = _occurrence_in(request, event_id, occurrence_id)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_give(actor=request.user, occurrence=occurrence, rating=form.cleaned_data["rating"],
                                   comment=form.cleaned_data["comment"])
        except ApplicationError as error:
            form.add_error(None, error.message)
            return render(request, "events/feedback_form.html",
                          {"form": form, "event": occurrence.event, "occurrence": occurrence}, status=error.status)
        messages.success(request, _("Thank you! The hosts will see it together with everyone else's."))
        return _back(occurrence)
    return render(request, "events/feedback_form.html", {"form": form, "event": occurrence.event, "occurrence": occurrence},
                  status=400 if form.errors else 200)


@login_required
@require_GET
def feedback_results(request: AuthedRequest, event_id: str, occurrence_id: str) -> HttpResponse:
    occurrence, current = _occurrence_in(request, event_id, occurrence_id)
    require_manager(current, _("Only the event's hosts can read the feedback."))
    context = {"event": occurrence.event, "occurrence": occurrence, **selectors.feedback_summary(occurrence)}
    return render(request, "events/feedback_results.html", context)


@login_required
@require_POST
def media_add(request: AuthedRequest, event_id: str, occurrence_id: str) -> HttpResponse:
    occurrence, _current = _occurrence_in(request, event_id, occurrence_id)
    form = MediaForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ApplicationError(_("Give a title and either a link or a photo."), code="bad_media")
    services.media_add(actor=request.user, occurrence=occurrence, title=form.cleaned_data["title"],
                       url=form.cleaned_data["url"], upload=form.cleaned_data["photo"])
    messages.success(request, _("Added. Thank you for sharing!"))
    return redirect(reverse("events:occurrence", args=[occurrence.event_id, occurrence.pk]) + "#memories")


@login_required
@require_GET
def media_file(request: AuthedRequest, event_id: str, media_id: str) -> FileResponse:
    event, _current = access_event(request.user, event_id)
    media = access_media(request.user, event, media_id)
    if media.kind != Media.Kind.PHOTO or not media.image:
        raise NotFound(_("No such photo."))
    return _image(media.image)


@login_required
@require_POST
def media_delete(request: AuthedRequest, event_id: str, media_id: str) -> HttpResponse:
    event, _current = access_event(request.user, event_id)
    media = access_media(request.user, event, media_id)
    services.media_delete(actor=request.user, media=media)
    messages.success(request, _("Removed."))
    return redirect("events:detail", event_id=event.pk)


def _image(field: Any) -> FileResponse:
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def cover(request: AuthedRequest, event_id: str) -> FileResponse:
    """The cover picture, for whoever may see the event (never a public file)."""
    event, _current = access_event(request.user, event_id)
    if not event.cover:
        raise NotFound(_("This event has no cover picture."))
    return _image(event.cover)


# --- Calendars ------------------------------------------------------------------------------------


def _ics(body: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def event_ics(request: AuthedRequest, event_id: str) -> HttpResponse:
    event, _current = access_event(request.user, event_id)
    occurrences = selectors.occurrences_of(event)
    for o in occurrences:
        o.event = event
    going = calendars.going_ids_of(occurrences, actor_profile(request.user).pk)
    return _ics(calendars.document(occurrences, name=event.title, going_ids=going), f"event-{event.pk}.ics")


@login_required
@require_GET
def occurrence_ics(request: AuthedRequest, event_id: str, occurrence_id: str) -> HttpResponse:
    occurrence, _current = _occurrence_in(request, event_id, occurrence_id)
    going = calendars.going_ids_of([occurrence], actor_profile(request.user).pk)
    body = calendars.document([occurrence], name=occurrence.event.title, going_ids=going)
    return _ics(body, f"event-{occurrence.event_id}-{occurrence.start_date}.ics")


@login_required
@require_http_methods(["GET", "POST"])
def subscription(request: AuthedRequest) -> HttpResponse:
    """The member's calendar subscription: make a secret address (shown once), or revoke it."""
    address = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(request, _("The subscription address no longer works."))
            return redirect("events:subscription")
        _feed, raw = services.calendar_feed_create(actor=request.user)
        address = request.build_absolute_uri(reverse("events:feed_personal", args=[raw]))
    context = {"feed": selectors.calendar_feed_active(request.user), "address": address,
               "organization_hint": address.replace(".ics", "/organization.ics") if address else None}
    return render(request, "events/subscription.html", context)


@require_GET
def feed_personal(request: HttpRequest, token: str) -> HttpResponse:
    """A subscription (calendar apps cannot sign in): the secret address is the key; revoked or unknown is a 404."""
    profile = services.calendar_feed_authenticate(token)
    if profile is None:
        raise Http404
    occurrences = selectors.feed_personal(profile)
    going = {o.pk for o in occurrences}
    body = calendars.document(occurrences, name=_("My events"), going_ids=going, refresh_hours=1)
    return _ics(body, "courtyard.ics", attachment=False)


@require_GET
def feed_organization(request: HttpRequest, token: str) -> HttpResponse:
    """The organization's public events, for any member's subscription address (never open to the internet)."""
    if services.calendar_feed_authenticate(token) is None:
        raise Http404
    body = calendars.document(selectors.feed_organization(), name=_("Organization events"), refresh_hours=6)
    return _ics(body, "organization.ics", attachment=False)
