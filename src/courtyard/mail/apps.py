from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "courtyard.mail"
    label = "mail"
    verbose_name = "Email"
