from django.urls import path

from mitra.value import views

app_name = "value"
urlpatterns = [
    path("partnerships/<int:pk>/value/", views.value_list, name="list"),
    path("partnerships/<int:pk>/value/new/", views.value_create, name="create"),
    path("partnerships/<int:pk>/value/<int:entry_id>/", views.value_detail, name="detail"),
    path("partnerships/<int:pk>/value/<int:entry_id>/edit/", views.value_edit, name="edit"),
    path("partnerships/<int:pk>/value/<int:entry_id>/confirm/", views.value_confirm, name="confirm"),
    path("partnerships/<int:pk>/value/<int:entry_id>/dispute/", views.value_dispute, name="dispute"),
]
