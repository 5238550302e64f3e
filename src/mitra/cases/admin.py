"""Django admin for operators (staff)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mitra.cases.models import Case, CaseOption


class CaseOptionInline(admin.TabularInline):
    model = CaseOption
    extra = 0
    raw_id_fields = ("partnership", "restricted_department", "created_by")


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("title", "partnership", "severity", "status", "root_cause", "sla_due_at", "created_at")
    list_filter = ("status", "severity", "category", "root_cause")
    search_fields = ("title",)
    raw_id_fields = (
        "partnership",
        "restricted_department",
        "raised_by",
        "outcome_stated_by",
        "outcome_confirmed_by",
        "anticipated_by",
        "chosen_option",
        "resolved_by",
        "closed_by",
    )
    inlines = (CaseOptionInline,)


@admin.register(CaseOption)
class CaseOptionAdmin(SimpleHistoryAdmin):
    list_display = ("summary", "case", "value_to_customer", "value_to_supplier", "effort")
    raw_id_fields = ("partnership", "restricted_department", "case", "created_by")
