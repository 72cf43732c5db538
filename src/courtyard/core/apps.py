from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "courtyard.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from huey.contrib.djhuey import HUEY
        from huey.signals import SIGNAL_ERROR

        from courtyard.core.metrics import job_failure_record

        # Every process registers it; only a worker executing a job ever emits the signal.
        HUEY.signal(SIGNAL_ERROR)(job_failure_record)
