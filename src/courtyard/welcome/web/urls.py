from django.urls import path

from courtyard.welcome.web import views

app_name = "welcome"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("dismiss/", views.dismiss, name="dismiss"),
    path("buddy-offer/", views.buddy_offer, name="buddy_offer"),
    path("buddy-request/", views.buddy_request, name="buddy_request"),
    path("integration/", views.integration, name="integration"),
    path("buddies/<str:buddying_id>/", views.buddying, name="buddying"),
    path("buddies/<str:buddying_id>/met/", views.buddying_met, name="buddying_met"),
    path("buddies/<str:buddying_id>/change/", views.buddying_change, name="buddying_change"),
]
