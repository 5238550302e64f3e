"""Joint business plan: each year, the goals of each side with their KPIs, agreed by both and versioned.

A side writes and changes only its own goals. The plan is agreed when both sides have agreed to the same
goals; that agreement is kept as a numbered snapshot (``PlanVersion``). Any later change to the goals
withdraws both agreements, and the next agreement of both sides makes the next version. The charter's
review cadence drives when the plan is reviewed next (``PlanReview`` records each review).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.core.history import history_user
from mitra.core.tenancy import SharedRecord
from mitra.partnerships.models import Partnership, Side

MIN_YEAR = 2000
MAX_YEAR = 2100


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")


class JointPlan(SharedRecord):
    """The partnership's business plan for one calendar year."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # The number of the latest agreed version (0: never agreed yet).
    agreed_version = models.PositiveIntegerField(_("agreed version"), default=0)
    supplier_agreed_at = models.DateTimeField(_("agreed by the supplier"), null=True, blank=True)
    supplier_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    customer_agreed_at = models.DateTimeField(_("agreed by the customer"), null=True, blank=True)
    customer_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("joint business plan")
        verbose_name_plural = _("joint business plans")
        ordering = ("-year", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("partnership", "year"),
                name="plan_one_per_year",
                violation_error_message=_("This partnership already has a plan for that year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="plan_year_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(supplier_agreed_at__isnull=False, customer_agreed_at__isnull=False),
                name="plan_agreed_by_both",
                violation_error_message=_("A plan is agreed only when both sides agreed to it."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Business plan %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", kwargs={"pk": self.partnership_id, "year": self.year})

    @property
    def last_review_date(self) -> dt.date | None:
        """The latest review's date: annotated by the selectors as ``last_review``, else queried."""
        if hasattr(self, "last_review"):
            return self.last_review
        return self.reviews.aggregate(last=models.Max("held_on"))["last"]

    @property
    def next_review_date(self) -> dt.date:
        return next_review_date(self.year, self.partnership.review_cadence_days, self.last_review_date)

    @property
    def review_overdue(self) -> bool:
        return review_overdue(self.year, self.next_review_date, timezone.localdate())

    @property
    def is_agreed(self) -> bool:
        return self.status == PlanStatus.AGREED

    def agreed_at(self, side: str) -> dt.datetime | None:
        return self.supplier_agreed_at if side == Side.SUPPLIER else self.customer_agreed_at

    def agreed_by(self, side: str) -> object | None:
        return self.supplier_agreed_by if side == Side.SUPPLIER else self.customer_agreed_by


class PlanGoal(SharedRecord):
    """One side's goal for the year, measured by a KPI from a baseline to a target."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plan_goals")
    plan = models.ForeignKey(
        JointPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    title = models.CharField(_("goal"), max_length=200)
    kpi_name = models.CharField(_("KPI"), max_length=120)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")
        ordering = ("plan", "side", "created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(side__in=("supplier", "customer")),
                name="plan_goal_side",
                violation_error_message=_("A goal belongs to the supplier or to the customer."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url() + f"#goal-{self.pk}"

    def snapshot(self) -> dict[str, object]:
        """The goal as it was agreed, for a ``PlanVersion``."""
        return {
            "id": self.pk,
            "side": self.side,
            "title": self.title,
            "kpi_name": self.kpi_name,
            "unit": self.unit,
            "baseline": None if self.baseline is None else str(self.baseline),
            "target": str(self.target),
            "note": self.note,
        }


class PlanVersion(SharedRecord):
    """The goals exactly as both sides agreed to them, numbered 1, 2, 3… per plan. Never changed."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plan_versions")
    plan = models.ForeignKey(
        JointPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan")
    )
    number = models.PositiveIntegerField(_("version"))
    goals = models.JSONField(_("goals"), default=list)
    supplier_agreed_at = models.DateTimeField(_("agreed by the supplier"))
    supplier_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    customer_agreed_at = models.DateTimeField(_("agreed by the customer"))
    customer_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("agreed"), default=timezone.now, editable=False)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ("plan", "-number")
        constraints = [
            models.UniqueConstraint(
                fields=("plan", "number"),
                name="plan_version_unique_number",
                violation_error_message=_("This version of the plan already exists."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="plan_version_from_one",
                violation_error_message=_("Versions are numbered from 1."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Version %(number)s") % {"number": self.number})

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url() + f"#version-{self.number}"

    @property
    def agreed_at(self) -> dt.datetime:
        return max(self.supplier_agreed_at, self.customer_agreed_at)


class PlanReview(SharedRecord):
    """A review of the plan held by both sides; the charter's cadence sets when the next one is due."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plan_reviews")
    plan = models.ForeignKey(
        JointPlan, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("plan")
    )
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by_side = models.CharField(_("recorded by"), max_length=10, choices=Side.choices)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ("plan", "-held_on", "-id")

    def __str__(self) -> str:
        return str(_("Review of %(date)s") % {"date": self.held_on.isoformat()})

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url() + f"#review-{self.pk}"


def next_review_date(year: int, cadence_days: int, last_review: dt.date | None) -> dt.date:
    """The last review plus the charter's cadence; without a review yet, the start of the year plus it."""
    start = last_review or dt.date(year, 1, 1)
    return start + dt.timedelta(days=cadence_days)


def review_overdue(year: int, next_review: dt.date, today: dt.date) -> bool:
    """Overdue when the due date has passed within the plan's year (a plan's reviews end with its year)."""
    return next_review < today and next_review <= dt.date(year, 12, 31)
