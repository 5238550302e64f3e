from django.urls import path

from mitra.commitments import views

app_name = "commitments"
urlpatterns = [
    path("partnerships/<int:pk>/commitments/", views.commitment_list, name="list"),
]
