from django.urls import path

from courtyard.recognition.web import views

app_name = "recognition"
urlpatterns = [
    path("", views.wall, name="wall"),
    path("new/", views.send, name="send"),
    path("suggest/", views.suggest, name="suggest"),
    path("points/", views.points, name="points"),
    path("celebrations/", views.celebrations, name="celebrations"),
    path("celebrations/settings/", views.celebration_settings, name="celebration_settings"),
    path("badges/", views.badges, name="badges"),
    path("team/", views.manager, name="manager"),
    path("spotlight/", views.spotlight, name="spotlight"),
    path("spotlight/<str:entry_id>/remove/", views.spotlight_remove, name="spotlight_remove"),
    path("manage/", views.manage, name="manage"),
    path("manage/values/", views.value_create, name="value_create"),
    path("manage/values/<str:value_id>/", views.value_edit, name="value_edit"),
    path("manage/badges/", views.badge_create, name="badge_create"),
    path("manage/badges/<str:badge_id>/award/", views.badge_award, name="badge_award"),
    path("manage/badges/<str:badge_id>/active/", views.badge_active, name="badge_active"),
    path("manage/awards/<str:award_id>/remove/", views.award_remove, name="award_remove"),
    path("<str:kudos_id>/", views.detail, name="detail"),
    path("<str:kudos_id>/plus-one/", views.plus_one, name="plus_one"),
    path("<str:kudos_id>/react/", views.react, name="react"),
    path("<str:kudos_id>/delete/", views.delete, name="delete"),
    path("<str:kudos_id>/spotlight/", views.spotlight_kudos, name="spotlight_kudos"),
]
