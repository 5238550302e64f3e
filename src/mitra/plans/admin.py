"""Django admin for operators (staff)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mitra.plans.models import JointPlan, PlanGoal, PlanReview, PlanVersion


class PlanGoalInline(admin.TabularInline):
    model = PlanGoal
    extra = 0
    raw_id_fields = ("partnership", "created_by", "restricted_department")


@admin.register(JointPlan)
class JointPlanAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "partnership", "year", "status", "agreed_version")
    list_filter = ("status", "year")
    raw_id_fields = (
        "partnership",
        "supplier_agreed_by",
        "customer_agreed_by",
        "created_by",
        "restricted_department",
    )
    inlines = (PlanGoalInline,)


@admin.register(PlanVersion)
class PlanVersionAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "plan", "number", "created_at")
    raw_id_fields = (
        "partnership",
        "plan",
        "supplier_agreed_by",
        "customer_agreed_by",
        "restricted_department",
    )


@admin.register(PlanReview)
class PlanReviewAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "plan", "held_on")
    raw_id_fields = ("partnership", "plan", "recorded_by", "restricted_department")
