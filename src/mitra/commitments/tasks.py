"""Jobs of the commitments workflow. Idempotent: running one twice changes nothing the second time."""

from __future__ import annotations

from django_tasks import task

from mitra.commitments import services


@task()
def mark_overdue() -> int:
    """Daily: mark open commitments whose due date (site time zone) has passed as missed. Returns how many."""
    return services.commitments_mark_overdue()
