"""Recurring jobs: which job runs how often. ``mitra schedule`` queues each once per period.

Jobs are named by dotted path (like ``enqueue_on_commit``) so core never imports the domain apps. A period
is a calendar day, ISO week or hour in the site's time zone (Asia/Jakarta by default); a job queued for a
period is never queued again for it, however many schedulers run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from mitra.core.models import ScheduledRun


@dataclass(frozen=True)
class Recurring:
    job: str  # dotted path of a django-tasks task that takes no arguments
    every: str  # "hourly", "daily" or "weekly"


SCHEDULE: tuple[Recurring, ...] = (
    Recurring("mitra.commitments.tasks.mark_overdue", "daily"),
    Recurring("mitra.cases.tasks.detect_sla_breaches", "hourly"),
    Recurring("mitra.pulse.tasks.open_pulse_rounds", "daily"),
    Recurring("mitra.health.tasks.recompute_current_week", "weekly"),
    Recurring("mitra.planning.tasks.plan_the_week", "weekly"),
    Recurring("mitra.reviews.tasks.prepare_upcoming_reviews", "daily"),
)


def period_of(every: str, now: dt.datetime) -> str:
    local = timezone.localtime(now)
    if every == "hourly":
        return local.strftime("%Y-%m-%dT%H")
    if every == "daily":
        return local.date().isoformat()
    if every == "weekly":
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(f"unknown period {every!r}")


def run_due(now: dt.datetime | None = None, schedule: tuple[Recurring, ...] = SCHEDULE) -> list[str]:
    """Queue every job whose current period has not been queued yet; return the jobs queued."""
    now = now or timezone.now()
    queued = []
    for item in schedule:
        period = period_of(item.every, now)
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=item.job, period=period)
                task = import_string(item.job)
                transaction.on_commit(task.enqueue)
        except IntegrityError:
            continue  # already queued for this period, by us or another scheduler
        queued.append(item.job)
    return queued
