"""Django admin for operators (staff)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mitra.risks.models import Risk


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ("title", "partnership", "likelihood", "impact", "status", "raised_by_side", "created_at")
    list_filter = ("status", "raised_by_side")
    search_fields = ("title",)
    raw_id_fields = ("partnership", "owner", "created_by", "restricted_department")
