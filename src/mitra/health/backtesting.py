"""The backtest on an organisation's own history: did the score a quarter earlier see the losses coming?

Three set-based queries (the partnerships, their status history, their weekly snapshot scores), whatever
the number of partnerships; pandas works out each partnership's outcome and the pure engine
(``engine.backtest``) computes the AUC.

**Outcomes.** What counts is a partnership's status *as of* ``as_of`` (default today), read from its
``simple_history`` rows (``HistoricalPartnership``, dated by ``history_date`` in the site's time zone;
the record's own current status, dated by ``updated_at``, is added as a last row in case a write skipped
the history):

* **kept**: active as of ``as_of``;
* **lost**: paused or ended as of ``as_of``, after having been accepted. The loss is dated at the start of
  the partnership's *current* run of paused/ended statuses: active → paused → ended is lost at the pause;
  active → paused → active is kept (the pause was survived); active → paused → active → ended is lost
  when it ended. "Accepted" means the history shows it active before that run or, when the history
  starts in that run (records written without their earlier history), ``responded_at`` is set;
* left out: proposals, declined proposals and withdrawn proposals (proposed → ended), which never were
  partnerships.

**Scores.** The stored weekly ``HealthSnapshot.score``: what both partners see, computed with the weights
the partnership agreed (as of the last recompute of those weeks). The band of the green-then-lost list is
the stored band too (the partnership's own colour thresholds), not the default one.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mitra.health.engine.backtest import BacktestResult, backtest
from mitra.health.engine.composite import GREEN
from mitra.health.models import HealthSnapshot
from mitra.partnerships.models import Partnership, Status

LOST_STATUSES = (Status.PAUSED.value, Status.ENDED.value)
MAX_STALENESS_WEEKS = 4  # the reference score may be at most this old (the engine's default)


@dataclass(frozen=True)
class GreenThenLost:
    """A partnership that was green a quarter before it was lost."""

    partnership_id: int
    supplier: str
    customer: str
    status: str  # its status as of the backtest's date: paused or ended
    week: dt.date  # the week of the reference score
    score: float
    ended_on: dt.date  # when it was paused or ended


@dataclass(frozen=True)
class BacktestReport:
    organisation_id: int | None
    as_of: dt.date
    horizon_weeks: int
    auc: float | None  # None when either group is empty
    lost: int
    kept: int
    unscored: int
    green_then_lost: list[GreenThenLost]
    result: BacktestResult  # the engine's answer (``sample`` has the stored band)

    @property
    def why_no_auc(self) -> str | None:
        """Why the AUC cannot be computed (a stable code), or None when it can."""
        if self.auc is not None:
            return None
        if self.lost == 0 and self.kept == 0:
            return "no_scores" if self.unscored else "no_partnerships"
        return "no_lost" if self.lost == 0 else "no_kept"

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (``mitra health backtest --json``): dates as ISO strings, the AUC as 0–1 or null."""
        return {
            "organisation_id": self.organisation_id,
            "as_of": self.as_of.isoformat(),
            "horizon_weeks": self.horizon_weeks,
            "auc": None if self.auc is None else round(self.auc, 4),
            "why_no_auc": self.why_no_auc,
            "lost": self.lost,
            "kept": self.kept,
            "unscored": self.unscored,
            "green_then_lost": [
                {
                    "partnership_id": row.partnership_id,
                    "supplier": row.supplier,
                    "customer": row.customer,
                    "status": row.status,
                    "week": row.week.isoformat(),
                    "score": round(row.score, 1),
                    "ended_on": row.ended_on.isoformat(),
                }
                for row in self.green_then_lost
            ],
        }


def _site_tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _local(values: pd.Series) -> pd.Series:
    """Aware datetimes → naive site-local timestamps (dates are cut in the site's time zone)."""
    return pd.to_datetime(values, utc=True).dt.tz_convert(_site_tz()).dt.tz_localize(None)


