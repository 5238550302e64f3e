from django.urls import path

from mitra.plans import views

app_name = "plans"
urlpatterns = [
    path("partnerships/<int:pk>/plan/", views.plan_list, name="list"),
]
