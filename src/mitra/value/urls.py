from django.urls import path

from mitra.value import views

app_name = "value"
urlpatterns = [
    path("partnerships/<int:pk>/value/", views.value_list, name="list"),
]
