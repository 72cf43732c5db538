from django.urls import path

from courtyard.people.web import import_views, views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("tags/", views.tag_autocomplete, name="tag_autocomplete"),
    path("teams/", views.team_options, name="team_options"),
    path("me/edit/", views.profile_edit, name="profile_edit_self"),
    path("import/", import_views.people_import, name="people_import"),
    path("import/confirm/", import_views.people_import_confirm, name="people_import_confirm"),
    path("import/template.csv", import_views.people_import_template, name="people_import_template"),
    path("<str:profile_id>/", views.profile_page, name="profile"),
    path("<str:profile_id>/edit/", views.profile_edit, name="profile_edit"),
    path("<str:profile_id>/photo/", views.profile_photo, name="profile_photo"),
    path("<str:profile_id>/active/", views.profile_set_active, name="profile_set_active"),
    path("<str:profile_id>/follow/", views.profile_follow, name="profile_follow"),
]
