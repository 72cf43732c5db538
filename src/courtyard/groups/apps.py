from django.apps import AppConfig

COVER_FOLDER = "groups/"  # Group.cover's upload_to


class GroupsConfig(AppConfig):
    name = "courtyard.groups"
    label = "groups"
    verbose_name = "Groups and discussions"

    def ready(self) -> None:
        # Imported here, not at the top: these modules read models, which exist only once the app registry is
        # ready.
        from courtyard.core.uploads import upload_checker_register  # noqa: PLC0415 - app registry must be ready
        from courtyard.groups import search  # noqa: PLC0415 - same
        from courtyard.groups.access import can_view_cover  # noqa: PLC0415 - same
        from courtyard.groups.notify import register_notification_targets  # noqa: PLC0415 - same

        # Notifications check, for each of ours, that its recipient may read what it is about.
        register_notification_targets()
        # A group's cover picture follows its group (core/uploads.py).
        upload_checker_register(COVER_FOLDER, can_view_cover)
        # Groups, discussions, replies and library items are found by the global search.
        search.register()
