from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "courtyard.core"
    label = "core"
    verbose_name = "Core"
