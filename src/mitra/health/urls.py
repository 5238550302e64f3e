from django.urls import path

from mitra.health import views

app_name = "health"
ALERT = "partnerships/<int:pk>/health/alerts/<int:alert_id>/"
urlpatterns = [
    path("health/", views.portfolio, name="portfolio"),
    path("partnerships/<int:pk>/health/", views.health_detail, name="detail"),
    path(ALERT + "acknowledge/", views.alert_acknowledge, name="acknowledge"),
    path(ALERT + "adopt/", views.alert_adopt, name="adopt"),
    path("partnerships/<int:pk>/health/weights/", views.weights_propose, name="propose"),
    path("partnerships/<int:pk>/health/weights/agree/", views.weights_agree, name="agree"),
    path("partnerships/<int:pk>/health/weights/decline/", views.weights_decline, name="decline"),
]
