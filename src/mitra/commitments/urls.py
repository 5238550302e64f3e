from django.urls import path

from mitra.commitments import views

app_name = "commitments"
ONE = "partnerships/<int:pk>/commitments/<int:commitment_id>/"
urlpatterns = [
    path("partnerships/<int:pk>/commitments/", views.commitment_list, name="list"),
    path("partnerships/<int:pk>/commitments/new/", views.commitment_create, name="create"),
    path(ONE, views.commitment_detail, name="detail"),
    path(ONE + "edit/", views.commitment_edit, name="edit"),
    path(ONE + "done/", views.commitment_done, name="done"),
    path(ONE + "acknowledge/", views.commitment_acknowledge, name="acknowledge"),
    path(ONE + "cancel/", views.commitment_cancel, name="cancel"),
]
