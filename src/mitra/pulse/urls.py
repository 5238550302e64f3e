from django.urls import path

from mitra.pulse import views

app_name = "pulse"
urlpatterns = [
    path("partnerships/<int:pk>/pulse/", views.pulse_overview, name="overview"),
    path("partnerships/<int:pk>/pulse/open/", views.pulse_open, name="open"),
    path(
        "partnerships/<int:pk>/pulse/<int:round_id>/bridges/<int:bridge_id>/answer/",
        views.pulse_answer,
        name="answer",
    ),
]
