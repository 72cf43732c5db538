from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "courtyard.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        # These modules import models, which only load once the app registry is ready: imported here.
        from courtyard.events import search  # noqa: PLC0415 - models load only once apps are ready
        from courtyard.events.notify import register_notification_targets  # noqa: PLC0415 - same reason
        from courtyard.events.services import (  # noqa: PLC0415 - same reason
            calendar_feeds_revoke_of_deactivated,
            rsvps_release_of_deactivated,
        )
        from courtyard.people.services import deactivation_hook_register  # noqa: PLC0415 - same reason

        # Notifications check, for each of ours, that its recipient may read what it is about.
        register_notification_targets()
        # A deactivated member's seats at dates to come go to the waitlist; their calendar address stops working.
        deactivation_hook_register("events.seats", rsvps_release_of_deactivated)
        deactivation_hook_register("events.calendar_feeds", calendar_feeds_revoke_of_deactivated)
        # Organization-wide events are found by the global search.
        search.register()
