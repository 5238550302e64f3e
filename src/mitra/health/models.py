"""Weekly health snapshots: what ``compute_health`` returns, stored per partnership and ISO week.

Snapshots are derived data (``health_recompute`` rewrites them from the records), so they keep no history.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mitra.partnerships.models import Partnership


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
