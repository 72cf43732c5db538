from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "courtyard.people"
    label = "people"
    verbose_name = "People"
