"""RSVPs, the waitlist and check-in: every write that takes or frees a seat.

Seats are the one contended resource: every write that takes or frees a seat locks the occurrence row
(``select_for_update``) first and changes its counters while holding it, so concurrent answers on
PostgreSQL queue up on that lock and the waitlist is served in the order people arrived. The database
refuses a count above capacity anyway (a check constraint), should a future change forget the lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.audit import audit_record
from courtyard.core.errors import Conflict, NotFound
from courtyard.core.ratelimit import ratelimit_check
from courtyard.core.validation import clean_text
from courtyard.events import ledger, notify
from courtyard.events.access import check, require_manager, standing
from courtyard.events.domain import checkin as checkin_rules
from courtyard.events.domain import rules
from courtyard.events.domain import waitlist as seats
from courtyard.events.models import Event, EventHost, Occurrence, Rsvp
from courtyard.events.services._common import _fail, _new_code
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile

CHECKIN_LIMITS = ((10, 60), (40, 3600))


# --- RSVPs ------------------------------------------------------------------------------------


def rsvp_deadline(event: Event, occurrence: Occurrence) -> dt.datetime:
    """When answers close: the start, or the host's deadline before it."""
    return occurrence.start_at - dt.timedelta(hours=event.rsvp_closes_hours or 0)


def _open_for_answers(event: Event, occurrence: Occurrence, now: dt.datetime) -> None:
    if event.is_cancelled or occurrence.is_cancelled:
        raise Conflict(_("This event is cancelled: it takes no answers."), code="cancelled")
    if occurrence.start_at <= now:
        raise Conflict(_("This event has started; answers are closed."), code="started")
    if now >= rsvp_deadline(event, occurrence):
        raise Conflict(_("The RSVP deadline has passed."), code="deadline_passed")


def _clean_answers(event: Event, answers: dict[str, Any] | None, *, going: bool) -> dict[str, str]:
    questions = list(event.questions.all())
    given = {str(k): v for k, v in (answers or {}).items()}
    known = {str(q.pk) for q in questions}
    if set(given) - known:
        raise _fail(_("Answer only the event's own questions."), "unknown_question")
    cleaned: dict[str, str] = {}
    for question in questions:
        value = given.get(str(question.pk), "")
        if not isinstance(value, str):
            raise _fail(_("Answers are text."), "bad_answer")
        value = " ".join(value.split())
        if len(value) > 500:
            raise _fail(_("Keep each answer under 500 characters."), "too_long")
        if question.required and going and not value:
            raise _fail(_("Please answer: %(question)s") % {"question": question.text}, "answer_required")
        if value:
            cleaned[str(question.pk)] = value
    return cleaned


def _clean_guests(event: Event, guests: object) -> int:
    if isinstance(guests, bool) or not isinstance(guests, int):
        raise _fail(_("The number of guests must be a whole number."), "bad_guests")
    if guests < 0:
        raise _fail(_("The number of guests cannot be negative."), "negative_guests")
    if guests and not event.allow_guests:
        raise _fail(_("This event does not take guests."), "no_guests")
    if guests > event.max_guests and event.allow_guests:
        raise _fail(_("Bring at most %(n)d guests.") % {"n": event.max_guests}, "too_many_guests")
    return guests


COUNTERS: dict[str, str] = {Rsvp.Status.GOING: "going_count", Rsvp.Status.MAYBE: "maybe_count", Rsvp.Status.WAITLISTED: "waitlist_count"}


def _recount(occurrence: Occurrence, old: str | None, new: str) -> None:
    if old in COUNTERS:
        setattr(occurrence, COUNTERS[old], getattr(occurrence, COUNTERS[old]) - 1)
    if new in COUNTERS:
        setattr(occurrence, COUNTERS[new], getattr(occurrence, COUNTERS[new]) + 1)


def _record_going(event: Event, occurrence: Occurrence, rsvps: Sequence[Rsvp], now: dt.datetime) -> None:
    first = [r for r in rsvps if r.first_going_at is None]
    if not first:
        return
    Rsvp.objects.filter(pk__in=[r.pk for r in first]).update(first_going_at=now)
    departments = dict(Profile.objects.filter(pk__in=[r.profile_id for r in first]).values_list("pk", "department_id"))
    for rsvp in first:
        rsvp.first_going_at = now
        ledger.rsvped(event=event, occurrence=occurrence, member_id=rsvp.profile_id,
                      department_id=departments.get(rsvp.profile_id), at=now)


