from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "courtyard.recognition"
    label = "recognition"
    verbose_name = "Recognition"
