from django.urls import path

from courtyard.site.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
