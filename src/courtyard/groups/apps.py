from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "courtyard.groups"
    label = "groups"
    verbose_name = "Groups and discussions"

    def ready(self) -> None:
        # These modules import models, which only load once the app registry is ready: imported here.
        from courtyard.groups import search  # noqa: PLC0415 - models load only once apps are ready
        from courtyard.groups.notify import register_notification_targets  # noqa: PLC0415 - same reason

        # Notifications check, for each of ours, that its recipient may read what it is about.
        register_notification_targets()
        # Groups, discussions, replies and library items are found by the global search.
        search.register()
