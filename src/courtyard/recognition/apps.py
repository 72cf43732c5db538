from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "courtyard.recognition"
    label = "recognition"
    verbose_name = "Recognition"

    def ready(self) -> None:
        # Notifications check, for each of ours, that its recipient may read what it is about.
        from courtyard.recognition.notify import register_notification_targets

        register_notification_targets()
