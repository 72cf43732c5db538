"""The project's URLs plus a bare view that goes through the same middleware (the load baseline)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [
    path("__bench__/hello/", hello),
    path("", include("courtyard.config.urls")),
]
