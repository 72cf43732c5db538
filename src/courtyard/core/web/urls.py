from django.urls import path

from courtyard.core.web import views

urlpatterns = [
    path("media/<path:name>", views.media, name="media"),
]
