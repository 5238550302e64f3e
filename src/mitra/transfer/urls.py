from django.urls import path

from mitra.transfer import views

app_name = "transfer"
BASE = "partnerships/<int:pk>/imports/"
urlpatterns = [
    path(BASE, views.import_list, name="imports"),
    path(BASE + "template/", views.import_template, name="import_template"),
    path(BASE + "<int:run_id>/", views.import_run, name="import_run"),
    path(BASE + "<int:run_id>/map/", views.import_map, name="import_map"),
    path(BASE + "<int:run_id>/check/", views.import_check, name="import_check"),
    path(BASE + "<int:run_id>/commit/", views.import_commit, name="import_commit"),
    path(BASE + "<int:run_id>/status/", views.import_status, name="import_status"),
]
