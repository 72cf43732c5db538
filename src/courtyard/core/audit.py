from __future__ import annotations

from typing import Any

from django.db import models

from courtyard.core import clock
from courtyard.core.models import AuditEntry


def audit_record(
    *, action: str, actor: Any = None, target: models.Model | None = None, data: dict[str, Any] | None = None
) -> AuditEntry:
    """Write one audit entry. Called by services inside their transaction, never by views."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        data=data or {},
        created_at=clock.now(),
    )