def outcomes_as_of(partnerships: pd.DataFrame, history: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """``partnership_id``, ``status`` (as of ``as_of``) and ``ended_on`` (NaT when kept), one row per kept or
    lost partnership (see the module docstring). ``partnerships``: ``partnership_id``, ``status``,
    ``updated_at``, ``responded_at``; ``history``: ``partnership_id``, ``at``, ``status``, ``seq``."""
    cutoff = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    current = partnerships.assign(at=_local(partnerships["updated_at"]), seq=np.iinfo(np.int64).max)
    history = history[history["partnership_id"].isin(partnerships["partnership_id"])]  # not deleted ones
    rows = pd.concat(
        [
            history.assign(at=_local(history["at"]))[["partnership_id", "at", "status", "seq"]],
            current[["partnership_id", "at", "status", "seq"]],
        ],
        ignore_index=True,
    )
    rows = rows[rows["at"] < cutoff].sort_values(["partnership_id", "at", "seq"], kind="stable")
    rows["pos"] = rows.groupby("partnership_id").cumcount()
    rows["off"] = rows["status"].isin(LOST_STATUSES)

    last = rows.groupby("partnership_id").tail(1).set_index("partnership_id")[["status"]]
    before = rows[~rows["off"]].groupby("partnership_id").tail(1).set_index("partnership_id")
    last["before_pos"] = before["pos"].reindex(last.index).fillna(-1)
    last["before_status"] = before["status"].reindex(last.index)
    after = rows["pos"].to_numpy() > rows["partnership_id"].map(last["before_pos"]).to_numpy()
    trailing = rows[rows["off"].to_numpy() & after]
    last["ended_on"] = trailing.groupby("partnership_id")["at"].min().reindex(last.index).dt.normalize()

    accepted = partnerships.set_index("partnership_id")["responded_at"].reindex(last.index).notna()
    lost = last["status"].isin(LOST_STATUSES) & (
        (last["before_status"] == Status.ACTIVE) | (last["before_status"].isna() & accepted)
    )
    kept = last["status"] == Status.ACTIVE
    out = last[lost | kept].copy()
    out.loc[kept, "ended_on"] = pd.NaT
    out = out.reset_index()[["partnership_id", "status", "ended_on"]]
    out["partnership_id"] = out["partnership_id"].astype("int64")
    out["ended_on"] = pd.to_datetime(out["ended_on"]).astype("datetime64[ns]")
    return out


def run_backtest(
    *, organisation_id: int | None = None, horizon_weeks: int = 13, as_of: dt.date | None = None
) -> BacktestReport:
    """Backtest the stored weekly scores of the partnerships of ``organisation_id`` (either side; every
    partnership when None) against their outcomes as of ``as_of`` (default: today, site time)."""
    if horizon_weeks < 1:
        raise ValueError("horizon_weeks must be at least 1")
    as_of = as_of or timezone.localdate()
    scope = Q()
    if organisation_id is not None:
        scope = Q(supplier_id=organisation_id) | Q(customer_id=organisation_id)

    parts = pd.DataFrame(
        list(
            Partnership.objects.filter(scope).values_list(
                "id", "status", "updated_at", "responded_at", "supplier__name", "customer__name"
            )
        ),
        columns=["partnership_id", "status", "updated_at", "responded_at", "supplier", "customer"],
    )
    history = pd.DataFrame(
        list(
            Partnership.history.filter(scope)
            .filter(history_date__lt=_end_of(as_of))
            .values_list("id", "history_date", "status", "history_id")
        ),
        columns=["partnership_id", "at", "status", "seq"],
    )
    snap_scope = Q(score__isnull=False, week__lte=as_of)
    if organisation_id is not None:
        snap_scope &= Q(partnership__supplier_id=organisation_id) | Q(
            partnership__customer_id=organisation_id
        )
    scores = pd.DataFrame(
        list(
            HealthSnapshot.objects.filter(snap_scope).values_list("partnership_id", "week", "score", "band")
        ),
        columns=["partnership_id", "week", "score", "band"],
    )
    scores["week"] = pd.to_datetime(scores["week"]).astype("datetime64[ns]")
    scores = scores.astype({"partnership_id": "int64", "score": "float64"})

    outcomes = outcomes_as_of(parts, history, as_of)
    result = backtest(
        scores[["partnership_id", "week", "score"]],
        outcomes,
        as_of=pd.Timestamp(as_of),
        horizon_weeks=horizon_weeks,
        max_staleness_weeks=MAX_STALENESS_WEEKS,
    )
    # The band the partners saw that week (their own thresholds), not the default one.
    sample = result.sample.drop(columns="band").merge(
        scores[["partnership_id", "week", "band"]], on=["partnership_id", "week"], how="left"
    )
    sample = sample.merge(outcomes[["partnership_id", "status"]], on="partnership_id", how="left")
    green = sample[sample["lost"].astype(bool) & (sample["band"] == GREEN)]
    names = parts.set_index("partnership_id")[["supplier", "customer"]]
    green = green.join(names, on="partnership_id").sort_values(["ended_on", "partnership_id"])
    green_then_lost = [
        GreenThenLost(
            partnership_id=int(r.partnership_id),
            supplier=str(r.supplier),
            customer=str(r.customer),
            status=str(r.status),
            week=pd.Timestamp(r.week).date(),
            score=float(r.score),
            ended_on=pd.Timestamp(r.ended_on).date(),
        )
        for r in green.itertuples(index=False)  # only the listed partnerships: a handful
    ]
    columns = list(result.sample.columns)
    result = BacktestResult(
        auc=result.auc,
        lost=result.lost,
        kept=result.kept,
        unscored=result.unscored,
        sample=sample[columns],
        green_then_lost=green[columns].reset_index(drop=True),
    )
    return BacktestReport(
        organisation_id=organisation_id,
        as_of=as_of,
        horizon_weeks=horizon_weeks,
        auc=None if math.isnan(result.auc) else result.auc,
        lost=result.lost,
        kept=result.kept,
        unscored=result.unscored,
        green_then_lost=green_then_lost,
        result=result,
    )


def _end_of(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the site's time zone."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=_site_tz())
