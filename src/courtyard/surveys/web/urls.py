from django.urls import path

from courtyard.surveys.web import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("surveys/<str:survey_id>/", views.survey, name="survey"),
    path("surveys/<str:survey_id>/results/", views.results, name="results"),
    path("surveys/<str:survey_id>/results.csv", views.results_csv, name="results_csv"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.survey_new, name="survey_new"),
    path("manage/questions/", views.questions, name="questions"),
    path("manage/questions/<str:question_id>/active/", views.question_retire, name="question_active"),
    path("manage/pulses/new/", views.pulse_new, name="pulse_new"),
    path("manage/pulses/<str:series_id>/", views.pulse, name="pulse"),
    path("manage/pulses/<str:series_id>/active/", views.pulse_active, name="pulse_active"),
    path("manage/<str:survey_id>/edit/", views.survey_edit, name="survey_edit"),
    path("manage/<str:survey_id>/open/", views.survey_open, name="survey_open"),
    path("manage/<str:survey_id>/close/", views.survey_close, name="survey_close"),
    path("manage/<str:survey_id>/remind/", views.survey_remind, name="survey_remind"),
    path("ideas/", views.ideas, name="ideas"),
    path("ideas/new/", views.idea_new, name="idea_new"),
    path("ideas/mine/", views.ideas_mine, name="ideas_mine"),
    path("ideas/<str:idea_id>/", views.idea, name="idea"),
    path("ideas/<str:idea_id>/vote/", views.idea_vote, name="idea_vote"),
    path("ideas/<str:idea_id>/status/", views.idea_status, name="idea_status"),
    path("ideas/<str:idea_id>/reply/", views.idea_reply, name="idea_reply"),
    path("actions/", views.actions, name="actions"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<str:action_id>/", views.action, name="action"),
]
