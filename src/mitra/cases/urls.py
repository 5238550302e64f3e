from django.urls import path

from mitra.cases import views

app_name = "cases"
C = "partnerships/<int:pk>/cases/<int:case_id>/"
urlpatterns = [
    path("partnerships/<int:pk>/cases/", views.case_list, name="list"),
    path("partnerships/<int:pk>/cases/new/", views.case_create, name="create"),
    path(C, views.case_detail, name="detail"),
    path(C + "edit/", views.case_edit, name="edit"),
    path(C + "outcome/confirm/", views.case_outcome_confirm, name="outcome_confirm"),
    path(C + "options/", views.option_add, name="option_add"),
    path(C + "choose/", views.case_choose, name="choose"),
    path(C + "resolve/", views.case_resolve, name="resolve"),
    path(C + "confirm/", views.case_confirm, name="confirm"),
    path(C + "dispute/", views.case_dispute, name="dispute"),
]
