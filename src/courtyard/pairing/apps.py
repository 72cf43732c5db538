from django.apps import AppConfig


class PairingConfig(AppConfig):
    name = "courtyard.pairing"
    label = "pairing"
    verbose_name = "Pairing and matching"

    def ready(self) -> None:
        # Notifications check, for each of ours, that its recipient may read what it is about. Imported here:
        # Django imports this module before any model may be imported, and calls ready() once all are loaded.
        from courtyard.pairing.notify import register_notification_targets  # noqa: PLC0415 - needs loaded models

        register_notification_targets()
