"""Django admin for operators (staff)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mitra.value.models import ValueEntry


@admin.register(ValueEntry)
class ValueEntryAdmin(SimpleHistoryAdmin):
    list_display = ("title", "partnership", "beneficiary_side", "category", "amount", "currency", "status")
    list_filter = ("status", "category", "beneficiary_side")
    search_fields = ("title",)
    raw_id_fields = (
        "partnership",
        "restricted_department",
        "case",
        "initiative",
        "recorded_by",
        "confirmed_by",
        "disputed_by",
    )
