"""Sending an invitation, at /accounts/invitations/new/ beside the rest of the invitation (accounts/web/urls.py)."""

from django.urls import path

from courtyard.people.web import invitation_views

urlpatterns = [
    path("invitations/new/", invitation_views.invitation_new, name="invitation_new"),
]
