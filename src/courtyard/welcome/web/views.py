"""Newcomer journey pages: parse, access, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courtyard.accounts.http import AuthedRequest
from courtyard.core import clock
from courtyard.core.access import require_admin
from courtyard.core.errors import ApplicationError, PermissionDenied
from courtyard.people.domain.directory import is_newcomer
from courtyard.people.models import Profile
from courtyard.welcome import selectors, services
from courtyard.welcome.access import access_buddying, actor_profile, can_change_buddy, can_mark_met
from courtyard.welcome.models import Journey
from courtyard.welcome.web.forms import BuddyChangeForm, BuddyOfferForm, DismissForm


def _first_error(form: Any) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Check the form.")


@login_required
@require_GET
def hub(request: AuthedRequest) -> HttpResponse:
    """The member's own journey (when they are new), their offer to be a buddy, and the newcomers they look
    after as a buddy or manager."""
    me = actor_profile(request.user)
    today = clock.now().date()
    newcomer = is_newcomer(me.start_date, today, selectors.newcomer_days())
    journey = Journey.objects.filter(profile=me).first()
    offer = selectors.buddy_offer(me)
    context = {
        "me": me,
        "newcomer": newcomer,
        "journey": selectors.journey_overview(me, journey=journey, today=today) if newcomer else None,
        "offer": offer,
        "offer_form": BuddyOfferForm(initial={"offered": offer is not None,
                                              "capacity": offer.capacity if offer else None}),
        "looked_after": selectors.looked_after(request.user),
        "next_path": request.path,
    }
    return render(request, "welcome/hub.html", context)


@login_required
@require_POST
def dismiss(request: AuthedRequest) -> HttpResponse:
    """Hide the checklist card from the home page (or show it again): progress is kept."""
    form = DismissForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_first_error(form))
    show = bool(form.cleaned_data["show"])
    services.journey_dismiss(actor=request.user, dismissed=not show)
    if request.htmx and not show:
        return HttpResponse("")  # the card swaps itself out
    messages.success(request, _("Your checklist is back on your home page.") if show
                     else _("Checklist hidden. Your progress is kept; find it again under Welcome."))
    return redirect("welcome:hub" if show else "home")


@login_required
@require_POST
def buddy_offer(request: AuthedRequest) -> HttpResponse:
    form = BuddyOfferForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_first_error(form))
    offered = bool(form.cleaned_data["offered"])
    capacity = form.cleaned_data["capacity"] or 2
    services.buddy_offer_set(actor=request.user, offered=offered, capacity=capacity)
    messages.success(request, _("Thank you: newcomers may get you as their buddy.") if offered
                     else _("You are no longer offered as a buddy."))
    return redirect("welcome:hub")


@login_required
@require_POST
def buddy_request(request: AuthedRequest) -> HttpResponse:
    found = services.buddy_request(actor=request.user)
    if found is not None:
        messages.success(request, _("Meet your buddy, %(name)s.") % {"name": found.buddy.display_name})
        return redirect("welcome:buddying", buddying_id=found.pk)
    messages.info(request, _("Nobody is free right now; we will introduce you to a buddy as soon as one is."))
    return redirect("welcome:hub")


@login_required
@require_GET
def buddying(request: AuthedRequest, buddying_id: str) -> HttpResponse:
    pairing = access_buddying(request.user, buddying_id)
    may_change = can_change_buddy(request.user, pairing)
    context = {
        "b": pairing,
        "buddy_steps": selectors.buddy_items(selectors.buddy_checklist(pairing)),
        "may_change": may_change,
        "may_mark_met": can_mark_met(request.user, pairing),
        "candidates": selectors.buddy_candidates(pairing) if may_change else [],
        "is_buddy": pairing.buddy.user_id == request.user.pk,
    }
    return render(request, "welcome/buddying.html", context)


@login_required
@require_POST
def buddying_met(request: AuthedRequest, buddying_id: str) -> HttpResponse:
    pairing = access_buddying(request.user, buddying_id)
    if services.buddy_met(actor=request.user, buddying=pairing):
        messages.success(request, _("Noted: you met. Enjoy!"))
    else:
        messages.info(request, _("Already noted today."))
    return redirect("welcome:buddying", buddying_id=pairing.pk)


@login_required
@require_POST
def buddying_change(request: AuthedRequest, buddying_id: str) -> HttpResponse:
    pairing = access_buddying(request.user, buddying_id)
    if not can_change_buddy(request.user, pairing):
        raise PermissionDenied(_("Only the newcomer's manager or a community admin can change their buddy."))
    form = BuddyChangeForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_first_error(form))
    buddy = Profile.objects.filter(pk=form.cleaned_data["buddy"]).first()
    if buddy is None:
        raise ApplicationError(_("No such person in the directory."), code="unknown_person")
    changed = services.buddy_change(actor=request.user, buddying=pairing, buddy=buddy)
    messages.success(request, _("%(name)s is the new buddy; both are introduced.") % {"name": buddy.display_name})
    return redirect("welcome:buddying", buddying_id=changed.pk)


@login_required
@require_GET
def integration(request: AuthedRequest) -> HttpResponse:
    """Staff only: newcomer cohorts by start month."""
    require_admin(request.user)
    return render(request, "welcome/integration.html", selectors.integration_report(today=clock.now().date()))
