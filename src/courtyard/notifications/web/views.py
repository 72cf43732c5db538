from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtyard.accounts.http import AuthedRequest
from courtyard.core.htmx import render_page
from courtyard.core.pagination import cursor_checked
from courtyard.mail import selectors as mail_selectors
from courtyard.mail import services as mail_services
from courtyard.mail.selectors import MailState
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


QUIET_FIELDS = ("quiet_start", "quiet_end")


class PreferencesForm(forms.Form):
    """One channel per kind of notification (a kind left out of a POST keeps its channel), and quiet hours."""

    quiet_start = forms.TimeField(
        label=gettext_lazy("Quiet hours from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_end = forms.TimeField(
        label=gettext_lazy("Quiet hours until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args: object, choices: list[dict[str, Any]], state: MailState, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["quiet_start"].initial = state.quiet_start
        self.fields["quiet_end"].initial = state.quiet_end
        channels = selectors.channel_choices()
        for row in choices:
            self.fields[str(row["kind"])] = forms.ChoiceField(
                label=row["label"], help_text=row["description"], required=False, initial=row["channel"],
                choices=channels,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("quiet_start") is None) != (cleaned.get("quiet_end") is None):
            raise forms.ValidationError(_("Give both the start and the end of your quiet hours, or neither."))
        if cleaned.get("quiet_start") is not None and cleaned.get("quiet_start") == cleaned.get("quiet_end"):
            raise forms.ValidationError(_("Quiet hours must start and end at different times."))
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    choices = selectors.preferences_of(request.user)
    state = mail_selectors.mail_state(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, choices=choices, state=state)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            services.preferences_set(
                actor=request.user, choices={k: v for k, v in data.items() if k not in QUIET_FIELDS and v}
            )
            mail_services.quiet_hours_set(actor=request.user, start=data["quiet_start"], end=data["quiet_end"])
        messages.success(request, _("Notification settings saved."))
        return redirect("notifications:preferences")
    areas: dict[str, list[Any]] = {}
    for row in choices:
        areas.setdefault(str(row["area"]), []).append(form[str(row["kind"])])
    context = {"form": form, "areas": areas.items(), "mail": state}
    return render(request, "notifications/preferences.html", context)
