from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "courtyard.mail"
    label = "mail"
    verbose_name = "Email"

    def ready(self) -> None:
        # Registers the send job with mail/scheduling.py, in web processes as in workers.
        from courtyard.mail import tasks  # noqa: F401, PLC0415 - app registry must be ready (tasks read models)