def _promote(occurrence: Occurrence, event: Event) -> list[Rsvp]:
    """Give freed seats to the waitlist in arrival order (the occurrence row is locked by the caller)."""
    promoted: list[Rsvp] = []
    now = clock.now()
    while occurrence.waitlist_count > 0:
        waiting = list(Rsvp.objects.filter(occurrence=occurrence, status=Rsvp.Status.WAITLISTED)
                       .order_by("waitlist_position")[:50])
        chosen = set(seats.promotions(occurrence.capacity, occurrence.seats_taken, [
            seats.Waiting(rsvp_id=r.pk, party=r.party, position=r.waitlist_position or 0) for r in waiting
        ]))
        batch = [r for r in waiting if r.pk in chosen]
        if not batch:
            break
        Rsvp.objects.filter(pk__in=chosen).update(status=Rsvp.Status.GOING, waitlist_position=None, updated_at=now)
        occurrence.seats_taken += sum(r.party for r in batch)
        occurrence.going_count += len(batch)
        occurrence.waitlist_count -= len(batch)
        occurrence.save(update_fields=["seats_taken", "going_count", "waitlist_count"])
        promoted.extend(batch)
        if len(batch) < len(waiting):
            break
    if promoted:
        _record_going(event, occurrence, promoted, now)
        people = list(Profile.objects.filter(pk__in=[r.profile_id for r in promoted]).select_related("user"))
        notify.promoted(occurrence=occurrence, event=event, people=people, actor=None)
        for rsvp in promoted:
            rsvp.status, rsvp.waitlist_position = Rsvp.Status.GOING, None
            audit_record(action="events.rsvp.promoted", target=rsvp, data={"occurrence": occurrence.pk})
    return promoted


def party_does_not_fit(free: int, party: int, *, at_the_door: bool = False) -> Conflict:
    """The one message for a party larger than the seats left (never "full" while seats are free)."""
    left = ngettext("Only %(n)d seat is left", "Only %(n)d seats are left", free) % {"n": free}
    needs = ngettext("your party needs %(m)d.", "your party needs %(m)d.", party) % {"m": party}
    advice = (_("Please ask a host to let you in.") if at_the_door
              else _("Come with fewer guests, or join the waitlist for the whole party."))
    return Conflict(f"{left}; {needs} {advice}", code="party_does_not_fit")


def _apply_answer(
    *, event: Event, occurrence: Occurrence, profile: Profile, status: str, guests: int, answers: dict[str, str],
    now: dt.datetime, join_waitlist: bool = True,
) -> tuple[Rsvp, str | None]:
    """Put one member's answer into effect; the occurrence row must be locked by the caller. Returns the answer
    and the status it had before (None: no answer yet). Without ``join_waitlist``, a party that finds some seats
    free but too few is refused with how many are left, rather than put on the waitlist unasked."""
    rsvp = Rsvp.objects.filter(occurrence=occurrence, profile=profile).first()
    old_status = rsvp.status if rsvp is not None else None
    old_party = rsvp.party if rsvp is not None else 0
    party = 1 + guests
    placement = seats.place(
        wanted=status, capacity=occurrence.capacity, taken=occurrence.seats_taken, old_status=old_status,
        old_party=old_party, party=party,
        someone_waiting=occurrence.waitlist_count - (1 if old_status == Rsvp.Status.WAITLISTED else 0) > 0,
    )
    if placement.reason == "guests_do_not_fit":
        free = seats.free_seats(occurrence.capacity, occurrence.seats_taken - old_party) or 0
        raise Conflict(
            _("Only %(n)d seats are left for you and your guests; you keep your seat with %(g)d guests.")
            % {"n": free, "g": old_party - 1},
            code="guests_do_not_fit",
        )
    if placement.reason == "party_too_big" and not join_waitlist:
        raise party_does_not_fit(seats.free_seats(occurrence.capacity, placement.seats_taken) or 0, party)
    if rsvp is None:
        rsvp = Rsvp(occurrence=occurrence, profile=profile, created_at=now)
    if placement.status == Rsvp.Status.WAITLISTED and old_status != Rsvp.Status.WAITLISTED:
        occurrence.waitlist_seq += 1
        rsvp.waitlist_position = occurrence.waitlist_seq
    elif placement.status != Rsvp.Status.WAITLISTED:
        rsvp.waitlist_position = None
    rsvp.status = placement.status
    rsvp.guests = guests if status != Rsvp.Status.NOT_GOING else 0
    rsvp.answers = answers
    rsvp.updated_at = now
    _recount(occurrence, old_status, rsvp.status)
    occurrence.seats_taken = placement.seats_taken
    occurrence.save(update_fields=["seats_taken", "going_count", "maybe_count", "waitlist_count", "waitlist_seq"])
    rsvp.save()
    if rsvp.status == Rsvp.Status.GOING:
        _record_going(event, occurrence, [rsvp], now)
    return rsvp, old_status


