"""Writes of the Health Index: recompute the weekly snapshots from the records.

Snapshots are derived: recomputing a range deletes that range and inserts it again, set-based, one
transaction per chunk of partnerships. Running it twice leaves the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from mitra.health.engine import DEFAULT_WEIGHTS, DIMENSIONS, HealthParams, compute_health
from mitra.health.io import load_metrics, monday
from mitra.health.models import HealthSnapshot
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
        rows = _snapshot_rows(snaps, result.drivers, weights)
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


def _snapshot_rows(
    snaps: pd.DataFrame, drivers: pd.DataFrame, weights: dict[str, float]
) -> list[HealthSnapshot]:
    """Engine frames → unsaved model rows (column-wise conversions; one object per snapshot row)."""
    if snaps.empty:
        return []
    keys = ["partnership_id", "week"]
    d = drivers.merge(snaps[keys], on=keys)
    d = d.assign(
        metrics=d["metrics"].map(list),
        value=d["value"].astype(object).where(d["value"].notna(), None),
        previous=d["previous"].astype(object).where(d["previous"].notna(), None),
        contribution=d["contribution"].astype(float),
        rank=d["rank"].astype(int),
    ).sort_values([*keys, "rank"])
    fields = ["rank", "dimension", "component", "source", "metrics", "value", "previous", "contribution"]
    dim_dicts = (
        snaps[list(DIMENSIONS)].astype(object).where(snaps[list(DIMENSIONS)].notna(), None).to_dict("records")
    )
    # each snapshot's drivers: one to_dict call, then slices of it (drivers are sorted by snapshot, rank)
    records = d[fields].to_dict("records")
    where = pd.Series(np.arange(len(snaps)), index=pd.MultiIndex.from_frame(snaps[keys]))
    pos = where.reindex(pd.MultiIndex.from_frame(d[keys])).to_numpy() if len(d) else np.array([], dtype=int)
    bounds = np.flatnonzero(np.diff(pos)) + 1
    driver_lists: list[list[dict]] = [[] for _ in range(len(snaps))]
    for first, last in zip(np.r_[0, bounds], np.r_[bounds, len(pos)], strict=True):
        if last > first:
            driver_lists[pos[first]] = records[first:last]
    now = timezone.now()
    score = snaps["score"].astype(object).where(snaps["score"].notna(), None).tolist()
    d1 = snaps["delta_1w"].astype(object).where(snaps["delta_1w"].notna(), None).tolist()
    d4 = snaps["delta_4w"].astype(object).where(snaps["delta_4w"].notna(), None).tolist()
    return [
        HealthSnapshot(
            partnership_id=int(pid),
            week=week.date(),
            score=s,
            band=band,
            delta_1w=a,
            delta_4w=b,
            dimensions=dim,
            drivers=drv,
            weights=weights,
            computed_at=now,
        )
        for pid, week, s, band, a, b, dim, drv in zip(
            snaps["partnership_id"].to_numpy(dtype=np.int64),
            snaps["week"],
            score,
            snaps["band"].tolist(),
            d1,
            d4,
            dim_dicts,
            driver_lists,
            strict=True,
        )
    ]
