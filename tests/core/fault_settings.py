"""Settings for the app server the PostgreSQL fault test starts: production settings, with the schema made
straight from the models (running every migration on a fresh cluster takes minutes; the test needs tables)."""

from courtyard.config.settings import *  # noqa: F403
from courtyard.config.settings import INSTALLED_APPS

MIGRATION_MODULES = {app.rsplit(".", 1)[-1]: None for app in INSTALLED_APPS}
# No collectstatic for a throw-away server: static files straight from the sources, as in development.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
