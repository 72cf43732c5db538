from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courtyard.core.web.forms import CleanForm
from courtyard.welcome.domain.buddies import DEFAULT_CAPACITY, MAX_CAPACITY


class DismissForm(CleanForm):
    show = forms.BooleanField(required=False)


class BuddyOfferForm(CleanForm):
    offered = forms.BooleanField(label=_("I'd be a buddy"), required=False)
    capacity = forms.IntegerField(label=_("Newcomers at a time"), min_value=1, max_value=MAX_CAPACITY,
                                  initial=DEFAULT_CAPACITY, required=False)


class BuddyChangeForm(CleanForm):
    """The new buddy's profile id (the page offers the members who offered to be one)."""

    buddy = forms.IntegerField(label=_("New buddy"), min_value=1)
