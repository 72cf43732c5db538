"""How a service asks for a delivery's send job without importing tasks.py.

In an app's rooms, tasks sit above services (Huey jobs call services), so services never import tasks. The
send job still has to be queued when a service creates a delivery, waits out quiet hours or schedules a
retry: tasks.py registers here, when it is imported, the function that queues it, and MailConfig.ready()
imports tasks.py in every process (web servers too), so the function is always there."""

from __future__ import annotations

from collections.abc import Callable

# (delivery id, delay in seconds) -> None
Scheduler = Callable[[int, int], None]

_scheduler: Scheduler | None = None


def register(scheduler: Scheduler) -> None:
    global _scheduler
    _scheduler = scheduler


def schedule(delivery_id: int, delay: int) -> None:
    if _scheduler is None:
        raise RuntimeError("courtyard.mail.tasks is not loaded: no job can be queued (is the mail app installed?)")
    _scheduler(delivery_id, max(0, int(delay)))
