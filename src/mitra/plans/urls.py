from django.urls import path

from mitra.plans import views

app_name = "plans"
urlpatterns = [
    path("partnerships/<int:pk>/plan/", views.plan_list, name="list"),
    path("partnerships/<int:pk>/plan/new/", views.plan_create, name="create"),
    path("partnerships/<int:pk>/plan/<int:year>/", views.plan_detail, name="detail"),
    path("partnerships/<int:pk>/plan/<int:year>/goals/new/", views.goal_add, name="goal_add"),
    path(
        "partnerships/<int:pk>/plan/<int:year>/goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"
    ),
    path(
        "partnerships/<int:pk>/plan/<int:year>/goals/<int:goal_id>/delete/",
        views.goal_delete,
        name="goal_delete",
    ),
    path("partnerships/<int:pk>/plan/<int:year>/agree/", views.plan_agree, name="agree"),
    path("partnerships/<int:pk>/plan/<int:year>/reviews/new/", views.review_add, name="review_add"),
]
