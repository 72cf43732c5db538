from django.urls import path

from courtyard.events.web import views

app_name = "events"
urlpatterns = [
    path("", views.browse, name="list"),
    path("calendar/", views.calendar, name="calendar"),
    path("new/", views.create, name="create"),
    path("checkin/", views.checkin_with_code, name="checkin_with_code"),
    path("subscribe/", views.subscription, name="subscription"),
    path("feed/<str:token>.ics", views.feed_personal, name="feed_personal"),
    path("feed/<str:token>/organization.ics", views.feed_organization, name="feed_organization"),
    path("<str:event_id>/", views.detail, name="detail"),
    path("<str:event_id>/edit/", views.edit, name="edit"),
    path("<str:event_id>/cancel/", views.cancel, name="cancel"),
    path("<str:event_id>/cover.jpg", views.cover, name="cover"),
    path("<str:event_id>/event.ics", views.event_ics, name="event_ics"),
    path("<str:event_id>/media/<str:media_id>/", views.media_file, name="media_file"),
    path("<str:event_id>/media/<str:media_id>/delete/", views.media_delete, name="media_delete"),
    path("<str:event_id>/<str:occurrence_id>/", views.occurrence, name="occurrence"),
    path("<str:event_id>/<str:occurrence_id>/rsvp/", views.rsvp, name="rsvp"),
    path("<str:event_id>/<str:occurrence_id>/change/", views.occurrence_edit, name="occurrence_edit"),
    path("<str:event_id>/<str:occurrence_id>/cancel/", views.occurrence_cancel, name="occurrence_cancel"),
    path("<str:event_id>/<str:occurrence_id>/checkin/", views.checkin, name="checkin"),
    path("<str:event_id>/<str:occurrence_id>/checkin/code/", views.checkin_code_reset, name="checkin_code_reset"),
    path("<str:event_id>/<str:occurrence_id>/answers/<str:rsvp_id>/remove/", views.answer_remove, name="answer_remove"),
    path("<str:event_id>/<str:occurrence_id>/self-checkin/", views.self_checkin, name="self_checkin"),
    path("<str:event_id>/<str:occurrence_id>/attendees.csv", views.attendees_csv, name="attendees_csv"),
    path("<str:event_id>/<str:occurrence_id>/feedback/", views.feedback, name="feedback"),
    path("<str:event_id>/<str:occurrence_id>/feedback/results/", views.feedback_results, name="feedback_results"),
    path("<str:event_id>/<str:occurrence_id>/media/", views.media_add, name="media_add"),
    path("<str:event_id>/<str:occurrence_id>/occurrence.ics", views.occurrence_ics, name="occurrence_ics"),
]
