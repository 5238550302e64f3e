from django.urls import path

from mitra.cases import views

app_name = "cases"
urlpatterns = [
    path("partnerships/<int:pk>/cases/", views.case_list, name="list"),
]
