"""Recognition pages: parse, access, call a service or selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtyard.accounts.http import AuthedRequest
from courtyard.core import clock
from courtyard.core.access import is_admin, parse_id, require_admin
from courtyard.core.errors import ApplicationError, NotFound
from courtyard.core.htmx import render_page
from courtyard.core.pagination import cursor_checked
from courtyard.groups.models import ReactionKind
from courtyard.groups.selectors import visible_groups
from courtyard.people.models import Profile, Team
from courtyard.people.selectors import directory_filter_options, teams_for_department
from courtyard.recognition import selectors, services
from courtyard.recognition.access import (
    access_badge,
    access_kudos,
    access_recipient,
    access_spotlight_entry,
    access_value,
    is_curator,
    me,
    require_curator,
)
from courtyard.recognition.domain import allowance, rules
from courtyard.recognition.models import BadgeAward, CelebrationPreference, Kudos
from courtyard.recognition.web.forms import (
    BadgeForm,
    CelebrationSettingsForm,
    KudosForm,
    MonthForm,
    NoteForm,
    PersonForm,
    SettingsForm,
    ValueForm,
    WallForm,
)


def _card_context(request: AuthedRequest, kudos: Kudos, current: rules.Standing) -> dict[str, Any]:
    return {
        "k": kudos,
        "is_sender": current.is_sender,
        "can_plus_one": rules.can_plus_one(current) or current.is_co_sender,
        "can_react": rules.can_react(current),
        "can_delete": rules.can_delete(current),
        "can_restore": rules.can_restore(current),
        "can_spotlight": rules.can_spotlight(current, is_curator=is_curator(request.user)),
    }


# --- The wall ------------------------------------------------------------------------------------


@login_required
@require_GET
def wall(request: AuthedRequest) -> HttpResponse:
    form = WallForm(request.GET)
    if not form.is_valid():
        raise ApplicationError(_("Those filters are not valid."), code="bad_filter")
    data = form.cleaned_data
    query = selectors.WallQuery(value_id=data["value"], department_id=data["department"], team_id=data["team"],
                                person_id=data["person"], group_id=data["group"])
    person = Profile.objects.filter(pk=query.person_id).first() if query.person_id else None
    group = visible_groups(request.user).filter(pk=query.group_id).first() if query.group_id else None
    if query.group_id and group is None:
        raise NotFound(_("No such group."))
    with cursor_checked():
        page = selectors.wall(request.user, query, cursor=data["cursor"] or None)
    context: dict[str, Any] = {"page": page, "form": form, "query": query, "person": person, "group": group,
                               "more_only": bool(data["cursor"])}
    if request.htmx and not request.htmx.boosted:
        return render_page(request, "recognition/wall.html", "recognition/partials/_wall_items.html", context)
    profile = me(request.user)
    current = selectors.settings_current()
    context.update({
        "values": selectors.values_active(),
        "departments": directory_filter_options()["departments"],
        "teams": teams_for_department(query.department_id),
        "allowance": selectors.allowance_overview(profile, current),
    })
    return render(request, "recognition/wall.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def send(request: AuthedRequest) -> HttpResponse:
    current = selectors.settings_current()
    initial: dict[str, Any] = {"points": 0}
    if request.method == "GET" and request.GET.get("to"):
        person = access_recipient(request.user, request.GET["to"])
        initial["people"] = person.user.email
    if request.method == "GET" and request.GET.get("team"):
        team = Team.objects.select_related("department").filter(pk=parse_id(request.GET["team"])).first()
        if team is None:
            raise NotFound(_("No such team."))
        initial["team"] = selectors.team_label(team)
    form = KudosForm(request.POST or None, initial=initial, actor=request.user, allowance_enabled=current.allowance_enabled)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                kudos = services.kudos_send(actor=request.user, **form.kudos_data())
            except ApplicationError as error:  # what was written stays in the form
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("Your kudos is on its way. Thank you for saying thanks!"))
                return redirect("recognition:detail", kudos_id=kudos.pk)
    context = {"form": form, "allowance": selectors.allowance_overview(me(request.user), current)}
    return render(request, "recognition/send.html", context, status=status)


@login_required
@require_GET
def suggest(request: AuthedRequest) -> HttpResponse:
    kind = request.GET.get("kind", "person")
    if kind not in ("person", "team", "group"):
        kind = "person"
    field = {"person": "people", "team": "team", "group": "group"}[kind]
    text = (request.GET.get(field) or request.GET.get("q") or "")[-200:]
    prefix = text.rsplit(",", 1)[0] + ", " if "," in text else ""
    options = [(prefix + value, label) for value, label in selectors.recipient_suggestions(request.user, kind, text)]
    return render(request, "recognition/partials/_suggestions.html", {"options": options})


# --- One kudos -----------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: AuthedRequest, kudos_id: str) -> HttpResponse:
    kudos, current = access_kudos(request.user, kudos_id, include_deleted=True)
    selectors.decorate([kudos], me(request.user).pk)
    context = {**_card_context(request, kudos, current), "detail": True,
               "receivers": kudos.receivers.select_related("profile").order_by("profile__full_name")[:200]}
    return render(request, "recognition/detail.html", context)


def _back_to(request: AuthedRequest, kudos: Kudos) -> HttpResponse:
    return redirect(reverse("recognition:detail", args=[kudos.pk]))


@login_required
@require_POST
def plus_one(request: AuthedRequest, kudos_id: str) -> HttpResponse:
    kudos, current = access_kudos(request.user, kudos_id)
    agree = request.POST.get("agree", "1") != "0"
    services.kudos_plus_one(actor=request.user, kudos=kudos, current=current, agree=agree)
    if request.htmx:
        kudos, current = access_kudos(request.user, kudos_id)
        selectors.decorate([kudos], me(request.user).pk)
        return render(request, "recognition/partials/_kudos_actions.html", _card_context(request, kudos, current))
    messages.success(request, _("You added your +1.") if agree else _("You took back your +1."))
    return _back_to(request, kudos)


@login_required
@require_POST
def react(request: AuthedRequest, kudos_id: str) -> HttpResponse:
    kudos, current = access_kudos(request.user, kudos_id)
    kind = ReactionKind.objects.filter(pk=parse_id(request.POST.get("kind")), is_active=True).first()
    if kind is None:
        raise NotFound(_("No such reaction."))
    services.kudos_reaction_toggle(actor=request.user, kudos=kudos, current=current, kind=kind)
    if request.htmx:
        selectors.decorate([kudos], me(request.user).pk)
        return render(request, "recognition/partials/_kudos_actions.html", _card_context(request, kudos, current))
    return _back_to(request, kudos)


@login_required
@require_POST
def delete(request: AuthedRequest, kudos_id: str) -> HttpResponse:
    restore = request.POST.get("restore") == "1"
    kudos, current = access_kudos(request.user, kudos_id, include_deleted=restore)
    services.kudos_set_deleted(actor=request.user, kudos=kudos, current=current, deleted=not restore)
    if restore:
        messages.success(request, _("Kudos restored."))
        return _back_to(request, kudos)
    messages.success(request, _("Kudos withdrawn. Community admins can restore it."))
    return redirect("recognition:wall")


@login_required
@require_POST
def spotlight_kudos(request: AuthedRequest, kudos_id: str) -> HttpResponse:
    kudos, current = access_kudos(request.user, kudos_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("The note can be 300 characters at most."), code="too_long")
    services.spotlight_add(actor=request.user, kudos=kudos, current=current, note=form.cleaned_data["note"])
    messages.success(request, _("Added to the spotlight."))
    return redirect("recognition:spotlight")


# --- Points, celebrations, badges ----------------------------------------------------------------


@login_required
@require_GET
def points(request: AuthedRequest) -> HttpResponse:
    profile = me(request.user)
    overview = selectors.allowance_overview(profile)
    context = {
        "allowance": overview,
        "entries": selectors.allowance_ledger(profile, overview.month),
        "received": selectors.points_received(profile, overview.month),
    }
    return render(request, "recognition/points.html", context)


@login_required
@require_GET
def celebrations(request: AuthedRequest) -> HttpResponse:
    return render(request, "recognition/celebrations.html", {"celebrations": selectors.celebrations_recent()})


@login_required
@require_http_methods(["GET", "POST"])
def celebration_settings(request: AuthedRequest) -> HttpResponse:
    profile = me(request.user)
    preference = CelebrationPreference.objects.filter(profile=profile).first()
    initial: dict[str, Any] = {"anniversary": True, "welcome": True, "milestone": True}
    if preference is not None:
        initial = {
            "birthday_month": preference.birthday_month, "birthday_day": preference.birthday_day,
            "anniversary": not preference.skip_anniversary, "welcome": not preference.skip_welcome,
            "milestone": not preference.skip_milestone,
        }
    form = CelebrationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.celebration_preferences_set(actor=request.user, birthday=form.birthday(), skip=form.skipped())
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your celebration settings are saved."))
            return redirect("recognition:celebration_settings")
    return render(request, "recognition/celebration_settings.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
@require_GET
def badges(request: AuthedRequest) -> HttpResponse:
    person = access_recipient(request.user, request.GET["person"]) if request.GET.get("person") else me(request.user)
    context = {"person": person, "held": selectors.badges_of(person), **selectors.badge_catalogue(),
               "is_admin": is_admin(request.user), "award_form": PersonForm()}
    return render(request, "recognition/badges.html", context)


# --- Manager view and spotlight ------------------------------------------------------------------


@login_required
@require_GET
def manager(request: AuthedRequest) -> HttpResponse:
    profile = me(request.user)
    form = MonthForm(request.GET)
    if not form.is_valid():
        raise ApplicationError(_("Give the month as YYYY-MM."), code="bad_month")
    this_month = allowance.month_of(clock.now().date())
    month = form.month_start(this_month)
    summaries = selectors.manager_monthly_summary(profile, request.user, month)
    previous = (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    context = {"summaries": summaries, "month": month, "previous": previous,
               "following": following if following <= this_month else None,
               "unrecognized": [s for s in summaries if not s.recognized]}
    return render(request, "recognition/manager.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def spotlight(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require_curator(request.user)
        status = 400
        if form.is_valid():
            try:
                services.spotlight_add(actor=request.user, profile=form.person(), note=form.cleaned_data["note"])
            except ApplicationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("Added to the spotlight."))
                return redirect("recognition:spotlight")
    context = {"entries": selectors.spotlight_current(limit=50), "form": form, "can_curate": is_curator(request.user)}
    return render(request, "recognition/spotlight.html", context, status=status)


@login_required
@require_POST
def spotlight_remove(request: AuthedRequest, entry_id: str) -> HttpResponse:
    entry = access_spotlight_entry(request.user, entry_id)
    services.spotlight_remove(actor=request.user, entry=entry)
    messages.success(request, _("Removed from the spotlight."))
    return redirect("recognition:spotlight")


# --- Administration ------------------------------------------------------------------------------


def _manage_context(**extra: Any) -> dict[str, Any]:
    current = selectors.settings_current()
    return {
        "settings_form": SettingsForm(initial={
            "allowance_enabled": current.allowance_enabled, "monthly_points": current.monthly_points,
            "per_recipient_limit": current.per_recipient_limit, "max_points_per_kudos": current.max_points_per_kudos,
        }),
        "value_form": ValueForm(initial={"is_active": True}),
        "badge_form": BadgeForm(),
        "values": selectors.values_all(),
        **selectors.badge_catalogue(),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                services.settings_update(actor=request.user, **form.cleaned_data)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Recognition settings saved."))
                return redirect("recognition:manage")
        return render(request, "recognition/manage.html", _manage_context(settings_form=form), status=400)
    return render(request, "recognition/manage.html", _manage_context())


@login_required
@require_POST
def value_create(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    form = ValueForm(request.POST)
    if form.is_valid():
        try:
            services.value_create(actor=request.user, name=form.cleaned_data["name"], emoji=form.cleaned_data["emoji"],
                                  description=form.cleaned_data["description"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Value added."))
            return redirect("recognition:manage")
    return render(request, "recognition/manage.html", _manage_context(value_form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def value_edit(request: AuthedRequest, value_id: str) -> HttpResponse:
    value = access_value(request.user, value_id)
    form = ValueForm(request.POST or None, initial={"name": value.name, "emoji": value.emoji, "description": value.description,
                                                    "position": value.position, "is_active": value.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            services.value_update(actor=request.user, value=value, data=form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Value saved."))
            return redirect("recognition:manage")
    return render(request, "recognition/value_form.html", {"form": form, "value": value}, status=400 if form.errors else 200)


@login_required
@require_POST
def badge_create(request: AuthedRequest) -> HttpResponse:
    require_admin(request.user)
    form = BadgeForm(request.POST)
    if form.is_valid():
        try:
            services.badge_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Badge created. Award it from the badges page."))
            return redirect("recognition:manage")
    return render(request, "recognition/manage.html", _manage_context(badge_form=form), status=400)


@login_required
@require_POST
def badge_award(request: AuthedRequest, badge_id: str) -> HttpResponse:
    badge = access_badge(request.user, badge_id)
    form = PersonForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Enter the email address of someone in the directory."), code="bad_email")
    person = form.person()
    services.badge_award(actor=request.user, badge=badge, profile=person, reason=form.cleaned_data["note"])
    messages.success(request, _("%(name)s now has the badge “%(badge)s”.") % {"name": person.display_name, "badge": badge.name})
    return redirect(reverse("recognition:badges") + f"?person={person.pk}")


@login_required
@require_POST
def badge_active(request: AuthedRequest, badge_id: str) -> HttpResponse:
    badge = access_badge(request.user, badge_id)
    services.badge_set_active(actor=request.user, badge=badge, active=request.POST.get("active") == "1")
    return redirect("recognition:manage")


@login_required
@require_POST
def award_remove(request: AuthedRequest, award_id: str) -> HttpResponse:
    require_admin(request.user)
    award = BadgeAward.objects.filter(pk=parse_id(award_id)).first()
    if award is None:
        raise NotFound(_("No such badge award."))
    services.badge_award_remove(actor=request.user, award=award)
    messages.success(request, _("Badge taken back."))
    return redirect(reverse("recognition:badges") + f"?person={award.profile_id}")

