from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from courtyard.accounts.web import allauth_urls
from courtyard.api.api import api
from courtyard.core import views as core_views

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("", include("courtyard.site.web.urls")),
    path("", include("courtyard.core.web.urls")),
    path("people/", include("courtyard.people.web.urls")),
    path("groups/", include("courtyard.groups.web.urls")),
    path("events/", include("courtyard.events.web.urls")),
    path("connect/", include("courtyard.pairing.web.urls")),
    path("kudos/", include("courtyard.recognition.web.urls")),
    path("voice/", include("courtyard.surveys.web.urls")),
    path("welcome/", include("courtyard.welcome.web.urls")),
    path("insights/", include("courtyard.insights.web.urls")),
    path("search/", include("courtyard.search.web.urls")),
    path("notifications/", include("courtyard.notifications.web.urls")),
    path("mail/", include("courtyard.mail.web.urls")),
    path("accounts/", include("courtyard.accounts.web.urls")),
    path("accounts/", include("courtyard.people.web.invitation_urls")),
    path("accounts/", include(allauth_urls.urlpatterns())),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_views.metrics, name="metrics"),
]

handler400 = "courtyard.core.views.bad_request"
handler403 = "courtyard.core.views.permission_denied"
handler404 = "courtyard.core.views.page_not_found"
handler500 = "courtyard.core.views.server_error"
