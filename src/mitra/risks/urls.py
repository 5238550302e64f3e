from django.urls import path

from mitra.risks import views

app_name = "risks"
urlpatterns = [
    path("partnerships/<int:pk>/risks/", views.risk_list, name="list"),
    path("partnerships/<int:pk>/risks/new/", views.risk_create, name="create"),
    path("partnerships/<int:pk>/risks/<int:risk_id>/", views.risk_detail, name="detail"),
    path("partnerships/<int:pk>/risks/<int:risk_id>/edit/", views.risk_edit, name="edit"),
]
