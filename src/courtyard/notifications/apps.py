from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "courtyard.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from courtyard.notifications import emailing

        emailing.register()
