from django.urls import path

from mitra.accounts import views

app_name = "accounts"
urlpatterns = [
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("settings/", views.organisation_settings, name="settings"),
    path("settings/departments/", views.departments, name="departments"),
    path(
        "settings/departments/<int:department_id>/rename/", views.department_rename, name="department_rename"
    ),
    path(
        "settings/departments/<int:department_id>/delete/", views.department_delete, name="department_delete"
    ),
    path("settings/members/", views.members, name="members"),
    path("settings/members/<int:membership_id>/", views.member_edit, name="member_edit"),
    path(
        "settings/members/<int:membership_id>/deactivate/", views.member_deactivate, name="member_deactivate"
    ),
    path("settings/invitations/", views.invitations, name="invitations"),
    path(
        "settings/invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"
    ),
    path("settings/tokens/", views.tokens, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("settings/security/", views.security_log, name="security"),
]
