from django.apps import AppConfig


class PairingConfig(AppConfig):
    name = "courtyard.pairing"
    label = "pairing"
    verbose_name = "Pairing and matching"
