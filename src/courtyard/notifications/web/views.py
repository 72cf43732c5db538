from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtyard.core.access import parse_id
from courtyard.core.errors import ApplicationError
from courtyard.core.htmx import render_page
from courtyard.core.http import AuthedRequest
from courtyard.notifications import selectors, services
from courtyard.notifications.domain.kinds import KINDS


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.notifications_page(request.user, cursor)
    except ValueError:
        raise ApplicationError(_("That page link is not valid."), code="bad_cursor") from None
    context = {"page": page, "more_only": bool(cursor)}
    return render_page(request, "notifications/list.html", "notifications/_items.html", context)


@login_required
@require_GET
def open_notification(request: AuthedRequest, notification_id: str) -> HttpResponse:
    notification = services.notification_open(actor=request.user, notification_id=parse_id(notification_id))
    return redirect(notification.url)


@login_required
@require_POST
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


class PreferencesForm(forms.Form):
    def __init__(self, *args: object, initial_choices: dict[str, bool], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind in KINDS:
            self.fields[kind.key] = forms.BooleanField(
                label=_(kind.label), help_text=_(kind.description), required=False, initial=initial_choices[kind.key]
            )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    current = {row["kind"].key: row["enabled"] for row in selectors.preferences_of(request.user)}
    form = PreferencesForm(request.POST or None, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(actor=request.user, choices={k: bool(v) for k, v in form.cleaned_data.items()})
        messages.success(request, _("Notification settings saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
