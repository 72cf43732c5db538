from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "courtyard.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # Models are loaded only once the app registry is ready, hence the imports here.
        from courtyard.core.uploads import upload_checker_register  # noqa: PLC0415 - app registry must be ready
        from courtyard.people import search  # noqa: PLC0415 - same
        from courtyard.people.access import PHOTO_FOLDER, can_view_uploaded_file  # noqa: PLC0415 - same

        # A profile photo follows its profile (core/uploads.py).
        upload_checker_register(PHOTO_FOLDER, can_view_uploaded_file)
        # The global search shows the people the directory finds.
        search.register()
