from django.urls import path

from mitra.moments import views

app_name = "moments"
urlpatterns = [
    path("partnerships/<int:pk>/moments/", views.touchpoint_list, name="list"),
]
