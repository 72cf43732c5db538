from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "courtyard.insights"
    label = "insights"
    verbose_name = "Insights"
