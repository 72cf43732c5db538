from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtyard.accounts.http import AuthedRequest
from courtyard.mail import access, selectors, services, sources
from courtyard.mail.models import Delivery
from courtyard.mail.tokens import unsubscribe_read

# The HTML of a kept email, shown in a frame of the outbox page: its inline styles apply, nothing else runs
# (no scripts, forms or plugins: a sandbox with a unique origin), and only our own pages may frame it.
EMAIL_PREVIEW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"


# RFC 8058 one-click unsubscribe: a mail client POSTs "List-Unsubscribe=One-Click" to the address in the
# List-Unsubscribe header, with no session and no CSRF token, so this view (and only this one) is exempt from
# the CSRF check. What protects it is the signed token in the address (mail/tokens.py): only someone holding an
# email we sent can make the request, and it can do nothing but stop that email. GET never unsubscribes (link
# scanners follow links): it shows a confirmation button.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    wanted = unsubscribe_read(token)
    if wanted is None:
        return render(request, "mail/unsubscribe.html", {"invalid": True}, status=400)
    known = sources.all_kinds()
    labels = sorted(known[kind] for kind in wanted.kinds if kind in known)
    context = {"everything": wanted.everything, "labels": labels, "token": token}
    if request.method == "POST":
        services.unsubscribe(request=wanted)
        return render(request, "mail/unsubscribe.html", {**context, "done": True})
    return render(request, "mail/unsubscribe.html", context)


@login_required
@require_POST
def resume(request: AuthedRequest) -> HttpResponse:
    """"I fixed my address, try again" / "send me email again", from the notification settings page."""
    services.mailbox_resume(actor=request.user)
    messages.success(request, _("Email is on again."))
    return redirect("notifications:preferences")


@login_required
@require_GET
def deliveries(request: AuthedRequest) -> HttpResponse:
    access.access_delivery_log(request.user)
    known = sources.all_kinds()
    statuses = [status for status in Delivery.Status if status != Delivery.Status.SENDING]
    totals = selectors.status_totals()
    rows = [
        {"label": known.get(row["kind"], row["kind"]), "counts": [row["counts"].get(s, 0) for s in statuses],
         "total": row["total"]}
        for row in selectors.delivery_counts()
    ]
    context = {
        "rows": rows, "failures": selectors.recent_failures(), "statuses": [s.label for s in statuses],
        "totals": [(s.label, totals.get(s, 0)) for s in statuses], "outbox": access.outbox_enabled(),
    }
    return render(request, "mail/deliveries.html", context)


def _outbox_door(request: HttpRequest) -> HttpResponse | None:
    """404 outside demo and debug mode, whoever asks; then the sign-in page for visitors."""
    access.require_outbox()
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    door = _outbox_door(request)
    if door is not None:
        return door
    access.access_outbox(request.user)  # type: ignore[arg-type]
    return render(request, "mail/outbox.html", {"emails": selectors.outbox_messages()})


@require_GET
def outbox_message(request: HttpRequest, message_id: str) -> HttpResponse:
    door = _outbox_door(request)
    if door is not None:
        return door
    email = access.access_outbox_message(request.user, message_id)  # type: ignore[arg-type]
    return render(request, "mail/outbox_message.html", {"email": email})


@xframe_options_sameorigin
@require_GET
def outbox_message_html(request: HttpRequest, message_id: str) -> HttpResponse:
    door = _outbox_door(request)
    if door is not None:
        return door
    email = access.access_outbox_message(request.user, message_id)  # type: ignore[arg-type]
    response = HttpResponse(email.html or "", content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = EMAIL_PREVIEW_CSP
    return response
