from django.urls import path

from mitra.reviews import views

app_name = "reviews"

urlpatterns = [
    path("partnerships/<int:pk>/review/", views.review_page, name="page"),
    path(
        "partnerships/<int:pk>/review/prepared/<int:review_id>/",
        views.prepared_download,
        name="prepared",
    ),
]
