from django.urls import path

from courtyard.pairing.web import views

app_name = "pairing"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("new/", views.create, name="create"),
    path("never/", views.never_pair, name="never_pair"),
    path("never/<str:entry_id>/remove/", views.never_pair_remove, name="never_pair_remove"),
    path("coffee/<str:match_id>/", views.coffee_match, name="coffee_match"),
    path("coffee/<str:match_id>/answer/", views.coffee_answer, name="coffee_answer"),
    path("coffee/<str:match_id>/suggest/", views.coffee_suggest, name="coffee_suggest"),
    path("coffee/<str:match_id>/invite.ics", views.coffee_ics, name="coffee_ics"),
    path("mentorships/<str:match_id>/", views.mentorship, name="mentorship"),
    path("mentorships/<str:match_id>/checkin/", views.mentorship_checkin, name="mentorship_checkin"),
    path("mentorships/<str:match_id>/progress/", views.mentorship_progress, name="mentorship_progress"),
    path("mentorships/<str:match_id>/rematch/", views.mentorship_rematch, name="mentorship_rematch"),
    path("mentorships/<str:match_id>/complete/", views.mentorship_complete, name="mentorship_complete"),
    path("<str:program_id>/", views.program, name="program"),
    path("<str:program_id>/edit/", views.edit, name="edit"),
    path("<str:program_id>/status/", views.set_status, name="status"),
    path("<str:program_id>/join/", views.join, name="join"),
    path("<str:program_id>/leave/", views.leave, name="leave"),
    path("<str:program_id>/snooze/", views.snooze, name="snooze"),
    path("<str:program_id>/pulse/", views.pulse, name="pulse"),
    path("<str:program_id>/run/", views.run, name="run"),
    path("<str:program_id>/review/", views.review, name="review"),
    path("<str:program_id>/publish/", views.publish, name="publish"),
    path("<str:program_id>/matches/<str:match_id>/lock/", views.match_lock, name="match_lock"),
    path("<str:program_id>/matches/<str:match_id>/swap/", views.match_swap, name="match_swap"),
    path("<str:program_id>/members/<str:member_id>/move/", views.team_move, name="team_move"),
    path("<str:program_id>/teams/<str:team_id>/group/", views.team_group, name="team_group"),
    path("<str:program_id>/requests/", views.team_request_add, name="team_request_add"),
    path("<str:program_id>/requests/<str:request_id>/remove/", views.team_request_remove, name="team_request_remove"),
]
