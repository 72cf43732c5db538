"""Small helpers shared by the foundation's tests: images to upload, database snapshots."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courtyard.accounts.models import ApiToken, Invitation, User, UserSession
from courtyard.core.models import AuditEntry, Interaction, Participation
from courtyard.people.models import Department, Location, Profile, Tag, Team


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (800, 600), colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


def image_upload(name: str = "me.png", fmt: str = "PNG", size: tuple[int, int] = (800, 600)) -> SimpleUploadedFile:
    content_types = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
    return SimpleUploadedFile(name, image_bytes(fmt, size), content_type=content_types.get(fmt, "application/octet-stream"))


SNAPSHOT_MODELS = [
    User, Profile, Profile.interests.through, Profile.skills.through, Tag, Department, Team, Location,
    ApiToken, UserSession, Invitation, AuditEntry, Participation, Interaction,
]


def db_snapshot() -> dict[str, Any]:
    """Every row a request of the foundation could change, plus the uploaded files, for before/after checks."""
    rows: dict[str, Any] = {
        model._meta.label: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS
    }
    media = Path(settings.MEDIA_ROOT)
    rows["media"] = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    return rows
