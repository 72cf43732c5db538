from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "courtyard.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        # The imports stay inside ready(): Django imports this module while it is still loading the apps, before
        # any model may be imported, and calls ready() once all are.
        from courtyard.events import search  # noqa: PLC0415 - app registry must be ready
        from courtyard.events.notify import register_notification_targets  # noqa: PLC0415 - same
        from courtyard.events.services import (  # noqa: PLC0415 - same
            calendar_feeds_revoke_of_deactivated,
            rsvps_release_of_deactivated,
        )
        from courtyard.people.services import deactivation_hook_register  # noqa: PLC0415 - same

        # Notifications check, for each of ours, that its recipient may read what it is about.
        register_notification_targets()
        # A deactivated member's seats at dates to come go to the waitlist; their calendar address stops working.
        deactivation_hook_register("events.seats", rsvps_release_of_deactivated)
        deactivation_hook_register("events.calendar_feeds", calendar_feeds_revoke_of_deactivated)
        # Organization-wide events are found by the global search.
        search.register()
