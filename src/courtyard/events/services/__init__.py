"""Writes for events: each validates first, runs in a transaction, records the audit log and the activity facts.

The writes are split by what they touch; callers import them from here (``from courtyard.events import
services``), whichever module holds them:

- ``events``: what a host sets on an event (``EventData``, ``validate``), the dates of a series, and every
  change to an event or to one of its dates (create, update, cancel, cover, one date's time or place);
- ``seats``: RSVPs, the waitlist and check-in, the writes that take or free a seat under the occurrence's
  row lock;
- ``jobs``: the periodic work the Huey tasks run (closing attendance, reminders, extending series);
- ``feedback``: the feedback pulse after an event, and the photos and links of dates that took place;
- ``feeds``: the calendar subscription addresses;
- ``_common``: the private helpers the others share.
"""

from __future__ import annotations

from courtyard.events.services.events import (
    COVER_SIZE,
    HORIZON_DAYS,
    MAX_CAPACITY,
    MAX_DURATION,
    MAX_HOSTS,
    MAX_QUESTIONS,
    NOTIFY_FIELDS,
    PLAIN_FIELDS,
    SCHEDULE_FIELDS,
    YEARS,
    EventData,
    event_cancel,
    event_cover_set,
    event_create,
    event_data_from,
    event_update,
    occurrence_cancel,
    occurrence_update,
    validate,
)
from courtyard.events.services.feedback import (
    FEEDBACK_DAYS,
    PHOTO_SIZE,
    feedback_eligible,
    feedback_give,
    feedback_open,
    media_add,
    media_delete,
)
from courtyard.events.services.feeds import (
    FEED_PREFIX,
    calendar_feed_authenticate,
    calendar_feed_create,
    calendar_feed_revoke,
    calendar_feeds_revoke_of_deactivated,
    site_domain,
)
from courtyard.events.services.jobs import (
    FINALIZE_AFTER,
    occurrence_finalize,
    occurrences_finalize,
    reminders_send,
    series_extend,
)
from courtyard.events.services.seats import (
    CHECKIN_LIMITS,
    COUNTERS,
    HELD,
    attendance_set,
    checkin_code_reset,
    checkin_self,
    rsvp_cancel,
    rsvp_deadline,
    rsvp_remove,
    rsvp_set,
    rsvps_release_of_deactivated,
)

__all__ = [
    "CHECKIN_LIMITS",
    "COUNTERS",
    "COVER_SIZE",
    "FEEDBACK_DAYS",
    "FEED_PREFIX",
    "FINALIZE_AFTER",
    "HELD",
    "HORIZON_DAYS",
    "MAX_CAPACITY",
    "MAX_DURATION",
    "MAX_HOSTS",
    "MAX_QUESTIONS",
    "NOTIFY_FIELDS",
    "PHOTO_SIZE",
    "PLAIN_FIELDS",
    "SCHEDULE_FIELDS",
    "YEARS",
    "EventData",
    "attendance_set",
    "calendar_feed_authenticate",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "calendar_feeds_revoke_of_deactivated",
    "checkin_code_reset",
    "checkin_self",
    "event_cancel",
    "event_cover_set",
    "event_create",
    "event_data_from",
    "event_update",
    "feedback_eligible",
    "feedback_give",
    "feedback_open",
    "media_add",
    "media_delete",
    "occurrence_cancel",
    "occurrence_finalize",
    "occurrence_update",
    "occurrences_finalize",
    "reminders_send",
    "rsvp_cancel",
    "rsvp_deadline",
    "rsvp_remove",
    "rsvp_set",
    "rsvps_release_of_deactivated",
    "series_extend",
    "site_domain",
    "validate",
]
