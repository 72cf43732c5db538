from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "courtyard.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from courtyard.people import search  # noqa: PLC0415 - it imports models, which load once apps are ready

        # The global search shows the people the directory finds.
        search.register()
