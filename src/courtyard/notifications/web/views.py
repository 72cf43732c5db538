from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtyard.accounts.http import AuthedRequest
from courtyard.core.htmx import render_page
from courtyard.core.pagination import cursor_checked
from courtyard.notifications import selectors, services
from courtyard.notifications.access import access_notification


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    cursor = request.GET.get("cursor") or None
    with cursor_checked():
        page = selectors.notifications_page(request.user, cursor)
    context = {"page": page, "more_only": bool(cursor)}
    return render_page(request, "notifications/list.html", "notifications/_items.html", context)


@login_required
@require_GET
def open_notification(request: AuthedRequest, notification_id: str) -> HttpResponse:
    """Follow a notification to what it is about, marking it read on the way (a link works without JavaScript)."""
    notification = access_notification(request.user, notification_id)
    services.notification_mark_read(actor=request.user, notification=notification)
    if selectors.notification_shown(request.user, notification).withheld:
        # Lost access since: neither the words nor the address (a private group's address names it).
        messages.info(request, notification.text)
        return redirect("notifications:list")
    # Only local paths are ever stored; checked again here so that an old or hand-edited row cannot redirect away.
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect("notifications:list")
    return redirect(notification.url)


@login_required
@require_POST
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(
        request,
        ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
        % {"count": count},
    )
    return redirect("notifications:list")


class PreferencesForm(forms.Form):
    """One checkbox per kind of notification, ticked when the member gets it."""

    def __init__(self, *args: object, choices: list[dict[str, Any]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for row in choices:
            self.fields[str(row["kind"])] = forms.BooleanField(
                label=row["label"], help_text=row["description"], required=False, initial=row["enabled"]
            )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    choices = selectors.preferences_of(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(actor=request.user, choices={k: bool(v) for k, v in form.cleaned_data.items()})
        messages.success(request, _("Notification settings saved."))
        return redirect("notifications:preferences")
    areas: dict[str, list[Any]] = {}
    for row in choices:
        areas.setdefault(str(row["area"]), []).append(form[str(row["kind"])])
    return render(request, "notifications/preferences.html", {"form": form, "areas": areas.items()})
