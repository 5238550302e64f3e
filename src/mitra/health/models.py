"""Weekly health snapshots: what ``compute_health`` returns, stored per partnership and ISO week.

Snapshots are derived data (``health_recompute`` rewrites them from the records), so they keep no history.
The agreed weights and bands (``HealthSettings``) and the early-warning alerts (``HealthAlert``) are kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mitra.core.history import history_user
from mitra.partnerships.models import Partnership, Side


class HealthSnapshot(models.Model):
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="health_snapshots",
        verbose_name=_("partnership"),
    )
    week = models.DateField(_("week"), help_text=_("The Monday of the ISO week."))
    score = models.FloatField(_("score"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=10)
    delta_1w = models.FloatField(_("change over 1 week"), null=True, blank=True)
    delta_4w = models.FloatField(_("change over 4 weeks"), null=True, blank=True)
    dimensions = models.JSONField(_("dimensions"), default=dict)
    drivers = models.JSONField(_("drivers"), default=list)
    weights = models.JSONField(_("weights"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("health snapshot")
        verbose_name_plural = _("health snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "week"],
                name="health_snapshot_unique_week",
                violation_error_message=_("There is already a snapshot for this partnership and week."),
            ),
        ]
        indexes = [models.Index(fields=["partnership", "-week"], name="health_snapshot_latest")]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.week}: {self.score}"


def default_weights() -> dict[str, float]:
    from mitra.health.engine import DEFAULT_WEIGHTS

    return dict(DEFAULT_WEIGHTS)


class HealthSettings(models.Model):
    """The weights and colour bands both sides agreed for one partnership, and a pending proposal.

    One side proposes; only the other side can agree (the proposal then becomes the agreed settings and
    the partnership's history is recomputed with them) or decline; the proposing side can withdraw it.
    Until a first agreement the defaults apply. Both sides read the same row.
    """

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="health_settings", verbose_name=_("partnership")
    )
    weights = models.JSONField(_("weights"), default=default_weights)
    red_below = models.FloatField(_("red below"), default=50.0)
    green_from = models.FloatField(_("green from"), default=70.0)
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_weights = models.JSONField(_("proposed weights"), null=True, blank=True)
    proposed_red_below = models.FloatField(_("proposed red below"), null=True, blank=True)
    proposed_green_from = models.FloatField(_("proposed green from"), null=True, blank=True)
    proposed_by_side = models.CharField(_("proposed by"), max_length=10, choices=Side.choices, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    proposal_note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("health settings")
        verbose_name_plural = _("health settings")

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.weights}"

    def get_absolute_url(self) -> str:
        return reverse("health:detail", args=[self.partnership_id]) + "#weights"

    @property
    def has_proposal(self) -> bool:
        return self.proposed_weights is not None


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class AlertPriority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


ACTIVE_ALERT_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class HealthAlert(models.Model):
    """An early warning raised by a rule on the weekly snapshots (``engine.alerts``).

    At most one active (open or acknowledged) alert per partnership, type and reason; the weekly
    reconciliation refreshes it while the condition holds and closes it when the condition clears.
    Acknowledging says someone is on it; adopting its playbook creates the suggested commitments.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="health_alerts", verbose_name=_("partnership")
    )
    type = models.CharField(_("type"), max_length=30)
    reason = models.CharField(_("reason"), max_length=60)
    priority = models.CharField(_("priority"), max_length=10, choices=AlertPriority.choices)
    dimension = models.CharField(_("dimension"), max_length=30, blank=True)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    week = models.DateField(_("week"), help_text=_("The latest ISO week (Monday) the condition held."))
    opened_week = models.DateField(_("opened week"))
    status = models.CharField(
        _("status"), max_length=15, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_why = models.CharField(_("closed because"), max_length=20, blank=True)
    adopted_at = models.DateTimeField(_("playbook adopted"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    commitments = models.ManyToManyField(
        "commitments.Commitment", blank=True, related_name="health_alerts", verbose_name=_("commitments")
    )

    class Meta:
        verbose_name = _("health alert")
        verbose_name_plural = _("health alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "type", "reason"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="health_alert_one_active",
                violation_error_message=_("This alert is already open for the partnership."),
            ),
        ]
        indexes = [models.Index(fields=["partnership", "status"], name="health_alert_status")]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.reason} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("health:detail", args=[self.partnership_id]) + f"#alert-{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ALERT_STATUSES
