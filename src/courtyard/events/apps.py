from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "courtyard.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        # The imports stay inside ready() (ruff PLC0415 would move them up, wrongly): Django imports this module
        # while it is still loading the apps, before any model may be imported, and calls ready() once all are.
        # Notifications check, for each of ours, that its recipient may read what it is about.
        from courtyard.events.notify import register_notification_targets

        register_notification_targets()
        # A deactivated member's seats at dates to come go to the waitlist; their calendar address stops working.
        from courtyard.events.services import (
            calendar_feeds_revoke_of_deactivated,
            rsvps_release_of_deactivated,
        )
        from courtyard.people.services import deactivation_hook_register

        deactivation_hook_register("events.seats", rsvps_release_of_deactivated)
        deactivation_hook_register("events.calendar_feeds", calendar_feeds_revoke_of_deactivated)
