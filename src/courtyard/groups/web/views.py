"""Group and discussion pages: parse, access, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courtyard.accounts.http import AuthedRequest
from courtyard.core.access import parse_id
from courtyard.core.errors import ApplicationError, NotFound
from courtyard.core.htmx import render_page
from courtyard.groups import selectors, services
from courtyard.groups.access import (
    access_group,
    access_group_content,
    access_post,
    access_resource,
    access_thread,
    can_delete_content,
    can_edit_content,
)
from courtyard.groups.domain import rules
from courtyard.groups.models import Group, Membership, Post, ReactionKind, Thread
from courtyard.groups.web.forms import (
    BrowseForm,
    GroupForm,
    InviteForm,
    ReplyForm,
    ResourceForm,
    RoleForm,
    ThreadForm,
)
from courtyard.people.access import actor_profile
from courtyard.people.models import Profile


def _thread_in(request: AuthedRequest, slug: str, thread_id: str, *, include_deleted: bool = False) -> tuple[Thread, rules.Standing]:
    thread, current = access_thread(request.user, thread_id, include_deleted=include_deleted)
    if thread.group.slug != slug:
        raise NotFound(_("No such discussion."))
    return thread, current


def _post_in(request: AuthedRequest, slug: str, post_id: str, *, include_deleted: bool = False) -> tuple[Post, rules.Standing]:
    post, current = access_post(request.user, post_id, include_deleted=include_deleted)
    if post.thread.group.slug != slug:
        raise NotFound(_("No such reply."))
    return post, current


def _permissions(current: rules.Standing) -> dict[str, bool]:
    return {
        "can_post": rules.can_post(current),
        "can_moderate": rules.can_moderate(current),
        "can_manage": rules.can_manage(current),
        "can_join": rules.can_join(current),
        "can_request": rules.can_request(current),
        "can_leave": rules.can_leave(current),
        "can_archive": rules.can_archive(current),
    }


# --- Groups -----------------------------------------------------------------------------------


@login_required
@require_GET
def browse(request: AuthedRequest) -> HttpResponse:
    form = BrowseForm(request.GET)
    if not form.is_valid():
        return render(request, "groups/browse.html", {"form": form, "page": None}, status=400)
    query = selectors.GroupQuery(q=form.cleaned_data["q"], kind=form.cleaned_data["kind"], mine=form.cleaned_data["mine"])
    context = {
        "form": form,
        "page": selectors.groups_page(request.user, query, form.cleaned_data["page"]),
        "suggested": [] if (query.q or query.kind or query.mine) else selectors.groups_suggested(request.user),
    }
    return render_page(request, "groups/browse.html", "groups/partials/_group_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, request.FILES or None,
                     initial={"kind": Group.Kind.INTEREST, "join_policy": Group.JoinPolicy.OPEN})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cover = data.pop("cover", None)
        data.pop("remove_cover", None)
        data["read_access"] = data["read_access"] or None  # unchosen: the default for the join policy
        try:
            with transaction.atomic():
                group = services.group_create(actor=request.user, **data)
                if cover:
                    services.group_cover_set(actor=request.user, group=group, upload=cover)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your group is ready. Invite people or start the first discussion."))
            return redirect("groups:detail", slug=group.slug)
    return render(request, "groups/group_form.html", {"form": form, "group": None}, status=400 if form.errors else 200)


@login_required
@require_GET
def detail(request: AuthedRequest, slug: str) -> HttpResponse:
    group, current, membership = access_group(request.user, slug)
    context: dict[str, Any] = {"group": group, "membership": membership, **_permissions(current)}
    context["can_read"] = rules.can_read(current)
    if context["can_read"]:
        context.update(selectors.group_overview(group, page_number=request.GET.get("page"), can_moderate=context["can_moderate"]))
    return render(request, "groups/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, slug: str) -> HttpResponse:
    group, current, _membership = access_group(request.user, slug)
    if not rules.can_manage(current):
        raise NotFound(_("No such group."))
    initial = {"name": group.name, "kind": group.kind, "join_policy": group.join_policy, "read_access": group.read_access,
               "description": group.description, "tags": list(group.tags.all())}
    form = GroupForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cover = data.pop("cover", None)
        remove_cover = data.pop("remove_cover", False)
        data["read_access"] = data["read_access"] or None  # unchosen: unchanged
        try:
            with transaction.atomic():
                services.group_update(actor=request.user, group=group, data=data)
                if cover or remove_cover:
                    services.group_cover_set(actor=request.user, group=group, upload=cover or None)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Group saved."))
            return redirect("groups:detail", slug=group.slug)
    context = {"form": form, "group": group, **_permissions(current)}
    return render(request, "groups/group_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def archive(request: AuthedRequest, slug: str) -> HttpResponse:
    group, _current, _membership = access_group(request.user, slug)
    archived = request.POST.get("archived") == "1"
    services.group_set_archived(actor=request.user, group=group, archived=archived)
    messages.success(request, _("Group archived: it stays readable.") if archived else _("Group reopened."))
    return redirect("groups:detail", slug=group.slug)


@login_required
@require_POST
def join(request: AuthedRequest, slug: str) -> HttpResponse:
    group, _current, _membership = access_group(request.user, slug)
    services.membership_join(actor=request.user, group=group)
    messages.success(request, _("Welcome to %(group)s!") % {"group": group.name})
    return redirect("groups:detail", slug=group.slug)


@login_required
@require_POST
def request_to_join(request: AuthedRequest, slug: str) -> HttpResponse:
    group, _current, _membership = access_group(request.user, slug)
    services.membership_request(actor=request.user, group=group, message=request.POST.get("message", ""))
    messages.success(request, _("Your request was sent to the organizers."))
    return redirect("groups:detail", slug=group.slug)


@login_required
@require_POST
def leave(request: AuthedRequest, slug: str) -> HttpResponse:
    group, _current, _membership = access_group(request.user, slug)
    services.membership_leave(actor=request.user, group=group)
    messages.success(request, _("You left %(group)s.") % {"group": group.name})
    if not group.is_listed:  # it no longer exists for them
        return redirect("groups:browse")
    return redirect("groups:detail", slug=group.slug)


@login_required
@require_POST
def mute(request: AuthedRequest, slug: str) -> HttpResponse:
    group, _current, _membership = access_group(request.user, slug)
    muted = request.POST.get("muted") == "1"
    services.membership_set_muted(actor=request.user, group=group, muted=muted)
    messages.success(request, _("Group muted: no notifications from it.") if muted else _("Group unmuted."))
    return redirect("groups:detail", slug=group.slug)


@login_required
@require_GET
def members(request: AuthedRequest, slug: str) -> HttpResponse:
    group, current, membership = access_group_content(request.user, slug)
    context = {"group": group, "membership": membership, "invite_form": InviteForm(), "roles": Membership.Role.choices,
               **_permissions(current), **selectors.group_members(group)}
    return render(request, "groups/members.html", context)


@login_required
@require_POST
def invite(request: AuthedRequest, slug: str) -> HttpResponse:
    group, _current, _membership = access_group(request.user, slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Enter the email address of someone in the directory."), code="bad_email")
    profile = Profile.objects.filter(user__email__iexact=form.cleaned_data["email"], is_active=True).first()
    if profile is None:
        raise ApplicationError(_("Nobody in the directory has that address."), code="unknown_person")
    services.membership_invite(actor=request.user, group=group, profile=profile)
    messages.success(request, _("%(name)s was invited.") % {"name": profile.display_name})
    return redirect("groups:members", slug=group.slug)


@login_required
@require_POST
def decide(request: AuthedRequest, slug: str, membership_id: str) -> HttpResponse:
    group, _current, _membership = access_group(request.user, slug)
    membership = selectors.membership_in(group, membership_id)
    approve = request.POST.get("approve") == "1"
    services.membership_decide(actor=request.user, membership=membership, approve=approve)
    messages.success(request, _("Request approved.") if approve else _("Request declined."))
    return redirect("groups:members", slug=group.slug)


@login_required
@require_POST
def set_role(request: AuthedRequest, slug: str, membership_id: str) -> HttpResponse:
    group, _current, _membership = access_group(request.user, slug)
    membership = selectors.membership_in(group, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Choose a role from the list."), code="invalid_choice")
    services.membership_set_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
    messages.success(request, _("Role changed."))
    return redirect("groups:members", slug=group.slug)


@login_required
@require_POST
def remove(request: AuthedRequest, slug: str, membership_id: str) -> HttpResponse:
    group, _current, _membership = access_group(request.user, slug)
    membership = selectors.membership_in(group, membership_id)
    services.membership_remove(actor=request.user, membership=membership)
    messages.success(request, _("Member removed."))
    return redirect("groups:members", slug=group.slug)


# --- Threads and replies ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def thread_new(request: AuthedRequest, slug: str) -> HttpResponse:
    group, current, _membership = access_group_content(request.user, slug)
    if not rules.can_post(current):
        raise ApplicationError(_("Join the group to start a discussion."), code="forbidden", status=403)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(actor=request.user, group=group, **form.cleaned_data)
        except ApplicationError as error:  # the draft stays in the form
            form.add_error(None, error.message)
        else:
            return redirect("groups:thread", slug=group.slug, thread_id=thread.pk)
    return render(request, "groups/thread_form.html", {"form": form, "group": group, "thread": None},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: AuthedRequest, slug: str, thread_id: str) -> HttpResponse:
    thread, current = _thread_in(request, slug, thread_id, include_deleted=True)
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST" and not rules.can_post(current):
        raise ApplicationError(_("Join the group to reply."), code="forbidden", status=403)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                post = services.post_create(actor=request.user, thread=thread, body=form.cleaned_data["body"])
            except ApplicationError as error:  # the reply text stays in the form (locked: 403, too fast: 429)
                form.add_error(None, error.message)
                status = error.status
            else:
                return redirect(reverse("groups:thread", args=[slug, thread.pk]) + f"?page=last#post-{post.pk}")
    me = actor_profile(request.user)
    permissions = _permissions(current)
    detail = selectors.thread_detail(thread, actor_profile_id=me.pk, page_number=request.GET.get("page"),
                                     can_moderate=permissions["can_moderate"])
    context = {
        "group": thread.group, "thread": thread, "form": form, "me": me, **permissions, **detail,
        "can_edit_thread": can_edit_content(request.user, thread.author_id, current),
        "can_delete_thread": can_delete_content(request.user, thread.author_id, current),
        "can_accept": thread.is_question and not current.archived and (me.pk == thread.author_id or permissions["can_moderate"]),
        "can_reply": permissions["can_post"] and (thread.locked_at is None or permissions["can_moderate"]),
    }
    return render(request, "groups/thread.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def thread_edit(request: AuthedRequest, slug: str, thread_id: str) -> HttpResponse:
    thread, current = _thread_in(request, slug, thread_id)
    if not can_edit_content(request.user, thread.author_id, current):
        raise ApplicationError(_("Only the author can edit this."), code="forbidden", status=403)
    initial = {"title": thread.title, "body": thread.body, "is_question": thread.is_question}
    form = ThreadForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.thread_update(actor=request.user, thread=thread, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("groups:thread", slug=slug, thread_id=thread.pk)
    return render(request, "groups/thread_form.html", {"form": form, "group": thread.group, "thread": thread},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def thread_moderate(request: AuthedRequest, slug: str, thread_id: str) -> HttpResponse:
    thread, _current = _thread_in(request, slug, thread_id)
    action = request.POST.get("action", "")
    changes = {"pin": {"pinned": True}, "unpin": {"pinned": False}, "lock": {"locked": True}, "unlock": {"locked": False}}
    if action not in changes:
        raise ApplicationError(_("Unknown action."), code="bad_action")
    services.thread_moderate(actor=request.user, thread=thread, **changes[action])
    return redirect("groups:thread", slug=slug, thread_id=thread.pk)


@login_required
@require_POST
def thread_delete(request: AuthedRequest, slug: str, thread_id: str) -> HttpResponse:
    thread, _current = _thread_in(request, slug, thread_id, include_deleted=True)
    restore = request.POST.get("restore") == "1"
    services.content_set_deleted(actor=request.user, target=thread, deleted=not restore)
    if restore:
        messages.success(request, _("Discussion restored."))
        return redirect("groups:thread", slug=slug, thread_id=thread.pk)
    messages.success(request, _("Discussion deleted. Moderators can restore it."))
    return redirect("groups:detail", slug=slug)


@login_required
@require_POST
def thread_accept(request: AuthedRequest, slug: str, thread_id: str) -> HttpResponse:
    thread, _current = _thread_in(request, slug, thread_id)
    post_id = request.POST.get("post")
    post = None
    if post_id:
        post, _post_standing = _post_in(request, slug, post_id)
    services.thread_accept_answer(actor=request.user, thread=thread, post=post)
    anchor = f"#post-{post.pk}" if post else ""
    return redirect(reverse("groups:thread", args=[slug, thread.pk]) + anchor)


@login_required
@require_GET
def history(request: AuthedRequest, slug: str, kind: str, object_id: str) -> HttpResponse:
    if kind == "threads":
        thread, _current = _thread_in(request, slug, object_id)
        revisions = selectors.revisions_of(thread=thread)
        current_text = {"title": thread.title, "body_html": thread.body_html}
    elif kind == "posts":
        post, _current = _post_in(request, slug, object_id)
        thread = post.thread
        revisions = selectors.revisions_of(post=post)
        current_text = {"title": "", "body_html": post.body_html}
    else:
        raise NotFound()
    return render(request, "groups/history.html", {"group": thread.group, "thread": thread, "revisions": revisions,
                                                    "current": current_text})


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: AuthedRequest, slug: str, post_id: str) -> HttpResponse:
    post, current = _post_in(request, slug, post_id)
    if not can_edit_content(request.user, post.author_id, current):
        raise ApplicationError(_("Only the author can edit this."), code="forbidden", status=403)
    form = ReplyForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(actor=request.user, post=post, body=form.cleaned_data["body"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect(reverse("groups:thread", args=[slug, post.thread_id]) + f"#post-{post.pk}")
    return render(request, "groups/post_form.html", {"form": form, "group": post.thread.group, "post": post},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def post_delete(request: AuthedRequest, slug: str, post_id: str) -> HttpResponse:
    post, _current = _post_in(request, slug, post_id, include_deleted=True)
    restore = request.POST.get("restore") == "1"
    services.content_set_deleted(actor=request.user, target=post, deleted=not restore)
    return redirect(reverse("groups:thread", args=[slug, post.thread_id]) + f"#post-{post.pk}")


@login_required
@require_POST
def react(request: AuthedRequest, slug: str) -> HttpResponse:
    """Toggle a reaction; htmx swaps the reaction bar, a plain form goes back to the post."""
    kind = ReactionKind.objects.filter(pk=parse_id(request.POST.get("kind")), is_active=True).first()
    if kind is None:
        raise NotFound(_("No such reaction."))
    target: Thread | Post
    if request.POST.get("post"):
        target, _current = _post_in(request, slug, request.POST["post"])
        thread = target.thread
    else:
        target, _current = _thread_in(request, slug, request.POST.get("thread", ""))
        thread = target
    services.reaction_toggle(actor=request.user, target=target, kind=kind)
    if request.htmx:
        me = actor_profile(request.user)
        bar = selectors.reaction_bar(me.pk, **({"post": target} if isinstance(target, Post) else {"thread": target}))
        return render(request, "groups/partials/_reactions.html", {"bar": bar, "group": thread.group, "target": target,
                                                                   "is_post": isinstance(target, Post), "can_react": True})
    anchor = f"#post-{target.pk}" if isinstance(target, Post) else ""
    return redirect(reverse("groups:thread", args=[slug, thread.pk]) + anchor)


# --- Resources --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def resources(request: AuthedRequest, slug: str) -> HttpResponse:
    group, current, membership = access_group_content(request.user, slug)
    if request.method == "POST" and not rules.can_post(current):
        raise ApplicationError(_("Join the group to add resources."), code="forbidden", status=403)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_add(actor=request.user, group=group, title=form.cleaned_data["title"],
                                  description=form.cleaned_data["description"], url=form.cleaned_data["url"],
                                  upload=form.cleaned_data["file"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Added to the library."))
            return redirect("groups:resources", slug=group.slug)
    context = {"group": group, "membership": membership, "form": form, "resources": selectors.resources_of(group),
               "me": actor_profile(request.user), **_permissions(current)}
    return render(request, "groups/resources.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def resource_download(request: AuthedRequest, slug: str, resource_id: str) -> HttpResponseBase:
    resource, _current = access_resource(request.user, resource_id)
    if resource.group.slug != slug:
        raise NotFound(_("No such resource."))
    if resource.kind != resource.Kind.FILE or not resource.file:
        return redirect(resource.url)
    # Served as a download with the type we checked on upload, never rendered inline by the browser.
    name = str(resource.file.name)
    response = FileResponse(resource.file.open("rb"), as_attachment=True,
                            filename=f"{resource.title[:80]}{name[name.rfind('.'):]}",
                            content_type=resource.content_type or "application/octet-stream")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def resource_delete(request: AuthedRequest, slug: str, resource_id: str) -> HttpResponse:
    resource, _current = access_resource(request.user, resource_id)
    if resource.group.slug != slug:
        raise NotFound(_("No such resource."))
    services.resource_delete(actor=request.user, resource=resource)
    messages.success(request, _("Removed from the library."))
    return redirect("groups:resources", slug=slug)


@login_required
@require_GET
def mention_suggestions(request: AuthedRequest) -> HttpResponse:
    """@mention autocomplete: people whose name or address starts with what was typed."""
    text = (request.GET.get("q") or request.GET.get("body") or "")[-60:]
    word = text.rsplit("@", 1)[-1] if "@" in text else ""
    people = []
    if word and " " not in word:
        people = list(
            Profile.objects.filter(is_active=True, user__email__istartswith=word).select_related("user")[:8]
        ) or list(Profile.objects.filter(is_active=True, full_name__istartswith=word).select_related("user")[:8])
    options = [(p.user.email.split("@", 1)[0], p.display_name) for p in people]
    return render(request, "groups/partials/_mention_options.html", {"people": options, "prefix": text[: len(text) - len(word)]})
