"""Prometheus metrics: HTTP requests and latency, the job queue's depth, job failures, the schedule's pulse.

HTTP metrics are prometheus_client counters and histograms in each server process. Under gunicorn several
processes serve requests: with PROMETHEUS_MULTIPROC_DIR set (``courtyard serve`` sets it), every process
writes its values to files in that folder and a scrape adds them up, whichever process answers it.

Job metrics are about the whole installation rather than one process: queue depth is read from the queue
(Redis or SQLite) at scrape time, failed job attempts are counted in the queue's own storage by the worker
that saw them (a Huey signal), and the last finished run of every periodic job comes from its claims. Any
app server therefore reports the same job figures, wherever the workers run.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from courtyard.core.models import ScheduledRun

REQUESTS = Counter(
    "courtyard_http_requests", "HTTP requests answered, by method, URL pattern and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "courtyard_http_request_duration_seconds", "Time to answer an HTTP request, by URL pattern.", ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
FAILURES_KEY = "metrics.job_failures.%s"


class MetricsMiddleware:
    """Counts every request by its URL pattern (not its path: ids would make unbounded label values)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else "unmatched"
        method = request.method if request.method in {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} else "other"
        REQUESTS.labels(method=method, route=route, status=str(response.status_code)).inc()
        LATENCY.labels(route=route).observe(time.perf_counter() - started)
        return response


def job_failure_record(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
    """Huey's error signal, in the worker: one more failed attempt of this job, for every app server to read."""
    HUEY.storage.incr(FAILURES_KEY % _job_name(type(task)))


def _job_name(task_class: type) -> str:
    return f"{task_class.__module__}.{task_class.__name__}"


class JobsCollector(Collector):
    """Read at each scrape from the queue and the database, so the figures are the installation's."""

    def collect(self) -> Iterator[Any]:
        queued = GaugeMetricFamily("courtyard_jobs_queued", "Jobs waiting in the queue for a worker.")
        queued.add_metric([], HUEY.pending_count())
        yield queued
        delayed = GaugeMetricFamily(
            "courtyard_jobs_scheduled", "Jobs waiting for a later time (delayed jobs and retries)."
        )
        delayed.add_metric([], HUEY.scheduled_count())
        yield delayed

        # The web process has not imported every tasks module; the worker has (the same autodiscovery).
        autodiscover_modules("tasks")
        failures = CounterMetricFamily(
            "courtyard_job_failures", "Failed job attempts (each retry counts), by job.", labels=["job"]
        )
        for name in sorted(_job_name(task_class) for task_class in HUEY._registry._registry.values()):
            failures.add_metric([name], HUEY.storage.incr(FAILURES_KEY % name, 0))
        yield failures

        last = GaugeMetricFamily(
            "courtyard_periodic_job_last_success_timestamp_seconds",
            "When each periodic job last finished without error (Unix time).", labels=["job"],
        )
        finished = (
            ScheduledRun.objects.filter(error="", finished_at__isnull=False)
            .values("job").annotate(last=Max("finished_at")).order_by("job")
        )
        for row in finished:
            last.add_metric([row["job"]], row["last"].timestamp())
        yield last


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_DefaultRegistry())
    registry.register(JobsCollector())
    return registry


class _DefaultRegistry(Collector):
    """This one process's metrics (no multiprocess folder: the development server, tests)."""

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


def metrics_allowed(request: HttpRequest) -> bool | None:
    """None when metrics are off (neither a token nor networks configured); else whether this request may read them."""
    token: str = settings.METRICS_TOKEN
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = settings.METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        return None
    if token:
        header = request.headers.get("Authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in network for network in networks)
    return False


def metrics_render() -> tuple[bytes, str]:
    return generate_latest(_registry()), CONTENT_TYPE_LATEST
