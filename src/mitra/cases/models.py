"""Cases: a problem raised by either side, solved around what the customer really wants most.

A case carries the customer's **desired outcome** in the customer's own words. Both sides propose options,
each valued for the customer and for the supplier (−2…+2); one is chosen (with a written justification
when it is not win-win), the supplier side resolves the case and only the customer side closes it, by
confirming the desired outcome was met, or reopens it by disputing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.accounts.models import Membership
from mitra.core.history import history_user
from mitra.core.tenancy import SharedRecord
from mitra.partnerships.models import Partnership, Side


class CaseSeverity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class CaseCategory(models.TextChoices):
    QUALITY = "quality", _("Quality")
    DELIVERY = "delivery", _("Delivery")
    INVOICING = "invoicing", _("Invoicing")
    SERVICE = "service", _("Service")
    PRODUCT = "product", _("Product")
    COMMUNICATION = "communication", _("Communication")
    OTHER = "other", _("Other")


class CaseRootCause(models.TextChoices):
    PROCESS = "process", _("Process")
    PEOPLE = "people", _("People")
    MATERIAL = "material", _("Material")
    EQUIPMENT = "equipment", _("Equipment")
    METHOD = "method", _("Method")
    MEASUREMENT = "measurement", _("Measurement")
    ENVIRONMENT = "environment", _("Environment")
    COMMUNICATION = "communication", _("Communication")
    UNKNOWN = "unknown", _("Unknown")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class OptionEffort(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# Time to resolution, per severity. ``settings.MITRA_CASE_SLA_HOURS`` may override any of them.
DEFAULT_SLA_HOURS: dict[str, int] = {
    CaseSeverity.CRITICAL: 24,
    CaseSeverity.HIGH: 72,
    CaseSeverity.MEDIUM: 7 * 24,
    CaseSeverity.LOW: 14 * 24,
}

# Cases still waiting for the supplier side's resolution: their SLA clock runs.
ACTIVE_STATUSES = (CaseStatus.OPEN, CaseStatus.IN_PROGRESS)

# A root cause seen this many times in the last year is recurring.
RECURRING_AT = 3


def sla_hours(severity: str) -> int:
    overrides = getattr(settings, "MITRA_CASE_SLA_HOURS", {}) or {}
    return int(overrides.get(severity, DEFAULT_SLA_HOURS[severity]))


def sla_due(severity: str, raised_at: dt.datetime) -> dt.datetime:
    return raised_at + dt.timedelta(hours=sla_hours(severity))


class Case(SharedRecord):
    """A problem between the partners, raised by either side, with what the customer really wants most."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    severity = models.CharField(
        _("severity"), max_length=10, choices=CaseSeverity.choices, default=CaseSeverity.MEDIUM
    )
    category = models.CharField(
        _("category"), max_length=20, choices=CaseCategory.choices, default=CaseCategory.OTHER
    )
    root_cause = models.CharField(
        _("root-cause category"), max_length=20, choices=CaseRootCause.choices, blank=True, default=""
    )
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    raised_by_side = models.CharField(_("raised by"), max_length=10, choices=Side.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # What the customer really wants most, in the customer's words.
    desired_outcome = models.TextField(_("desired outcome"), max_length=4000)
    outcome_stated_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outcome stated by"),
    )
    outcome_entered_by_side = models.CharField(_("outcome entered by"), max_length=10, choices=Side.choices)
    outcome_confirmed_at = models.DateTimeField(_("outcome confirmed"), null=True, blank=True)
    outcome_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    anticipated_by = models.ForeignKey(
        "risks.Risk",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("anticipated by risk"),
    )

    chosen_option = models.ForeignKey(
        "cases.CaseOption",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen option"),
    )
    justification = models.TextField(_("justification"), blank=True, max_length=4000)
    chosen_at = models.DateTimeField(_("option chosen"), null=True, blank=True)

    resolution_note = models.TextField(_("resolution note"), blank=True, max_length=4000)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dispute_count = models.PositiveIntegerField(_("disputes"), default=0)
    dispute_reason = models.TextField(_("last dispute reason"), blank=True, max_length=2000)
    disputed_at = models.DateTimeField(_("last disputed"), null=True, blank=True)

    sla_due_at = models.DateTimeField(_("resolution due"))
    sla_breached_at = models.DateTimeField(_("SLA breached"), null=True, blank=True)

    created_at = models.DateTimeField(_("raised"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("partnership", "status"), name="case_partnership_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(desired_outcome=""),
                name="case_has_desired_outcome",
                violation_error_message=_("Write the customer's desired outcome, in the customer's words."),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed")
                | Q(closed_at__isnull=False, outcome_confirmed_at__isnull=False),
                name="case_closed_with_confirmed_outcome",
                violation_error_message=_("A closed case has its desired outcome confirmed."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"pk": self.partnership_id, "case_id": self.pk})

    @property
    def outcome_confirmed(self) -> bool:
        return self.outcome_confirmed_at is not None

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class CaseOption(SharedRecord):
    """One way to solve a case, valued for each side from −2 (hurts) to +2 (helps a lot)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="case_options")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="options", verbose_name=_("case"))
    summary = models.CharField(_("summary"), max_length=300)
    value_to_customer = models.SmallIntegerField(_("value to the customer (−2…+2)"), default=0)
    value_to_supplier = models.SmallIntegerField(_("value to the supplier (−2…+2)"), default=0)
    effort = models.CharField(
        _("effort"), max_length=10, choices=OptionEffort.choices, default=OptionEffort.MEDIUM
    )
    proposed_by_side = models.CharField(_("proposed by"), max_length=10, choices=Side.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ("case", "created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(value_to_customer__gte=-2, value_to_customer__lte=2)
                & Q(value_to_supplier__gte=-2, value_to_supplier__lte=2),
                name="case_option_values_minus_2_to_2",
                violation_error_message=_("Values are between −2 and +2."),
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"pk": self.partnership_id, "case_id": self.case_id}) + (
            f"#option-{self.pk}"
        )

    @property
    def is_win_win(self) -> bool:
        """Neither side loses (both values at least 0)."""
        return self.value_to_customer >= 0 and self.value_to_supplier >= 0
