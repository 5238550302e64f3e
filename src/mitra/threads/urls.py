from django.urls import path

from mitra.threads import views

app_name = "threads"
urlpatterns = [
    path("partnerships/<int:pk>/timeline/", views.timeline, name="timeline"),
]
