from django.urls import path

from courtyard.mail.web import views

app_name = "mail"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("resume/", views.resume, name="resume"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<str:message_id>/", views.outbox_message, name="outbox_message"),
    path("outbox/<str:message_id>/html/", views.outbox_message_html, name="outbox_message_html"),
]