@transaction.atomic
def rsvp_set(
    *, actor: User, occurrence: Occurrence, status: str, guests: int = 0, answers: dict[str, Any] | None = None,
    join_waitlist: bool = False,
) -> Rsvp:
    """Answer going, maybe or not going (with guests and the host's questions). Going when a seat is free and
    nobody is waiting; otherwise on the waitlist, in arrival order. Freed seats go to the waitlist at once.

    A party for which some seats are free, but too few, is refused with the number left (code
    ``party_does_not_fit``) unless ``join_waitlist`` says the member chose the waitlist. Hosts who asked for
    it hear about answers (``event_rsvp_received``, off by default)."""
    profile = actor_profile(actor)
    event = occurrence.event
    check(rules.can_rsvp(standing(actor, event)), _("You cannot answer this event."))
    if status not in seats.ANSWERS:
        raise _fail(_("Answer going, maybe or not going."), "bad_status")
    guests = _clean_guests(event, guests) if status != Rsvp.Status.NOT_GOING else 0
    cleaned = _clean_answers(event, answers, going=status == Rsvp.Status.GOING)
    # The lock: concurrent answers for this date wait here, one after the other, in arrival order.
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    occurrence.event = event
    now = clock.now()
    _open_for_answers(event, occurrence, now)
    rsvp, previous = _apply_answer(event=event, occurrence=occurrence, profile=profile, status=status, guests=guests,
                                   answers=cleaned, now=now, join_waitlist=join_waitlist)
    audit_record(action="events.rsvp.set", actor=actor, target=rsvp,
                 data={"occurrence": occurrence.pk, "status": rsvp.status, "guests": rsvp.guests})
    _promote(occurrence, event)
    if rsvp.status != previous:
        hosts = list(Profile.objects.filter(pk__in=EventHost.objects.filter(event=event).values("profile_id"),
                                            is_active=True).exclude(pk=profile.pk).select_related("user"))
        notify.rsvp_received(event=event, occurrence=occurrence, hosts=hosts, person=profile, status=rsvp.status,
                             actor=actor)
    return rsvp


HELD = (Rsvp.Status.GOING, Rsvp.Status.MAYBE, Rsvp.Status.WAITLISTED)


@transaction.atomic
def rsvps_release_of_deactivated(profile_ids: Sequence[int]) -> int:
    """Deactivated members give up their answers to dates not yet over, as if they had said not going: their
    seats go to the waitlist in arrival order (the next people are told, as always) and they leave the attendee
    lists. Answers already marked at the door, and every past date, stay as they were: that is history.
    Occurrence rows are locked one after the other in id order, like any answer, so concurrent answers wait.
    Returns how many answers were released."""
    ids = list(profile_ids)
    if not ids:
        return 0
    now = clock.now()
    held = Rsvp.objects.filter(
        profile_id__in=ids, status__in=HELD, attendance="", occurrence__end_at__gt=now,
        occurrence__cancelled_at__isnull=True,
    )
    released = 0
    for occurrence_id in sorted(set(held.values_list("occurrence_id", flat=True))):
        occurrence = Occurrence.objects.select_for_update().select_related("event").get(pk=occurrence_id)
        event = occurrence.event
        for rsvp in list(held.filter(occurrence_id=occurrence_id).select_related("profile")):
            released_rsvp, _was = _apply_answer(event=event, occurrence=occurrence, profile=rsvp.profile,
                                                status=Rsvp.Status.NOT_GOING, guests=0, answers=rsvp.answers, now=now)
            audit_record(action="events.rsvp.released_on_deactivation", target=released_rsvp,
                         data={"occurrence": occurrence.pk, "was": rsvp.status})
            released += 1
        _promote(occurrence, event)
    return released


def rsvp_cancel(*, actor: User, occurrence: Occurrence) -> Rsvp:
    """Cancel one's answer: not going (the seat, or the place in line, goes to the next person)."""
    return rsvp_set(actor=actor, occurrence=occurrence, status=Rsvp.Status.NOT_GOING)


