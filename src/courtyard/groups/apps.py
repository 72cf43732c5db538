from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "courtyard.groups"
    label = "groups"
    verbose_name = "Groups and discussions"

    def ready(self) -> None:
        # Notifications check, for each of ours, that its recipient may read what it is about.
        from courtyard.groups.notify import register_notification_targets

        register_notification_targets()
