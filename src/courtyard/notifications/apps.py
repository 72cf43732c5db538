from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "courtyard.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Late: emailing reads models, which exist only once the app registry is ready.
        from courtyard.notifications import emailing  # noqa: PLC0415 - app registry must be ready

        emailing.register()
