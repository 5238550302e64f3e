from django.urls import path

from mitra.moments import views

app_name = "moments"
urlpatterns = [
    path("partnerships/<int:pk>/moments/", views.touchpoint_list, name="list"),
    path("partnerships/<int:pk>/moments/new/", views.touchpoint_create, name="create"),
    path("partnerships/<int:pk>/moments/<int:touchpoint_id>/", views.touchpoint_detail, name="detail"),
    path("partnerships/<int:pk>/moments/<int:touchpoint_id>/edit/", views.touchpoint_edit, name="edit"),
    path("partnerships/<int:pk>/moments/<int:touchpoint_id>/surveys/", views.survey_send, name="survey_send"),
    path("s/<str:token>/", views.survey, name="survey"),
]
