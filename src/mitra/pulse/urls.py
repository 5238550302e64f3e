from django.urls import path

from mitra.pulse import views

app_name = "pulse"
urlpatterns = [
    path("partnerships/<int:pk>/pulse/", views.pulse_overview, name="overview"),
]
