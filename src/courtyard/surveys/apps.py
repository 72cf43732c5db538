from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "courtyard.surveys"
    label = "surveys"
    verbose_name = "Feedback and surveys"

    def ready(self) -> None:
        # Notifications check, for each of ours, that its recipient may read what it is about. Imported here:
        # notify reads our models, which exist only once the app registry is ready.
        from courtyard.surveys.notify import register_notification_targets  # noqa: PLC0415 - needs the app registry

        register_notification_targets()
