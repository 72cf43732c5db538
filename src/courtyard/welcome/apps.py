from django.apps import AppConfig


class WelcomeConfig(AppConfig):
    name = "courtyard.welcome"
    label = "welcome"
    verbose_name = "Newcomer journey"

    def ready(self) -> None:
        # Notifications check, for each of ours, that its recipient may read what it is about.
        from courtyard.welcome.notify import register_notification_targets  # noqa: PLC0415 - needs loaded models

        register_notification_targets()
