from django.urls import path

from mitra.improvement import views

app_name = "improvement"
urlpatterns = [
    path("partnerships/<int:pk>/improvement/", views.initiative_list, name="list"),
    path("partnerships/<int:pk>/improvement/new/", views.initiative_create, name="create"),
    path("partnerships/<int:pk>/improvement/<int:initiative_id>/", views.initiative_detail, name="detail"),
    path(
        "partnerships/<int:pk>/improvement/<int:initiative_id>/stage/", views.initiative_stage, name="stage"
    ),
    path(
        "partnerships/<int:pk>/improvement/<int:initiative_id>/status/",
        views.initiative_status,
        name="status",
    ),
    path(
        "partnerships/<int:pk>/improvement/<int:initiative_id>/measurements/",
        views.measurement_create,
        name="measure",
    ),
]
