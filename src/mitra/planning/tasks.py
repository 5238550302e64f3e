"""Jobs of collaborative planning: a partnership's planning run with visible progress, and the weekly
freeze of last week's cycles."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils import timezone
from django_tasks import task

from mitra.partnerships.models import Status
from mitra.planning import io, runs
from mitra.planning.models import Item, PlanningCycle, RunStatus

log = logging.getLogger(__name__)


def _report(cycle_id: int) -> Callable[[int, str], None]:
    def progress(pct: int, message: str) -> None:
        PlanningCycle.objects.filter(pk=cycle_id).update(
            run_status=RunStatus.RUNNING, run_progress=pct, run_message=message
        )

    return progress


@task()
def run_planning(partnership_id: int, executor: str = "local") -> int:
    """Plan the partnership's current cycle; the cycle's run fields show the progress on the page.
    Returns the number of order proposals."""
    cycle = runs.current_cycle(partnership_id)
    PlanningCycle.objects.filter(pk=cycle.pk).update(
        run_status=RunStatus.RUNNING, run_progress=1, run_started_at=timezone.now(), run_message=""
    )
    try:
        result = runs.run(partnership_id, executor=executor, progress=_report(cycle.pk))
    except Exception:
        # the page shows a plain message to both sides; the details go to the log, not to the partner
        log.exception("planning run of partnership %s failed", partnership_id)
        PlanningCycle.objects.filter(pk=cycle.pk).update(
            run_status=RunStatus.FAILED, run_message="failed", run_finished_at=timezone.now()
        )
        raise
    PlanningCycle.objects.filter(pk=cycle.pk).update(
        run_status=RunStatus.DONE, run_progress=100, run_finished_at=timezone.now()
    )
    return result.proposals


@task()
def plan_the_week() -> int:
    """Weekly: freeze every open cycle of an earlier week (accuracy is measured against what was
    promised), then queue this week's planning run of every active or paused partnership that plans
    with Mitra (has items). Returns the number of runs queued."""
    runs.freeze_before(None, io.monday(timezone.localdate()))
    ids = list(
        Item.objects.filter(partnership__status__in=[Status.ACTIVE, Status.PAUSED])
        .values_list("partnership_id", flat=True)
        .distinct()
        .order_by("partnership_id")
    )
    for pid in ids:
        run_planning.enqueue(pid)
    return len(ids)
