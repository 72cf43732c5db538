from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "courtyard.accounts"
    label = "accounts"
    verbose_name = "Accounts"
