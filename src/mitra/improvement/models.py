"""Improvement initiatives (*paradigma baru*): a joint PDCA effort with owners on both sides and one KPI.

An initiative moves through the PDCA stages (plan → do → check → act, and act → plan starts a new cycle).
Its KPI has a baseline, a target on the right side of the baseline for its direction, and dated
measurements; progress is the share of the way from the baseline to the target that the latest
measurement has covered.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.accounts.models import Membership
from mitra.core.history import history_user
from mitra.core.tenancy import SharedRecord
from mitra.partnerships.models import Partnership, Side

KPI_DIGITS = 18
KPI_PLACES = 4


class Stage(models.TextChoices):
    PLAN = "plan", _("Plan")
    DO = "do", _("Do")
    CHECK = "check", _("Check")
    ACT = "act", _("Act")


# Each stage's one allowed successor; act → plan starts a new cycle.
NEXT_STAGE: dict[str, str] = {
    Stage.PLAN: Stage.DO,
    Stage.DO: Stage.CHECK,
    Stage.CHECK: Stage.ACT,
    Stage.ACT: Stage.PLAN,
}


class InitiativeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")


class Initiative(SharedRecord):
    """A joint improvement both sides own: the problem, the idea, a PDCA stage and one KPI."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("problem and idea"), max_length=4000, blank=True)
    stage = models.CharField(_("PDCA stage"), max_length=5, choices=Stage.choices, default=Stage.PLAN)
    cycle = models.PositiveSmallIntegerField(_("PDCA cycle"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=InitiativeStatus.choices, default=InitiativeStatus.ACTIVE
    )
    supplier_owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier owner"),
    )
    customer_owner = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer owner"),
    )
    start_date = models.DateField(_("start date"))
    target_date = models.DateField(_("target date"))
    kpi_name = models.CharField(_("KPI"), max_length=120)
    kpi_unit = models.CharField(_("unit"), max_length=30, blank=True)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    baseline = models.DecimalField(_("baseline"), max_digits=KPI_DIGITS, decimal_places=KPI_PLACES)
    target = models.DecimalField(_("target"), max_digits=KPI_DIGITS, decimal_places=KPI_PLACES)
    source_cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="initiatives", verbose_name=_("started from cases")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_side = models.CharField(_("created by side"), max_length=10, choices=Side.choices)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user, excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("partnership", "status"), name="initiative_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values),
                name="initiative_stage_valid",
                violation_error_message=_("Choose a PDCA stage: plan, do, check or act."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatus.values),
                name="initiative_status_valid",
                violation_error_message=_("Choose a status: active, completed or abandoned."),
            ),
            models.CheckConstraint(
                condition=Q(direction=Direction.INCREASE, target__gt=F("baseline"))
                | Q(direction=Direction.DECREASE, target__lt=F("baseline")),
                name="initiative_target_beyond_baseline",
                violation_error_message=_(
                    "The target must be above the baseline for a KPI to increase, below it for one to decrease."
                ),
            ),
            models.CheckConstraint(
                condition=Q(target_date__gte=F("start_date")),
                name="initiative_target_date_after_start",
                violation_error_message=_("The target date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(cycle__gte=1),
                name="initiative_cycle_positive",
                violation_error_message=_("The PDCA cycle starts at 1."),
            ),
            models.CheckConstraint(
                condition=Q(status=InitiativeStatus.ACTIVE, closed_at__isnull=True)
                | (~Q(status=InitiativeStatus.ACTIVE) & Q(closed_at__isnull=False)),
                name="initiative_closed_when_not_active",
                violation_error_message=_("A completed or abandoned initiative has a closing time."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:detail", kwargs={"pk": self.partnership_id, "initiative_id": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status == InitiativeStatus.ACTIVE

    @property
    def next_stage(self) -> str:
        return NEXT_STAGE[self.stage]


class Measurement(models.Model):
    """One dated value of an initiative's KPI. One per date per initiative."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("initiative")
    )
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=KPI_DIGITS, decimal_places=KPI_PLACES)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_side = models.CharField(_("recorded by side"), max_length=10, choices=Side.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ("initiative", "measured_on")
        constraints = [
            models.UniqueConstraint(
                fields=("initiative", "measured_on"),
                name="measurement_one_per_date",
                violation_error_message=_("This initiative already has a measurement on that date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.measured_on}: {self.value}"

    def get_absolute_url(self) -> str:
        return self.initiative.get_absolute_url()

    # What the timeline needs of a subject: it lives where its initiative lives.
    @property
    def partnership(self) -> Any:
        return self.initiative.partnership

    @property
    def restricted_department_id(self) -> int | None:
        return self.initiative.restricted_department_id
