from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "courtyard.api"
    label = "api"
    verbose_name = "API"
