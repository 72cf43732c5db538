from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "courtyard.groups"
    label = "groups"
    verbose_name = "Groups and discussions"
