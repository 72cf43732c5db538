"""Uploaded files, served to signed-in members only. The home page is in ``site`` (it combines apps)."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils._os import safe_join
from django.views.decorators.http import require_GET

from courtyard.core.http import HtmxRequest
from courtyard.core.uploads import may_view_upload


# Core keeps this view, rather than site, because serving a file safely (the path, the headers) is the same for
# every app; what differs is who may read it, which each app answers for its own folders (core/uploads.py).
@login_required
@require_GET
def media(request: HtmxRequest, name: str) -> FileResponse:
    """Uploaded files (photos) are for signed-in members only, never public."""
    try:
        full_path = safe_join(str(settings.MEDIA_ROOT), name)
    except Exception:  # noqa: BLE001 - a path outside MEDIA_ROOT is simply not found
        raise Http404 from None
    if not default_storage.exists(name) or not may_view_upload(request.user, name):
        raise Http404
    content_type = mimetypes.guess_type(full_path)[0] or "application/octet-stream"
    response = FileResponse(open(full_path, "rb"), content_type=content_type)  # noqa: SIM115 - FileResponse closes it
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
