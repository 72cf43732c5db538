from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "courtyard.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        # Notifications check, for each of ours, that its recipient may read what it is about.
        from courtyard.events.notify import register_notification_targets

        register_notification_targets()
