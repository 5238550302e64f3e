"""Django admin for operators (staff)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mitra.improvement.models import Initiative, Measurement


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    raw_id_fields = ("recorded_by",)


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ("title", "partnership", "stage", "cycle", "status", "target_date")
    list_filter = ("status", "stage")
    search_fields = ("title", "kpi_name")
    raw_id_fields = (
        "partnership",
        "supplier_owner",
        "customer_owner",
        "created_by",
        "restricted_department",
        "source_cases",
    )
    inlines = (MeasurementInline,)


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ("initiative", "measured_on", "value", "recorded_side")
    raw_id_fields = ("initiative", "recorded_by")
