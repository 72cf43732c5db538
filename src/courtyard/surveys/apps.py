from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "courtyard.surveys"
    label = "surveys"
    verbose_name = "Feedback and surveys"

    def ready(self) -> None:
        # Notifications check, for each of ours, that its recipient may read what it is about.
        from courtyard.surveys.notify import register_notification_targets

        register_notification_targets()
