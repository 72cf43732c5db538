from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "courtyard.events"
    label = "events"
    verbose_name = "Events"
