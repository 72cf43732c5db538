"""Pairing pages: parse, access, call a service or selector, render."""

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
from courtyard.core.access import is_admin, parse_id
from courtyard.core.errors import ApplicationError, NotFound
from courtyard.groups import selectors as groups_selectors
from courtyard.groups.models import Group
from courtyard.pairing import calendars, selectors, services
from courtyard.pairing.access import (
    access_coffee_match,
    access_managed_program,
    access_mentorship,
    access_program,
    actor_profile,
)
from courtyard.pairing.domain import policy
from courtyard.pairing.models import CoffeeMatch, MentorshipMatch, Program, PulseResponse, Signup
from courtyard.pairing.web.forms import (
    AnswerForm,
    CheckinForm,
    DoNotPairForm,
    LockForm,
    MoveForm,
    ProgramForm,
    ProgressForm,
    PulseForm,
    RematchForm,
    SignupForm,
    SnoozeForm,
    StatusForm,
    SuggestTimeForm,
    SwapForm,
    TeamRequestForm,
)
from courtyard.pairing.web.reasons import match_reasons
from courtyard.people.models import Profile


def _bad(message: str) -> ApplicationError:
    return ApplicationError(message, code="invalid")


def _first_error(form: Any) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return _("Check the form.")


def _permissions(current: policy.Standing) -> dict[str, bool]:
    return {
        "can_manage": policy.can_manage(current),
        "can_join": policy.can_join(current),
        "can_leave": policy.can_leave(current),
        "can_run": policy.can_run(current),
        "can_review": policy.can_review(current),
    }


def _organized_groups(request: AuthedRequest) -> list[tuple[int, str]]:
    """Groups the actor may start a program for: those they organize (admins: every active group)."""
    groups = Group.objects.all() if is_admin(request.user) else groups_selectors.groups_organized_by(request.user)
    groups = groups.filter(archived_at__isnull=True)
    return list(groups.order_by("name").values_list("pk", "name")[:500])


# --- Hub and programs -------------------------------------------------------------------------


