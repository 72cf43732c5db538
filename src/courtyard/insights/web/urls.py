from django.urls import path

from courtyard.insights.web import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kpis.csv", views.dashboard_csv, name="dashboard_csv"),
    path("silo/", views.silo, name="silo"),
    path("silo.csv", views.silo_csv, name="silo_csv"),
    path("goals/", views.goals, name="goals"),
    path("goals/<str:goal_id>/delete/", views.goal_delete, name="goal_delete"),
    path("me/", views.me, name="me"),
    path("me/connector/", views.connector, name="connector"),
]
