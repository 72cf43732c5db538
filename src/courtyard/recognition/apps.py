from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "courtyard.recognition"
    label = "recognition"
    verbose_name = "Recognition"

    def ready(self) -> None:
        # Notifications check, for each of ours, that its recipient may read what it is about. Imported here:
        # these modules read models, which exist only once the app registry is ready.
        from courtyard.people import profile_blocks  # noqa: PLC0415 - needs the app registry
        from courtyard.recognition.notify import register_notification_targets  # noqa: PLC0415 - needs the app registry
        from courtyard.recognition.selectors import profile_recognition  # noqa: PLC0415 - needs the app registry

        register_notification_targets()
        # The profile page's kudos and badges (people cannot import recognition: it is below it).
        profile_blocks.register("recognition", profile_recognition)
