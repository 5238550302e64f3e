"""Engine frames → unsaved ``HealthSnapshot`` rows, column-wise."""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.utils import timezone

from mitra.health.engine import DIMENSIONS
from mitra.health.models import HealthSnapshot


def snapshot_rows(
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
