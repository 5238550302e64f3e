"""Django admin for operators (staff)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mitra.partnerships.models import Bridge, PartnerInvitation, Partnership


class BridgeInline(admin.TabularInline):
    model = Bridge
    extra = 0
    raw_id_fields = ("supplier_department", "customer_department", "supplier_owner", "customer_owner")


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "status", "tier", "start_date", "created_at")
    list_filter = ("status", "tier")
    search_fields = ("supplier__name", "customer__name")
    raw_id_fields = ("supplier", "customer", "proposed_by", "proposed_by_user")
    inlines = (BridgeInline,)


@admin.register(Bridge)
class BridgeAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "partnership", "cadence_days")
    raw_id_fields = (
        "partnership",
        "supplier_department",
        "customer_department",
        "supplier_owner",
        "customer_owner",
    )


@admin.register(PartnerInvitation)
class PartnerInvitationAdmin(admin.ModelAdmin):
    list_display = ("company_name", "email", "proposer", "created_at", "accepted_at", "declined_at")
    exclude = ("salt", "token_hash")
