from django.urls import path

from mitra.risks import views

app_name = "risks"
urlpatterns = [
    path("partnerships/<int:pk>/risks/", views.risk_list, name="list"),
]