@login_required
@require_GET
def hub(request: AuthedRequest) -> HttpResponse:
    me = actor_profile(request.user)
    programs = selectors.programs_for(request.user)
    context = {
        "me": me,
        "coffee_matches": selectors.current_coffee_matches(me),
        "mentorships": selectors.my_mentorships(me),
        "programs": programs,
        "can_create": is_admin(request.user) or bool(_organized_groups(request)),
    }
    return render(request, "pairing/hub.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    kind = request.POST.get("kind") or request.GET.get("kind") or Program.Kind.COFFEE
    if kind not in Program.Kind.values:
        raise _bad(_("Choose coffee, mentorship or teams."))
    groups = _organized_groups(request)
    if not is_admin(request.user) and not groups:
        raise ApplicationError(_("Community admins and group organizers start programs."), code="forbidden", status=403)
    form = ProgramForm(request.POST or None, kind=kind, groups=groups)
    if request.method == "POST" and form.is_valid():
        group = None
        if form.cleaned_data.get("scope") == Program.Scope.GROUP:
            group = Group.objects.filter(pk=form.cleaned_data.get("group") or 0).first()
            if group is None:
                form.add_error("group", _("Choose the group this program is for."))
        if not form.errors:
            try:
                settings = form.settings()
                if form.cleaned_data["scope"] != Program.Scope.CROSS:
                    settings.pop("side_a", None)
                    settings.pop("side_b", None)
                program = services.program_create(actor=request.user, kind=kind, scope=form.cleaned_data["scope"],
                                                  group=group, **settings)
            except ApplicationError as error:
                if error.status == 403:
                    raise
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Program created."))
                return redirect("pairing:program", program_id=program.pk)
    return render(request, "pairing/program_form.html", {"form": form, "kind": kind, "program": None},
                  status=400 if form.errors else 200)


@login_required
@require_GET
def program(request: AuthedRequest, program_id: str) -> HttpResponse:
    program, current, signup = access_program(request.user, program_id)
    me = actor_profile(request.user)
    context: dict[str, Any] = {"program": program, "signup": signup, "me": me, **_permissions(current)}
    context["sides"] = selectors.program_sides(program)
    if program.is_coffee:
        context["coffee_matches"] = selectors.current_coffee_matches(me, program=program)
        context["snooze_form"] = SnoozeForm(initial={"until": signup.snoozed_until if signup else None})
        if context["can_manage"]:
            context["overview"] = selectors.coffee_overview(program)
    elif program.is_mentorship:
        context["my_matches"] = selectors.my_program_matches(program, me)
        if context["can_manage"]:
            context["overview"] = selectors.mentorship_overview(program)
        if context["my_matches"]:
            answered = set(PulseResponse.objects.filter(program=program, profile=me).values_list("phase", flat=True))
            context["pulse_forms"] = [
                (phase, PulseForm(initial={"phase": phase}, auto_id=f"id_{phase}_%s"))
                for phase in services.pulse_phases(program) if phase not in answered
            ]
    else:
        context["my_team"] = selectors.my_team(program, me) if program.status == Program.Status.PUBLISHED else None
        if context["can_manage"]:
            context.update(selectors.teams_overview(program))
    return render(request, "pairing/program.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, program_id: str) -> HttpResponse:
    program, current = access_managed_program(request.user, program_id)
    weights = {f"w_{k}": v for k, v in (program.weights or {}).items()}
    initial = {
        "name": program.name, "description": program.description, "starts_on": program.starts_on,
        "ends_on": program.ends_on, "cadence": program.cadence, "weekday": program.weekday,
        "local_time": program.local_time, "timezone": program.timezone, "group_size": program.group_size,
        "lookback_rounds": program.lookback_rounds, "goals": program.goals, "objective": program.objective,
        "require_shared_language": program.require_shared_language, "team_min": program.team_min,
        "team_max": program.team_max, **weights,
    }
    for side in ("side_a", "side_b"):
        definition = getattr(program, side) or {}
        initial[f"{side}_label"] = definition.get("label", "")
        initial[f"{side}_departments"] = definition.get("departments", [])
        initial[f"{side}_tenure"] = definition.get("tenure", "any")
    form = ProgramForm(request.POST or None, kind=program.kind, groups=[], editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        settings = form.settings()
        if program.scope != Program.Scope.CROSS:
            settings.pop("side_a", None)
            settings.pop("side_b", None)
        try:
            services.program_update(actor=request.user, program=program, data=settings)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Program saved."))
            return redirect("pairing:program", program_id=program.pk)
    return render(request, "pairing/program_form.html", {"form": form, "kind": program.kind, "program": program,
                                                         **_permissions(current)}, status=400 if form.errors else 200)


@login_required
@require_POST
def set_status(request: AuthedRequest, program_id: str) -> HttpResponse:
    program, _current, _signup = access_program(request.user, program_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        raise _bad(_("Choose resume, pause or close."))
    services.program_set_status(actor=request.user, program=program, status=form.cleaned_data["status"])
    messages.success(request, _("Program updated."))
    return redirect("pairing:program", program_id=program.pk)


# --- Sign-ups ---------------------------------------------------------------------------------


def _mentor_choices(program: Program, exclude: int) -> list[tuple[int, str]]:
    rows = Signup.objects.filter(program=program, role=Signup.Role.MENTOR, withdrawn_at__isnull=True).exclude(
        profile_id=exclude).select_related("profile").order_by("profile__full_name")[:500]
    return [(s.profile_id, s.profile.display_name) for s in rows]


@login_required
@require_http_methods(["GET", "POST"])
def join(request: AuthedRequest, program_id: str) -> HttpResponse:
    program, current, signup = access_program(request.user, program_id)
    me = actor_profile(request.user)
    if not policy.can_join(current):
        raise ApplicationError(_("You cannot join this program."), code="forbidden", status=403)
    initial: dict[str, Any] = {"languages": me.languages}
    if signup is not None:
        initial = {"role": signup.role, "capacity": signup.capacity, "goals": signup.goals, "topics": signup.topics,
                   "languages": signup.languages, "skills": list(signup.skills.all()),
                   "location_preference": signup.location_preference,
                   "department_preference": signup.department_preference,
                   "preferred_mentors": [p.pk for p in signup.preferred_mentors.all()]}
    form = SignupForm(request.POST if request.method == "POST" else None, kind=program.kind, mentors=_mentor_choices(program, me.pk), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        mentor_ids = data.pop("preferred_mentors", [])
        data["capacity"] = data.get("capacity") or 1
        try:
            services.signup_join(actor=request.user, program=program,
                                 preferred_mentors=list(Profile.objects.filter(pk__in=mentor_ids)), **data)
        except ApplicationError as error:
            if error.status in (403, 404):
                raise
            form.add_error(None, error.message)
        else:
            messages.success(request, _("You are in. We will tell you when you are matched.")
                             if signup is None else _("Your sign-up was updated."))
            return redirect("pairing:program", program_id=program.pk)
    return render(request, "pairing/signup_form.html", {"form": form, "program": program, "signup": signup},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def leave(request: AuthedRequest, program_id: str) -> HttpResponse:
    program, _current, _signup = access_program(request.user, program_id)
    services.signup_withdraw(actor=request.user, program=program)
    messages.success(request, _("You are out of %(program)s.") % {"program": program.name})
    return redirect("pairing:program", program_id=program.pk)


@login_required
@require_POST
def snooze(request: AuthedRequest, program_id: str) -> HttpResponse:
    program, _current, _signup = access_program(request.user, program_id)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        raise _bad(_first_error(form))
    until = form.cleaned_data["until"]
    services.signup_snooze(actor=request.user, program=program, until=until)
    messages.success(request, _("Snoozed until %(date)s.") % {"date": until} if until else _("Back in the next round."))
    return redirect("pairing:program", program_id=program.pk)


@login_required
@require_http_methods(["GET", "POST"])
def never_pair(request: AuthedRequest) -> HttpResponse:
    """The member's private do-not-pair list."""
    me = actor_profile(request.user)
    form = DoNotPairForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            other = Profile.objects.filter(user__email__iexact=form.cleaned_data["email"], is_active=True).first()
            if other is None:
                form.add_error("email", _("Nobody in the directory has that address."))
            else:
                try:
                    services.do_not_pair_add(actor=request.user, other=other)
                except ApplicationError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("Added. Nobody else sees your list."))
                    return redirect("pairing:never_pair")
    return render(request, "pairing/never_pair.html", {"form": form, "entries": selectors.do_not_pair_list(me)},
                  status=status)


@login_required
@require_POST
def never_pair_remove(request: AuthedRequest, entry_id: str) -> HttpResponse:
    services.do_not_pair_remove(actor=request.user, entry_id=parse_id(entry_id))
    messages.success(request, _("Removed from your list."))
    return redirect("pairing:never_pair")


# --- Coffee -----------------------------------------------------------------------------------


@login_required
@require_GET
def coffee_match(request: AuthedRequest, match_id: str) -> HttpResponse:
    match = selectors.coffee_match_detail(access_coffee_match(request.user, match_id))
    return _coffee_match_page(request, match, SuggestTimeForm(initial={"minutes": 30, "notify": True}))


def _coffee_match_page(request: AuthedRequest, match: CoffeeMatch, form: SuggestTimeForm, status: int = 200) -> HttpResponse:
    """The match: who, how to reach them (what the directory shows each viewer), why in words (with the
    points for the program's owner and admins), the suggested time and "did you meet?"."""
    me = actor_profile(request.user)
    people = {m.profile_id: m.profile for m in match.members.all()}
    others = [p for pk, p in people.items() if pk != me.pk]
    my_zone = clock.safe_zone(me.timezone)
    context = {
        "match": match, "me": me, "others": others, "form": form,
        "contacts": [selectors.contact_card(request.user, p) for p in others],
        "reasons": match_reasons(match.reasons, me=me.pk, people=people),
        "show_points": is_admin(request.user) or (match.program.owner_id is not None and match.program.owner_id == me.pk),
        "my_zone": me.timezone or "UTC",
        "meet_local": match.meet_at.astimezone(my_zone).replace(tzinfo=None) if match.meet_at else None,
    }
    return render(request, "pairing/coffee_match.html", context, status=status)


@login_required
@require_POST
def coffee_suggest(request: AuthedRequest, match_id: str) -> HttpResponse:
    """Suggest when to meet, in the member's own time zone; the page then offers the calendar invitation."""
    match = access_coffee_match(request.user, match_id)
    form = SuggestTimeForm(request.POST)
    if form.is_valid():
        me = actor_profile(request.user)
        data = form.cleaned_data
        start = dt.datetime.combine(data["date"], data["time"], tzinfo=clock.safe_zone(me.timezone))
        try:
            services.coffee_time_suggest(actor=request.user, match=match, start=start, minutes=data["minutes"],
                                         note=data["note"], notify_others=data["notify"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Time suggested. Add it to your calendar below."))
            return redirect("pairing:coffee_match", match_id=match.pk)
    return _coffee_match_page(request, selectors.coffee_match_detail(match), form, status=400)


@login_required
@require_GET
def coffee_ics(request: AuthedRequest, match_id: str) -> HttpResponse:
    """The suggested time as a calendar invitation with everyone of the match as attendees; its UID is the
    match's, so a new suggestion updates the entry people already added."""
    match = selectors.coffee_match_detail(access_coffee_match(request.user, match_id))
    if match.meet_at is None:
        raise NotFound(_("No time has been suggested for this match yet."))
    body = calendars.invitation(match, url=request.build_absolute_uri(reverse("pairing:coffee_match", args=[match.pk])))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="coffee-{match.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def coffee_answer(request: AuthedRequest, match_id: str) -> HttpResponse:
    match = access_coffee_match(request.user, match_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise _bad(_("Answer whether you met."))
    met = form.cleaned_data["met"]
    services.coffee_outcome_set(actor=request.user, match=match, met=met)
    messages.success(request, _("Lovely! Thanks for telling us.") if met else _("Thanks. Maybe next round."))
    return redirect("pairing:coffee_match", match_id=match.pk)


@login_required
@require_POST
def run(request: AuthedRequest, program_id: str) -> HttpResponse:
    program, _current = access_managed_program(request.user, program_id)
    if program.is_coffee:
        coffee = services.coffee_round_run_now(actor=request.user, program=program)
        messages.success(request, _("Round of %(date)s: %(n)d groups.") % {"date": coffee.round_date, "n": coffee.groups})
        return redirect("pairing:program", program_id=program.pk)
    if program.is_mentorship:
        result = services.mentorship_run(actor=request.user, program=program)
        messages.success(request, _("Assignment ready for review: %(n)d matches, %(u)d mentees unmatched.")
                         % {"n": result["matches"], "u": len(result["unmatched"])})
    else:
        count = services.teams_run(actor=request.user, program=program)
        messages.success(request, _("%(n)d teams ready for review.") % {"n": count})
    return redirect("pairing:review", program_id=program.pk)


@login_required
@require_GET
def review(request: AuthedRequest, program_id: str) -> HttpResponse:
    program, current = access_managed_program(request.user, program_id)
    if program.is_coffee:
        raise NotFound(_("Coffee rounds have no review."))
    context: dict[str, Any] = {"program": program, **_permissions(current)}
    if program.is_mentorship:
        context.update(selectors.mentorship_review(program))
    else:
        context.update(selectors.teams_overview(program))
        context["request_form"] = TeamRequestForm(pool=[(s.profile_id, s.profile.display_name) for s in context["pool"]])
    return render(request, "pairing/review.html", context)


@login_required
@require_POST
def publish(request: AuthedRequest, program_id: str) -> HttpResponse:
    program, _current = access_managed_program(request.user, program_id)
    if program.is_mentorship:
        count = services.mentorship_publish(actor=request.user, program=program)
        messages.success(request, _("Published %(n)d matches; mentors and mentees were told.") % {"n": count})
    elif program.is_teams:
        count = services.teams_publish(actor=request.user, program=program)
        messages.success(request, _("Published %(n)d teams; everyone was told.") % {"n": count})
    else:
        raise _bad(_("Coffee rounds are published as they run."))
    return redirect("pairing:program", program_id=program.pk)


@login_required
@require_POST
def match_lock(request: AuthedRequest, program_id: str, match_id: str) -> HttpResponse:
    program, _current = access_managed_program(request.user, program_id)
    match = selectors.mentorship_match_in(program, match_id)
    form = LockForm(request.POST)
    if not form.is_valid():
        raise _bad(_("Lock or unlock."))
    services.mentorship_match_lock(actor=request.user, match=match, locked=form.cleaned_data["locked"])
    return redirect(reverse("pairing:review", args=[program.pk]) + f"#match-{match.pk}")


@login_required
@require_POST
def match_swap(request: AuthedRequest, program_id: str, match_id: str) -> HttpResponse:
    program, _current = access_managed_program(request.user, program_id)
    match = selectors.mentorship_match_in(program, match_id)
    form = SwapForm(request.POST)
    if not form.is_valid():
        raise _bad(_("Choose a mentor."))
    mentor = selectors.signup_in(program, form.cleaned_data["mentor"])
    services.mentorship_match_swap(actor=request.user, match=match, mentor=mentor)
    messages.success(request, _("Mentor changed and the match locked."))
    return redirect(reverse("pairing:review", args=[program.pk]) + f"#match-{match.pk}")


@login_required
@require_POST
def team_move(request: AuthedRequest, program_id: str, member_id: str) -> HttpResponse:
    program, _current = access_managed_program(request.user, program_id)
    member = selectors.team_member_in(program, member_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise _bad(_("Choose a team."))
    team = selectors.team_in(program, form.cleaned_data["team"])
    services.team_member_move(actor=request.user, member=member, team=team)
    messages.success(request, _("%(name)s moved to %(team)s.") % {"name": member.profile.display_name, "team": team.name})
    return redirect(reverse("pairing:review", args=[program.pk]) + f"#team-{team.pk}")


@login_required
@require_POST
def team_group(request: AuthedRequest, program_id: str, team_id: str) -> HttpResponse:
    program, _current = access_managed_program(request.user, program_id)
    team = selectors.team_in(program, team_id)
    group = services.team_group_create(actor=request.user, team=team)
    messages.success(request, _("%(team)s is now a group; its members were invited.") % {"team": team.name})
    return redirect("groups:detail", slug=group.slug)


@login_required
@require_POST
def team_request_add(request: AuthedRequest, program_id: str) -> HttpResponse:
    program, _current = access_managed_program(request.user, program_id)
    pool = list(Signup.objects.filter(program=program, role=Signup.Role.POOL, withdrawn_at__isnull=True)
                .values_list("profile_id", "profile__full_name"))
    form = TeamRequestForm(request.POST, pool=pool)
    if not form.is_valid():
        raise _bad(_first_error(form))
    people = {p.pk: p for p in Profile.objects.filter(pk__in=[form.cleaned_data["first"], form.cleaned_data["second"]])}
    services.team_request_add(actor=request.user, program=program, kind=form.cleaned_data["kind"],
                              first=people[form.cleaned_data["first"]], second=people[form.cleaned_data["second"]])
    messages.success(request, _("Request saved; it applies at the next run."))
    return redirect("pairing:review", program_id=program.pk)


@login_required
@require_POST
def team_request_remove(request: AuthedRequest, program_id: str, request_id: str) -> HttpResponse:
    program, _current = access_managed_program(request.user, program_id)
    services.team_request_remove(actor=request.user, request=selectors.team_request_in(program, request_id))
    messages.success(request, _("Request removed."))
    return redirect("pairing:review", program_id=program.pk)


@login_required
@require_POST
def pulse(request: AuthedRequest, program_id: str) -> HttpResponse:
    program, _current, _signup = access_program(request.user, program_id)
    form = PulseForm(request.POST)
    if not form.is_valid():
        raise _bad(_first_error(form))
    services.pulse_answer(actor=request.user, program=program, **form.cleaned_data)
    messages.success(request, _("Thank you. Answers are only shown together, never one by one."))
    return redirect("pairing:program", program_id=program.pk)


# --- A mentorship, for the pair -----------------------------------------------------------------


@login_required
@require_GET
def mentorship(request: AuthedRequest, match_id: str) -> HttpResponse:
    match, _in_pair = access_mentorship(request.user, match_id)
    me = actor_profile(request.user)
    context: dict[str, Any] = {
        "match": match, "me": me, "program": match.program,
        "other": match.mentee.profile if me.pk == match.mentor.profile_id else match.mentor.profile,
        "is_mentor": me.pk == match.mentor.profile_id,
        "running": match.status == MentorshipMatch.Status.PUBLISHED,
        "checkin_form": CheckinForm(initial={"met_on": clock.now().date()}),
        "progress_form": ProgressForm(initial={"progress": match.goal_progress, "note": match.goal_note}),
        "rematch_form": RematchForm(),
        **selectors.mentorship_detail(match),
    }
    return render(request, "pairing/mentorship.html", context)


@login_required
@require_POST
def mentorship_checkin(request: AuthedRequest, match_id: str) -> HttpResponse:
    match, _in_pair = access_mentorship(request.user, match_id)
    form = CheckinForm(request.POST)
    if not form.is_valid():
        raise _bad(_first_error(form))
    services.checkin_add(actor=request.user, match=match, **form.cleaned_data)
    messages.success(request, _("Check-in saved."))
    return redirect("pairing:mentorship", match_id=match.pk)


@login_required
@require_POST
def mentorship_progress(request: AuthedRequest, match_id: str) -> HttpResponse:
    match, _in_pair = access_mentorship(request.user, match_id)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        raise _bad(_first_error(form))
    services.mentorship_progress_set(actor=request.user, match=match, **form.cleaned_data)
    messages.success(request, _("Progress saved."))
    return redirect("pairing:mentorship", match_id=match.pk)


@login_required
@require_POST
def mentorship_rematch(request: AuthedRequest, match_id: str) -> HttpResponse:
    match, _in_pair = access_mentorship(request.user, match_id)
    form = RematchForm(request.POST)
    if not form.is_valid():
        raise _bad(_first_error(form))
    services.mentorship_rematch_request(actor=request.user, match=match, reason=form.cleaned_data["reason"])
    messages.success(request, _("This mentorship has ended; the owner will find a new match."))
    return redirect("pairing:program", program_id=match.program_id)


@login_required
@require_POST
def mentorship_complete(request: AuthedRequest, match_id: str) -> HttpResponse:
    match, _in_pair = access_mentorship(request.user, match_id)
    services.mentorship_complete(actor=request.user, match=match)
    messages.success(request, _("Congratulations on completing your mentorship!"))
    return redirect("pairing:mentorship", match_id=match.pk)
