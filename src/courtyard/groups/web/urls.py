from django.urls import path

from courtyard.groups.web import views

app_name = "groups"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("new/", views.create, name="create"),
    path("mentions/", views.mention_suggestions, name="mention_suggestions"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/archive/", views.archive, name="archive"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/request/", views.request_to_join, name="request"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/mute/", views.mute, name="mute"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/invite/", views.invite, name="invite"),
    path("<slug:slug>/members/<str:membership_id>/decide/", views.decide, name="decide"),
    path("<slug:slug>/members/<str:membership_id>/role/", views.set_role, name="set_role"),
    path("<slug:slug>/members/<str:membership_id>/remove/", views.remove, name="remove"),
    path("<slug:slug>/threads/new/", views.thread_new, name="thread_new"),
    path("<slug:slug>/threads/<str:thread_id>/", views.thread, name="thread"),
    path("<slug:slug>/threads/<str:thread_id>/edit/", views.thread_edit, name="thread_edit"),
    path("<slug:slug>/threads/<str:thread_id>/moderate/", views.thread_moderate, name="thread_moderate"),
    path("<slug:slug>/threads/<str:thread_id>/delete/", views.thread_delete, name="thread_delete"),
    path("<slug:slug>/threads/<str:thread_id>/accept/", views.thread_accept, name="thread_accept"),
    path("<slug:slug>/<str:kind>/<str:object_id>/history/", views.history, name="history"),
    path("<slug:slug>/posts/<str:post_id>/edit/", views.post_edit, name="post_edit"),
    path("<slug:slug>/posts/<str:post_id>/delete/", views.post_delete, name="post_delete"),
    path("<slug:slug>/react/", views.react, name="react"),
    path("<slug:slug>/resources/", views.resources, name="resources"),
    path("<slug:slug>/resources/<str:resource_id>/download/", views.resource_download, name="resource_download"),
    path("<slug:slug>/resources/<str:resource_id>/delete/", views.resource_delete, name="resource_delete"),
]
