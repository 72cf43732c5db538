"""Small helpers shared by the foundation's tests: images to upload, database snapshots."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection, connections
from PIL import Image


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (800, 600), colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


def image_upload(name: str = "me.png", fmt: str = "PNG", size: tuple[int, int] = (800, 600)) -> SimpleUploadedFile:
    content_types = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
    return SimpleUploadedFile(name, image_bytes(fmt, size), content_type=content_types.get(fmt, "application/octet-stream"))


OUR_APPS = (
    "accounts", "core", "people", "groups", "search", "notifications",
    "events", "pairing", "recognition", "surveys", "welcome", "insights", "mail",
)


def snapshot_models() -> list[Any]:
    """Every model of Courtyard's own apps, and their many-to-many tables."""
    from django.apps import apps

    models: list[Any] = []
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            models.append(model)
            models.extend(f.remote_field.through for f in model._meta.local_many_to_many)
    return models


def db_snapshot() -> dict[str, Any]:
    """Every row a request could change, plus the uploaded files, for before/after checks.

    One query counts the rows of every table; only the tables that hold rows are read (a test world fills a
    fraction of the hundred-odd tables, and the permission matrices take thousands of snapshots)."""
    from django.db import connection

    models = snapshot_models()
    quote = connection.ops.quote_name
    counting = " UNION ALL ".join(
        f"SELECT {i}, COUNT(*) FROM {quote(model._meta.db_table)}" for i, model in enumerate(models)  # noqa: S608
    )
    with connection.cursor() as cursor:
        cursor.execute(counting)
        filled = {i for i, count in cursor.fetchall() if count}
    rows: dict[str, Any] = {
        model._meta.label: list(model.objects.order_by("pk").values()) if i in filled else []
        for i, model in enumerate(models)
    }
    media = Path(settings.MEDIA_ROOT)
    rows["media"] = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    return rows


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in parallel threads, released together by a barrier; each thread has its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            close_old_connections()
            connection.ensure_connection()  # connect before the barrier, so the race is on the rows, not on sockets
            barrier.wait(timeout=60)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
