"""Django admin for operators (staff): discussions, notifications and the timeline, read mostly."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mitra.threads.models import Comment, Event, Notification


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "partnership", "kind", "object_id", "author_side", "created_at")
    list_filter = ("kind", "author_side")
    raw_id_fields = ("partnership", "restricted_department", "author")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "recipient", "verb", "created_at", "read_at", "emailed_at")
    list_filter = ("verb",)
    raw_id_fields = ("recipient", "partnership", "comment", "actor")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("__str__", "partnership", "actor_side", "at")
    list_filter = ("kind", "verb")
    raw_id_fields = ("partnership", "restricted_department", "actor_user")
