from __future__ import annotations

import mimetypes

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils._os import safe_join
from django.views.decorators.http import require_GET

from courtyard.core.http import AuthedRequest
from courtyard.core.pagination import cursor_checked
from courtyard.people.access import can_view_uploaded_file
from courtyard.people.selectors import home_overview


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """The home page: the feed from the member's groups and the people they follow, questions waiting for an
    answer, newcomers and people with shared interests. With ?cursor=, the next page of the feed (htmx)."""
    from courtyard.core.htmx import render_page
    from courtyard.groups.selectors import home_feed, unanswered_questions
    from courtyard.welcome.selectors import welcome_card

    cursor = request.GET.get("cursor") or None
    with cursor_checked():
        feed = home_feed(request.user, cursor=cursor)
    if cursor:
        return render_page(request, "core/home.html", "core/_feed_items.html", {"feed": feed, "more_only": True})
    overview = home_overview(request.user)
    context = {**overview, "feed": feed, "unanswered": unanswered_questions(request.user),
               "welcome_card": welcome_card(request.user, profile=overview["profile"])}
    return render(request, "core/home.html", context)


def _may_view(request: AuthedRequest, name: str) -> bool:
    """Each kind of upload follows what it belongs to: a photo its profile, a cover its group."""
    from courtyard.groups.access import can_view_cover

    if name.startswith("groups/"):
        return can_view_cover(request.user, name)
    return can_view_uploaded_file(request.user, name)


@login_required
@require_GET
def media(request: AuthedRequest, name: str) -> FileResponse:
    """Uploaded files (photos) are for signed-in members only, never public."""
    try:
        full_path = safe_join(str(settings.MEDIA_ROOT), name)
    except Exception:  # noqa: BLE001 - a path outside MEDIA_ROOT is simply not found
        raise Http404 from None
    if not default_storage.exists(name) or not _may_view(request, name):
        raise Http404
    content_type = mimetypes.guess_type(full_path)[0] or "application/octet-stream"
    response = FileResponse(open(full_path, "rb"), content_type=content_type)  # noqa: SIM115 - FileResponse closes it
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
