from django.urls import path

from mitra.improvement import views

app_name = "improvement"
urlpatterns = [
    path("partnerships/<int:pk>/improvement/", views.initiative_list, name="list"),
]