NOTE_LENGTH = 500


@transaction.atomic
def rsvp_remove(*, actor: User, occurrence: Occurrence, rsvp_id: int, note: str = "") -> Rsvp:
    """A host takes someone off a date (a double booking, someone who left the team): their answer becomes not
    going, their seats (or place in line) go to the waitlist in arrival order, they are told why (the optional
    note) and the removal is audited. Answers already marked at the door, and dates that have started, are
    history and stay as they are."""
    event = occurrence.event
    require_manager(standing(actor, event), _("Only the event's hosts can remove someone's answer."))
    if not isinstance(note, str):
        raise _fail(_("The note is text."), "bad_note")
    note = " ".join(clean_text(note, field=_("The note")).split())
    if len(note) > NOTE_LENGTH:
        raise _fail(_("Keep the note under %(n)d characters.") % {"n": NOTE_LENGTH}, "too_long")
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    occurrence.event = event
    rsvp = Rsvp.objects.filter(occurrence=occurrence, pk=rsvp_id).select_related("profile", "profile__user").first()
    if rsvp is None:
        raise NotFound(_("No such answer."))
    now = clock.now()
    if occurrence.start_at <= now:
        raise Conflict(_("This date has started: its answers are history now."), code="started")
    if rsvp.status == Rsvp.Status.NOT_GOING:
        raise Conflict(_("%(name)s is already not going.") % {"name": rsvp.profile.display_name}, code="not_going")
    if rsvp.attendance:
        raise Conflict(_("%(name)s is already checked in.") % {"name": rsvp.profile.display_name}, code="checked_in")
    was, guests = rsvp.status, rsvp.guests
    removed, _previous = _apply_answer(event=event, occurrence=occurrence, profile=rsvp.profile,
                                       status=Rsvp.Status.NOT_GOING, guests=0, answers=rsvp.answers, now=now)
    audit_record(action="events.rsvp.removed", actor=actor, target=removed,
                 data={"occurrence": occurrence.pk, "was": was, "guests": guests, "note": note})
    notify.rsvp_removed(event=event, occurrence=occurrence, person=rsvp.profile, actor=actor, note=note)
    _promote(occurrence, event)
    return removed


# --- Attendance -------------------------------------------------------------------------------


def _refresh_pairs(event: Event, occurrence: Occurrence) -> None:
    """After attendance changes on a finalized date, its co-attendance pairs follow the new truth."""
    if occurrence.finalized_at is None:
        return
    attendees = list(Rsvp.objects.filter(occurrence=occurrence, attendance=Rsvp.Attendance.ATTENDED)
                     .values_list("profile_id", "profile__department_id"))
    ledger.co_attendance(event=event, occurrence=occurrence, attendees=attendees)


@transaction.atomic
def attendance_set(*, actor: User, occurrence: Occurrence, rsvp_ids: Sequence[int], mark: str) -> int:
    """Hosts check people in ("attended"), mark no-shows ("no_show") or clear a mark (""), one or many at once.
    Returns how many answers changed."""
    event = occurrence.event
    require_manager(standing(actor, event), _("Only the event's hosts can check people in."))
    if mark not in Rsvp.Attendance.values:
        raise _fail(_("Mark people as attended or no-show."), "bad_mark")
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    now = clock.now()
    if occurrence.is_cancelled:
        raise Conflict(_("This date is cancelled."), code="cancelled")
    if not checkin_rules.host_checkin_open(occurrence.start_at, now):
        raise Conflict(_("Check-in opens two hours before the start."), code="too_early")
    if len(rsvp_ids) > 5000:
        raise _fail(_("Check in at most 5,000 people at once."), "too_many")
    host = actor_profile(actor)
    wanted = set(rsvp_ids)
    found = list(Rsvp.objects.filter(occurrence=occurrence, pk__in=wanted).select_related("profile"))
    if len(found) != len(wanted):
        raise NotFound(_("No such answer."))
    rows = [r for r in found if r.attendance != mark]
    if not rows:
        return 0
    gained = sum(1 for r in rows if mark == Rsvp.Attendance.ATTENDED)
    lost = sum(1 for r in rows if r.attendance == Rsvp.Attendance.ATTENDED)
    Rsvp.objects.filter(pk__in=[r.pk for r in rows]).update(
        attendance=mark, checked_in_at=now if mark == Rsvp.Attendance.ATTENDED else None,
        checked_in_by=host if mark else None, updated_at=now,
    )
    occurrence.attended_count += gained - lost
    occurrence.save(update_fields=["attended_count"])
    ledger.attendance_bulk(event=event, occurrence=occurrence, mark=mark,
                           people=[(r.profile_id, r.profile.department_id) for r in rows])
    _refresh_pairs(event, occurrence)
    audit_record(action="events.attendance.set", actor=actor, target=occurrence,
                 data={"mark": mark, "rsvps": sorted(r.pk for r in rows)})
    return len(rows)


