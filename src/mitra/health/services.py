"""Writes of the Health Index: recompute the weekly snapshots from the records.

Snapshots are derived: recomputing a range deletes that range and inserts it again, set-based, one
transaction per chunk of partnerships. Running it twice leaves the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
from django.db import transaction
from django.utils import timezone

from mitra.health.engine import DEFAULT_WEIGHTS, DIMENSIONS, HealthParams, compute_health
from mitra.health.io import load_metrics, monday
from mitra.health.models import HealthSnapshot
from mitra.health.snapshots import snapshot_rows
from mitra.partnerships.models import SHARED_STATUSES, Partnership

CHUNK = 500
TREND_WEEKS = 4  # compute_health needs the 4 weeks before the first one it scores (delta_4w, immunity)


@dataclass(frozen=True)
class RecomputeResult:
    partnerships: int
    snapshots: int
    weeks: int


def health_recompute(
    *,
    partnership_ids: Iterable[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RecomputeResult:
    """Recompute the snapshots of the partnerships (default: all with a workspace) for every ISO week
    from ``since`` (default: each partnership's start) to ``until`` (default: today)."""
    until = until or timezone.localdate()
    qs = Partnership.objects.filter(status__in=SHARED_STATUSES)
    if partnership_ids is not None:
        qs = qs.filter(pk__in=list(partnership_ids))
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    params = HealthParams()
    weights = {d: float(DEFAULT_WEIGHTS[d]) for d in DIMENSIONS}
    written, weeks = 0, set()
    if progress:
        progress(0, len(ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        lead = monday(since) - dt.timedelta(weeks=TREND_WEEKS) if since else None
        metrics = load_metrics(chunk, since=lead, until=until)
        result = compute_health(metrics, params)
        snaps = result.snapshots
        if since:
            snaps = snaps[snaps["week"] >= pd.Timestamp(monday(since))]
        rows = snapshot_rows(snaps, result.drivers, weights)
        with transaction.atomic():
            doomed = HealthSnapshot.objects.filter(partnership_id__in=chunk, week__lte=monday(until))
            if since:
                doomed = doomed.filter(week__gte=monday(since))
            doomed.delete()
            HealthSnapshot.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
        weeks.update(snaps["week"].unique().tolist())
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    return RecomputeResult(partnerships=len(ids), snapshots=written, weeks=len(weeks))
