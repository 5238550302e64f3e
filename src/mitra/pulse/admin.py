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
class PulseResponseAdmin(admin.ModelAdmin):
    # Operators do not see who answered either: no respondent field, and no history view (its rows carry
    # the answering user as the author of the change).
    list_display = ("round", "bridge", "side", "answered_at")
    list_filter = ("side",)
    exclude = ("respondent",)
    raw_id_fields = ("partnership", "restricted_department", "round", "bridge")
