from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The app that assembles the others: the home page, the seeders, and the commands that combine every app
    (``seed``, ``demo``, ``bench``, ``worker``). It sits just below ``api`` and ``config``, above every domain app
    (docs/architecture.md)."""

    name = "courtyard.site"
    label = "site"
    verbose_name = "Site"
