"""Recurring jobs of the cases workflow. Idempotent: running one twice changes nothing more."""

from __future__ import annotations

from django_tasks import task

from mitra.cases.services import case_detect_sla_breaches


@task()
def detect_sla_breaches() -> int:
    """Hourly: stamp the cases that breached their SLA, once each, with a timeline event."""
    return case_detect_sla_breaches()
