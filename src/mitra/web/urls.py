from django.urls import path

from mitra.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisation/switch/", views.switch_organisation, name="switch_organisation"),
]
