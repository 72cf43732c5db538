"""Directory and profile pages: parse, access, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtyard.accounts.http import AuthedRequest
from courtyard.core import clock
from courtyard.core.access import is_admin
from courtyard.core.errors import ApplicationError
from courtyard.core.htmx import render_page
from courtyard.people import profile_blocks, selectors, services
from courtyard.people.access import (
    access_own_profile,
    access_profile,
    access_profile_for_edit,
    can_edit_profile,
    can_see_all_fields,
)
from courtyard.people.domain.directory import is_newcomer, tenure_years, visible_optional_fields
from courtyard.people.models import Profile
from courtyard.people.web.forms import FIELD_LABELS, DirectoryFilterForm, PhotoForm, ProfileForm


@login_required
@require_GET
def directory(request: AuthedRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET)
    options = selectors.directory_filter_options()
    context: dict[str, Any] = {"form": form, "options": options}
    if not form.is_valid():
        context["page"] = None
        return render_page(request, "people/directory.html", "people/partials/_results.html", context, status=400)
    query = form.to_query(include_inactive=False, sees_hidden=is_admin(request.user))
    context["page"] = selectors.directory_page(query, form.cleaned_data.get("page"))
    context["query"] = query
    context["teams"] = selectors.teams_for_department(query.department)
    return render_page(request, "people/directory.html", "people/partials/_results.html", context)


@login_required
@require_GET
def tag_autocomplete(request: AuthedRequest) -> HttpResponse:
    """Suggestions for the interests and skills inputs (a <datalist> for htmx, JSON otherwise)."""
    kind = request.GET.get("kind", "")
    # The text comes as ``q``, or under the name of the input that asks: "interests" on the profile form,
    # "interest" on the directory's filter.
    text = (request.GET.get("q") or request.GET.get(f"{kind}s") or request.GET.get(kind) or "")[-200:]
    # The input holds a comma-separated list: suggest for the word being typed.
    current = text.rsplit(",", 1)[-1].strip()
    names = selectors.tag_suggestions(kind, current)
    if request.htmx:
        prefix = text.rsplit(",", 1)[0] + ", " if "," in text else ""
        return render(request, "people/partials/_tag_options.html", {"names": names, "prefix": prefix})
    return JsonResponse({"suggestions": names})


@login_required
@require_GET
def team_options(request: AuthedRequest) -> HttpResponse:
    try:
        department_id = int(request.GET.get("department") or 0)
    except ValueError:
        department_id = 0
    return render(request, "people/partials/_team_options.html", {"teams": selectors.teams_for_department(department_id)})


@login_required
@require_GET
def profile_page(request: AuthedRequest, profile_id: str) -> HttpResponse:
    profile = access_profile(request.user, profile_id)
    visible = visible_optional_fields(
        Profile.OPTIONAL_FIELDS, profile.hidden_fields, viewer_sees_all=can_see_all_fields(request.user, profile)
    )
    today = clock.now().date()
    context = {
        "profile": profile,
        "visible": visible,
        "can_edit": can_edit_profile(request.user, profile),
        "viewer_is_admin": is_admin(request.user),
        "is_self": profile.user_id == request.user.pk,
        # The badge tells when someone started, so it follows the start date's visibility.
        "newcomer": "start_date" in visible and is_newcomer(profile.start_date, today, settings.NEWCOMER_DAYS),
        "tenure": tenure_years(profile.start_date, today),
        # The person's wall-clock time as a naive time: the template's ``time`` filter converts an aware
        # datetime to the *viewer's* zone (MemberTimezoneMiddleware activates it), which showed the viewer's clock.
        "local_time": clock.now().astimezone(clock.safe_zone(profile.timezone)).time(),
        **selectors.profile_detail(profile),
        **selectors.follow_summary(profile, viewer_user_id=request.user.pk),
        # Blocks of apps above people (recognition's kudos and badges: 4 queries), each with its own
        # selector and template include; they register themselves (people/profile_blocks.py).
        **profile_blocks.blocks_for(profile, request.user),
    }
    return render(request, "people/profile.html", context)


def _profile_changes(form: ProfileForm, profile: Profile) -> dict[str, Any]:
    data = form.cleaned_data
    changes: dict[str, Any] = {
        "preferred_name": data["preferred_name"].strip(),
        "pronouns": data["pronouns"].strip(),
        "location": data["location"],
        "timezone": data["timezone"],
        "languages": data["languages"].strip(),
        "interests": data["interests"],
        "skills": data["skills"],
        "ask_me_about": data["ask_me_about"].strip(),
        "bio": data["bio"],
        "hidden_fields": [f for f in Profile.OPTIONAL_FIELDS if f not in set(data["visible_fields"])],
    }
    if form.admin:
        department = data["department"]
        manager = None
        if data["manager_email"]:
            manager = Profile.objects.filter(user__email__iexact=data["manager_email"]).first()
            if manager is None:
                raise ApplicationError(_("Nobody in the directory has the address %s.") % data["manager_email"])
        changes.update(
            full_name=data["full_name"].strip(),
            title=data["title"].strip(),
            department=department,
            team=data["team"],  # a name: profile_save finds or creates the team in its transaction
            manager=manager,
            start_date=data["start_date"],
        )
    return changes


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthedRequest, profile_id: str | None = None) -> HttpResponse:
    profile = access_own_profile(request.user) if profile_id is None else access_profile_for_edit(request.user, profile_id)
    admin = is_admin(request.user)
    detail = selectors.profile_detail(profile)
    photo_lost = False
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, admin=admin)
        if form.is_valid():
            try:
                services.profile_save(actor=request.user, profile=profile, data=_profile_changes(form, profile),
                                      photo=form.cleaned_data["photo"])
            except ApplicationError as error:
                # Nothing was saved; the page shows the profile as stored, the form what the member typed.
                profile.refresh_from_db()
                form.add_error("photo" if error.code.startswith("photo") else None, error.message)
            else:
                if profile.user_id == request.user.pk:
                    request.session["cy_tz"] = profile.timezone
                saved = _("Profile and photo saved.") if form.cleaned_data["photo"] else _("Profile saved.")
                messages.success(request, saved)
                return redirect("people:profile", profile_id=profile.pk)
        # Browsers never refill a file input: say so when a usable photo was chosen but other fields failed.
        photo_lost = "photo" in request.FILES and not form.has_error("photo")
        status = 400
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(profile, detail["interests"], detail["skills"]), admin=admin)
        status = 200
    common_timezones, other_timezones = selectors.timezone_choices()
    context = {
        "profile": profile,
        "form": form,
        "photo_lost": photo_lost,
        "field_labels": FIELD_LABELS,
        "common_timezones": common_timezones,
        "other_timezones": other_timezones,
    }
    return render(request, "people/profile_edit.html", context, status=status)


@login_required
@require_POST
def profile_photo(request: AuthedRequest, profile_id: str) -> HttpResponse:
    """The photo alone: the edit page's "Remove photo" button posts here (a new photo is saved with the profile
    form, ``profile_edit``); an upload posted here directly still works."""
    profile = access_profile_for_edit(request.user, profile_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid() and form.cleaned_data["remove"]:
        services.profile_photo_remove(actor=request.user, profile=profile)
        messages.success(request, _("Photo removed."))
    elif form.is_valid() and form.cleaned_data["photo"]:
        services.profile_photo_set(actor=request.user, profile=profile, upload=form.cleaned_data["photo"])
        messages.success(request, _("Photo updated."))
    else:
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors) or _("Choose a photo to upload.")
        raise ApplicationError(_("The photo was not changed: %s") % problems, code="photo_invalid")
    return redirect("people:profile_edit", profile_id=profile.pk)


@login_required
@require_POST
def profile_set_active(request: AuthedRequest, profile_id: str) -> HttpResponse:
    profile = access_profile_for_edit(request.user, profile_id)
    active = request.POST.get("active") == "1"
    services.member_set_active(actor=request.user, profile=profile, active=active)
    messages.success(request, _("Member reactivated.") if active else _("Member deactivated; their data is kept."))
    return redirect("people:profile", profile_id=profile.pk)


@login_required
@require_POST
def profile_follow(request: AuthedRequest, profile_id: str) -> HttpResponse:
    """Follow or unfollow from a profile: htmx swaps the button and counts, a plain form redirects back."""
    profile = access_profile(request.user, profile_id)
    following = request.POST.get("follow") == "1"
    if following:
        services.follow_create(actor=request.user, profile=profile)
        feedback = _("You follow %(name)s: their discussions show up on your home page.") % {"name": profile.display_name}
    else:
        services.follow_delete(actor=request.user, profile=profile)
        feedback = _("You no longer follow %(name)s.") % {"name": profile.display_name}
    if request.htmx:
        context = {"profile": profile, "is_self": False, "feedback": feedback,
                   **selectors.follow_summary(profile, viewer_user_id=request.user.pk)}
        return render(request, "people/partials/_follow.html", context)
    messages.success(request, feedback)
    return redirect("people:profile", profile_id=profile.pk)
