from django.urls import path

from courtyard.notifications.web import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("<str:notification_id>/open/", views.open_notification, name="open"),
]
