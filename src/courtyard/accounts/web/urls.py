from django.urls import path

from courtyard.accounts.web import views

urlpatterns = [
    path("security/", views.security, name="account_security"),
    path("security/sessions/<str:session_id>/revoke/", views.session_revoke, name="session_revoke"),
    path("security/sessions/revoke-others/", views.sessions_revoke_others, name="sessions_revoke_others"),
    path("security/tokens/", views.token_create, name="token_create"),
    path("security/tokens/<str:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
