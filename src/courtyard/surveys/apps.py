from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "courtyard.surveys"
    label = "surveys"
    verbose_name = "Feedback and surveys"
