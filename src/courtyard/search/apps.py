from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "courtyard.search"
    label = "search"
    verbose_name = "Search"
