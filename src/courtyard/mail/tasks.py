"""Email jobs. Each is idempotent: a delivery is claimed before it is sent (services.delivery_send)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_task

from courtyard.core import clock
from courtyard.core.jobs import job_enqueue, periodic_job
from courtyard.mail import scheduling, services


@db_task()
def delivery_send_job(delivery_id: int) -> str:
    """Send one member's email when it is due (retries are scheduled by the service, with backoff)."""
    return services.delivery_send(delivery_id=int(delivery_id))


@periodic_job(crontab(minute="*/5"))
def deliveries_overdue_enqueue() -> int:
    """Every five minutes: queue again deliveries whose job was lost (a restarted queue)."""
    return services.deliveries_due_enqueue(now=clock.now())


def _queue_send(delivery_id: int, delay: int) -> None:
    job_enqueue(delivery_send_job, delivery_id, delay=delay)


scheduling.register(_queue_send)
