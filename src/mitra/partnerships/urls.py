from django.urls import path

from mitra.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="detail"),
    path("join/<str:token>/", views.join, name="join"),
]
