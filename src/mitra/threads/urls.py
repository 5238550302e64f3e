from django.urls import path

from mitra.threads import views

app_name = "threads"
urlpatterns = [
    path("partnerships/<int:pk>/timeline/", views.timeline, name="timeline"),
    path("partnerships/<int:pk>/threads/<str:kind>/<int:object_id>/", views.thread, name="thread"),
    path("partnerships/<int:pk>/comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path(
        "partnerships/<int:pk>/comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/badge/", views.notification_badge, name="notification_badge"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="notification_read"),
]
