from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courtyard.core.web.forms import CleanForm
from courtyard.groups.models import Group, Membership
from courtyard.people.web.forms import TagListField


class GroupForm(CleanForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Group.Kind.choices)
    join_policy = forms.ChoiceField(
        label=_("Who can join"), widget=forms.RadioSelect,
        choices=[
            (Group.JoinPolicy.OPEN, _("Anyone: people join with one click")),
            (Group.JoinPolicy.REQUEST, _("By request: people ask, organizers approve")),
            (Group.JoinPolicy.INVITATION, _("By invitation: organizers invite people")),
        ],
    )
    read_access = forms.ChoiceField(
        label=_("Who can read the discussions, library and member list"), widget=forms.RadioSelect, required=False,
        choices=[
            (Group.ReadAccess.MEMBERS, _("Members only: others see the group's name, description and size")),
            (Group.ReadAccess.ORGANIZATION, _("The whole organization: everyone can read, only members write")),
        ],
        help_text=_("Left unchosen: members only when joining is by request or invitation, the whole "
                    "organization when anyone can join. A members-only group joined by invitation is not listed "
                    "at all for people outside it."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the group is about and who it is for. Markdown is supported."),
    )
    tags = TagListField(label=_("Interests"), required=False, max_length=1000,
                        help_text=_("Comma-separated; people with these interests get the group suggested."))
    cover = forms.ImageField(label=_("Cover picture"), required=False,
                             help_text=_("A wide picture (it is cropped to 3:1); JPEG, PNG, WebP or GIF, up to 5 MB."))
    remove_cover = forms.BooleanField(label=_("Remove the cover picture"), required=False)


def with_mention_autocomplete(field: forms.Field) -> None:
    field.widget.attrs.update(
        {
            "list": "mention-options",
            "hx-get": reverse("groups:mention_suggestions"),
            "hx-trigger": "keyup changed delay:250ms",
            "hx-target": "#mention-options",
        }
    )


class ThreadForm(CleanForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown is supported. Mention someone with @ and the first part of their email address."),
    )
    is_question = forms.BooleanField(label=_("This is a question (one reply can be accepted as the answer)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with_mention_autocomplete(self.fields["body"])


class ReplyForm(CleanForm):
    body = forms.CharField(
        label=_("Your reply"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown is supported. Mention someone with @name."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with_mention_autocomplete(self.fields["body"])


class InviteForm(CleanForm):
    email = forms.EmailField(label=_("Email address of the person to invite"))


class RoleForm(CleanForm):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ResourceForm(CleanForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False, max_length=1000, assume_scheme="https")
    file = forms.FileField(label=_("Or a file"), required=False, help_text=_("PDF, images, office documents, text, CSV or ZIP; 10 MB at most."))
    description = forms.CharField(label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class BrowseForm(CleanForm):
    q = forms.CharField(label=_("Search groups"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Group.Kind.choices])
    mine = forms.BooleanField(label=_("Only my groups"), required=False)
    page = forms.IntegerField(required=False, min_value=1)
