"""An admin invites someone: the person is added to the directory when new, and gets a link to set a password.

The link's page (accepting the invitation) is accounts' (accounts/web/views.py: ``invitation_accept``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from courtyard.accounts.http import AuthedRequest
from courtyard.core.access import require_admin
from courtyard.core.errors import ApplicationError
from courtyard.people import services


class InvitationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"))
    full_name = forms.CharField(
        label=gettext_lazy("Full name"), max_length=150, required=False,
        help_text=gettext_lazy("Needed when the person is not in the directory yet."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_new(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=request.user, email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"]
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Invitation sent to %s.") % form.cleaned_data["email"])
            return redirect("invitation_new")
    status = 400 if request.method == "POST" else 200
    return render(request, "people/invitation_new.html", {"form": form}, status=status)
