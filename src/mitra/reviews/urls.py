from django.urls import path

from mitra.reviews import views

app_name = "reviews"

urlpatterns = [
    path("partnerships/<int:pk>/review/", views.review_page, name="page"),
]