@transaction.atomic
def checkin_self(*, actor: User, occurrence: Occurrence, code: str) -> Rsvp:
    """An attendee checks themselves in with the code shown at the venue. Someone who had not answered (or
    said maybe, or not going) takes free seats for their whole party, guests included; when too few seats are
    free they ask a host.

    Someone on the waitlist is refused (code ``waitlisted``) rather than checked in: the waitlist is served in
    arrival order, and a free seat with people still waiting means the first party in line does not fit yet,
    so letting a later party in at the door would overtake it. A host can let them in (the check-in list)."""
    profile = actor_profile(actor)
    event = occurrence.event
    check(rules.can_rsvp(standing(actor, event)), _("You cannot check in to this event."))
    ratelimit_check(scope="event_checkin", key=actor.pk, limits=CHECKIN_LIMITS)
    occurrence = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
    occurrence.event = event
    now = clock.now()
    if occurrence.is_cancelled or event.is_cancelled:
        raise Conflict(_("This event is cancelled."), code="cancelled")
    if not checkin_rules.self_checkin_open(occurrence.start_at, occurrence.end_at, now):
        raise Conflict(_("Check-in opens an hour before the start and closes two hours after the end."),
                       code="checkin_closed")
    if not checkin_rules.matches(code, occurrence.checkin_code):
        raise _fail(_("That code is not right. Check the code shown at the event."), "bad_code")
    rsvp = Rsvp.objects.filter(occurrence=occurrence, profile=profile).first()
    if rsvp is not None and rsvp.status == Rsvp.Status.WAITLISTED:
        raise Conflict(_("You are on the waitlist and have no seat yet. Please ask a host to let you in."),
                       code="waitlisted")
    if rsvp is None or rsvp.status != Rsvp.Status.GOING:
        # A walk-in: seats for the whole party if they are free (guests are never dropped to make it fit).
        party = rsvp.party if rsvp is not None else 1
        free = seats.free_seats(occurrence.capacity, occurrence.seats_taken)
        if free is not None and free < 1:
            raise Conflict(_("The event is full. Please ask a host to let you in."), code="full")
        if free is not None and free < party:
            raise party_does_not_fit(free, party, at_the_door=True)
        old = rsvp.status if rsvp is not None else None
        if rsvp is None:
            rsvp = Rsvp(occurrence=occurrence, profile=profile, created_at=now, answers={})
        rsvp.status, rsvp.waitlist_position, rsvp.updated_at = Rsvp.Status.GOING, None, now
        _recount(occurrence, old, Rsvp.Status.GOING)
        occurrence.seats_taken += party
        rsvp.save()
        _record_going(event, occurrence, [rsvp], now)
    if rsvp.attendance == Rsvp.Attendance.ATTENDED:
        occurrence.save(update_fields=["seats_taken", "going_count", "maybe_count", "waitlist_count"])
        return rsvp
    rsvp.attendance, rsvp.checked_in_at, rsvp.checked_in_by = Rsvp.Attendance.ATTENDED, now, profile
    rsvp.save()
    occurrence.attended_count += 1
    occurrence.save(update_fields=["seats_taken", "going_count", "maybe_count", "waitlist_count", "attended_count"])
    ledger.attendance(event=event, occurrence=occurrence, member_id=profile.pk, department_id=profile.department_id,
                      mark=Rsvp.Attendance.ATTENDED)
    _refresh_pairs(event, occurrence)
    audit_record(action="events.attendance.self", actor=actor, target=rsvp, data={"occurrence": occurrence.pk})
    return rsvp


@transaction.atomic
def checkin_code_reset(*, actor: User, occurrence: Occurrence) -> Occurrence:
    """A new self check-in code (the old one was shared too widely)."""
    require_manager(standing(actor, occurrence.event), _("Only the event's hosts can do that."))
    occurrence.checkin_code = _new_code()
    occurrence.save(update_fields=["checkin_code"])
    audit_record(action="events.occurrence.code_reset", actor=actor, target=occurrence)
    return occurrence
