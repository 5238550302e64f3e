"""Django admin for operators (staff). Survey tokens are never shown: only their hash is stored."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mitra.moments.models import SurveyRequest, Touchpoint


@admin.register(Touchpoint)
class TouchpointAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "partnership", "kind", "outcome", "occurred_at", "on_time", "in_full")
    list_filter = ("kind", "outcome")
    search_fields = ("summary",)
    raw_id_fields = ("partnership", "bridge", "recorded_by", "restricted_department")


@admin.register(SurveyRequest)
class SurveyRequestAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "partnership", "recipient", "answered_at", "csat", "nps", "expires_at")
    raw_id_fields = ("partnership", "touchpoint", "recipient", "sent_by", "restricted_department")
    exclude = ("salt", "token_hash")
