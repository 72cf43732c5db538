from django.apps import AppConfig
from huey.contrib.djhuey import HUEY
from huey.signals import SIGNAL_ERROR


class CoreConfig(AppConfig):
    name = "courtyard.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # metrics reads core's models: importable only once the app registry is ready.
        from courtyard.core.metrics import job_failure_record  # noqa: PLC0415 - needs the app registry

        # Every process registers it; only a worker executing a job ever emits the signal.
        HUEY.signal(SIGNAL_ERROR)(job_failure_record)
