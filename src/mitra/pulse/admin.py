"""Django admin for operators (staff)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mitra.pulse.models import PulseResponse, PulseRound


@admin.register(PulseRound)
class PulseRoundAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "partnership", "opened_at", "closes_at")
    list_filter = ("quarter",)
    search_fields = ("partnership__supplier__name", "partnership__customer__name", "quarter")
    raw_id_fields = ("partnership", "restricted_department", "opened_by")


@admin.register(PulseResponse)
class PulseResponseAdmin(SimpleHistoryAdmin):
    # Operators see answers in aggregate only as well: no respondent column.
    list_display = ("round", "bridge", "side", "answered_at")
    list_filter = ("side",)
    raw_id_fields = ("partnership", "restricted_department", "round", "bridge", "respondent")
