"""Core tables: the record of which scheduled jobs were queued for which period."""

from __future__ import annotations

from django.db import models


class ScheduledRun(models.Model):
    """A scheduled job queued for one period (``daily`` 2026-11-29, ``weekly`` 2026-W48…).

    The unique pair is how several ``mitra schedule`` processes (or a restarted one) agree that a period's
    job was queued once and only once.
    """

    job = models.CharField(max_length=200)
    period = models.CharField(max_length=20)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("job", "period"), name="scheduled_run_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
