from django.urls import path

from mitra.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/propose/", views.propose, name="propose"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="detail"),
    path("partnerships/<int:pk>/answer/", views.partnership_answer, name="answer"),
    path("partnerships/<int:pk>/status/", views.partnership_status, name="status"),
    path("partnerships/<int:pk>/charter/", views.partnership_charter, name="charter"),
    path(
        "partnerships/<int:pk>/cells/<int:supplier_department_id>/<int:customer_department_id>/",
        views.bridge_cell,
        name="bridge_cell",
    ),
    path(
        "partnerships/<int:pk>/cells/<int:supplier_department_id>/<int:customer_department_id>/add/",
        views.bridge_add,
        name="bridge_add",
    ),
    path("partnerships/bridges/<int:bridge_id>/edit/", views.bridge_edit, name="bridge_edit"),
    path("partnerships/bridges/<int:bridge_id>/delete/", views.bridge_delete, name="bridge_delete"),
    path(
        "partnerships/invitations/<int:invitation_id>/revoke/",
        views.partner_invitation_revoke,
        name="invitation_revoke",
    ),
    path("partnerships/<int:pk>/contacts/", views.contact_list, name="contacts"),
    path("partnerships/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("partnerships/<int:pk>/contacts/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path(
        "partnerships/<int:pk>/contacts/<int:contact_id>/delete/", views.contact_delete, name="contact_delete"
    ),
    path("join/<str:token>/", views.join, name="join"),
]
