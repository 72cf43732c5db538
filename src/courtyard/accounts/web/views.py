"""Account security (sessions and tokens) and accepting an invitation (people/web/invitation_views.py sends them)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from courtyard.accounts import selectors, services
from courtyard.accounts.http import AuthedRequest
from courtyard.core.access import parse_id
from courtyard.core.errors import ApplicationError


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=100)
    expires_in_days = forms.IntegerField(
        label=gettext_lazy("Expires after (days)"), min_value=1, max_value=3650, required=False,
        help_text=gettext_lazy("Leave empty for a token that does not expire."),
    )


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Choose a password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 12 characters; not a common password."),
    )
    password_again = forms.CharField(
        label=gettext_lazy("The same password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, str]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            raise forms.ValidationError(_("The two passwords differ."))
        return data


def _security_context(request: AuthedRequest, **extra: object) -> dict[str, object]:
    return {
        **selectors.security_overview(request.user, current_session_key=request.session.session_key),
        "token_form": TokenForm(),
        **extra,
    }


@login_required
def security(request: AuthedRequest) -> HttpResponse:
    return render(request, "accounts/security.html", _security_context(request))


@login_required
@require_POST
def session_revoke(request: AuthedRequest, session_id: str) -> HttpResponse:
    services.session_revoke(actor=request.user, session_id=parse_id(session_id))
    messages.success(request, _("That session has been signed out."))
    return redirect("account_security")


@login_required
@require_POST
def sessions_revoke_others(request: AuthedRequest) -> HttpResponse:
    count = services.sessions_revoke_others(actor=request.user, keep_session_key=request.session.session_key)
    messages.success(request, _("Signed out of %d other sessions.") % count)
    return redirect("account_security")


@login_required
@require_POST
def token_create(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/security.html", {**_security_context(request), "token_form": form}, status=400)
    token, raw = services.api_token_create(
        actor=request.user, name=form.cleaned_data["name"], expires_in_days=form.cleaned_data["expires_in_days"]
    )
    return render(request, "accounts/security.html", _security_context(request, new_token=raw, new_token_name=token.name))


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: str) -> HttpResponse:
    services.api_token_revoke(actor=request.user, token_id=parse_id(token_id))
    messages.success(request, _("The token has been revoked; it no longer works."))
    return redirect("account_security")


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_lookup(token)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(raw_token=token, password=form.cleaned_data["password"])
        except ApplicationError as error:
            form.add_error("password", error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Take a minute to complete your profile."))
            return redirect("people:profile_edit_self")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}, status=status)
