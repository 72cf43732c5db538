"""After an event: the attendees' feedback pulse, and the photos and links of dates that took place."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from courtyard.accounts.models import User
from courtyard.core import clock
from courtyard.core.audit import audit_record
from courtyard.core.domain.anonymity import coarse_date
from courtyard.core.errors import Conflict, PermissionDenied
from courtyard.core.images import image_to_jpeg
from courtyard.events import ledger
from courtyard.events.access import check, standing
from courtyard.events.domain import feedback as feedback_rules
from courtyard.events.domain import rules
from courtyard.events.models import Event, FeedbackAnswer, FeedbackGiven, Media, Occurrence, Rsvp
from courtyard.events.services._common import _fail, _text
from courtyard.people.access import actor_profile

FEEDBACK_DAYS = feedback_rules.FEEDBACK_DAYS
PHOTO_SIZE = (1600, 1200)


# --- Feedback ---------------------------------------------------------------------------------


def feedback_eligible(occurrence: Occurrence, rsvp: Rsvp | None, *, any_checkins: bool) -> bool:
    """Attendees answer the pulse; when the host checked nobody in, those who were going do."""
    if rsvp is None:
        return False
    if rsvp.attendance == Rsvp.Attendance.ATTENDED:
        return True
    return not any_checkins and rsvp.status == Rsvp.Status.GOING


def feedback_open(occurrence: Occurrence, now: dt.datetime) -> bool:
    return occurrence.end_at <= now <= occurrence.end_at + dt.timedelta(days=FEEDBACK_DAYS)


@transaction.atomic
def feedback_give(*, actor: User, occurrence: Occurrence, rating: int, comment: str = "") -> None:
    """Answer the two questions once. Anonymous feedback keeps who answered and what they answered apart."""
    profile = actor_profile(actor)
    event = occurrence.event
    check(rules.can_see(standing(actor, event)), _("You cannot give feedback on this event."))
    now = clock.now()
    if not event.feedback_enabled or occurrence.is_cancelled or event.is_cancelled:
        raise Conflict(_("This event does not ask for feedback."), code="no_feedback")
    if not feedback_open(occurrence, now):
        raise Conflict(_("Feedback opens when the event is over and closes a month later."), code="feedback_closed")
    rsvp = Rsvp.objects.filter(occurrence=occurrence, profile=profile).first()
    any_checkins = Rsvp.objects.filter(occurrence=occurrence, attendance=Rsvp.Attendance.ATTENDED).exists()
    if not feedback_eligible(occurrence, rsvp, any_checkins=any_checkins):
        raise PermissionDenied(_("Only the people who came can give feedback."))
    if not feedback_rules.valid_rating(rating):
        raise _fail(_("Rate it from 1 to 5."), "bad_rating")
    comment = _text(comment, field=_("The comment"), max_length=feedback_rules.COMMENT_MAX)
    if FeedbackGiven.objects.filter(occurrence=occurrence, profile=profile).exists():
        raise Conflict(_("You already gave feedback on this event. Thank you!"), code="already_given")
    day = coarse_date(now)
    FeedbackGiven.objects.create(occurrence=occurrence, profile=profile, given_on=day)
    anonymous = event.feedback_anonymous
    FeedbackAnswer.objects.create(occurrence=occurrence, rating=rating, comment=comment, answered_on=day,
                                  anonymous=anonymous, profile=None if anonymous else profile)
    ledger.feedback_given(event=event, occurrence=occurrence, member_id=profile.pk,
                          department_id=profile.department_id, at=now, anonymous=anonymous)
    # The audit log names who gave feedback, never what they said (the answer row has no key to log).
    audit_record(action="events.feedback.given", actor=actor, target=occurrence)


# --- Photos and links of past events ---------------------------------------------------------


def _may_add_media(actor: User, event: Event, occurrence: Occurrence) -> None:
    attended = Rsvp.objects.filter(occurrence=occurrence, profile__user=actor,
                                   attendance=Rsvp.Attendance.ATTENDED).exists()
    check(rules.can_add_media(standing(actor, event), attended), _("Only the hosts and the people who came can add these."))
    if occurrence.start_at > clock.now():
        raise Conflict(_("Photos and links are for events that took place."), code="not_yet")


@transaction.atomic
def media_add(
    *, actor: User, occurrence: Occurrence, title: str, url: str = "", upload: UploadedFile | None = None,
) -> Media:
    event = occurrence.event
    _may_add_media(actor, event, occurrence)
    title = _text(title, field=_("The title"), max_length=200, required=True)
    if bool(url) == bool(upload):
        raise _fail(_("Give either a link or a photo."), "link_or_photo")
    media = Media(event=event, occurrence=occurrence, title=title, added_by=actor_profile(actor), created_at=clock.now())
    if url:
        url = url.strip()
        if len(url) > 1000 or not url.lower().startswith(("https://", "http://")):
            raise _fail(_("Links must start with https:// or http://."), "bad_url")
        media.kind, media.url = Media.Kind.LINK, url
        media.save()
    elif upload is not None:
        media.kind = Media.Kind.PHOTO
        media.image.save(f"{secrets.token_hex(12)}.jpg", ContentFile(image_to_jpeg(upload, PHOTO_SIZE)), save=True)
    audit_record(action="events.media.added", actor=actor, target=media, data={"kind": media.kind})
    return media


@transaction.atomic
def media_delete(*, actor: User, media: Media) -> None:
    own = media.added_by_id is not None and media.added_by_id == actor_profile(actor).pk
    check(own or rules.can_manage(standing(actor, media.event)), _("You cannot remove this."))
    media.deleted_at = clock.now()
    media.save(update_fields=["deleted_at"])
    audit_record(action="events.media.deleted", actor=actor, target=media)
