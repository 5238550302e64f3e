from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mitra.commitments.models import Commitment


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "partnership", "owner_side", "due_date", "status", "proactive")
    list_filter = ("status", "owner_side", "proactive")
    search_fields = ("title",)
    raw_id_fields = ("partnership", "owner", "bridge", "done_by", "acknowledged_by", "created_by")
    readonly_fields = ("created_at", "updated_at")
