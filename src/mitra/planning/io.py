"""The database work of collaborative planning: records → the engine's frames, and its frames → records.

Each read is one grouped query straight into a frame (``health.io.fetch``); writes are bulk inserts and
deletes. Nothing loops over rows of history. A series is one item at one location: ``"<item>:<location>"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import Max, Sum

from mitra.health.io import as_day, fetch, week_of
from mitra.health.io import monday as monday  # re-exported: planning asks its io for the Monday of a week
from mitra.planning.models import (
    ForecastLine,
    Item,
    OpenOrder,
    PlanningCycle,
    SellOut,
    StockPosition,
)


def series_ids(item: Any, location: Any) -> pd.Series:
    return pd.Series(item).astype("int64").astype(str) + ":" + pd.Series(location).astype("int64").astype(str)


def split_series(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if len(series) == 0:
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    parts = series.astype(str).str.split(":", n=1, expand=True)
    return parts[0].astype("int64").to_numpy(), parts[1].astype("int64").to_numpy()


def history(
    partnership_id: int,
    *,
    before: dt.date | None = None,
    since: dt.date | None = None,
    item_ids: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Weekly sell-out per series (``series_id, period, quantity``): daily rows summed into their week;
    only weeks that ended before ``before`` (a Monday) count, from ``since``, of ``item_ids``."""
    qs = SellOut.objects.filter(partnership_id=partnership_id)
    if before is not None:
        qs = qs.filter(period__lt=before)
    if since is not None:
        qs = qs.filter(period__gte=since)
    if item_ids is not None:
        qs = qs.filter(item_id__in=list(item_ids))
    rows = fetch(
        qs.annotate(week=week_of("period", date=True))
        .values("item_id", "location_id", "week")
        .annotate(quantity=Sum("quantity"))
        .order_by(),
        ["item_id", "location_id", "week", "quantity"],
    )
    return pd.DataFrame(
        {
            "series_id": series_ids(rows["item_id"], rows["location_id"]),
            "period": as_day(rows["week"]),
            "quantity": rows["quantity"].astype("float64"),
        }
    )


def positions(partnership_id: int, also: Iterable[str] = ()) -> pd.DataFrame:
    """Per series with any data (and the series ``also`` names, e.g. those a side forecast): the latest
    stock (on hand, in transit), open orders, and the item's lead time, case pack and minimum order.
    Series without a stock count start from zero."""
    latest = fetch(
        StockPosition.objects.filter(partnership_id=partnership_id)
        .values("item_id", "location_id")
        .annotate(as_of=Max("as_of"))
        .order_by(),
        ["item_id", "location_id", "as_of"],
    )
    stock = fetch(
        StockPosition.objects.filter(partnership_id=partnership_id)
        .values("item_id", "location_id", "as_of", "on_hand", "in_transit")
        .order_by(),
        ["item_id", "location_id", "as_of", "on_hand", "in_transit"],
    )
    stock["as_of"] = as_day(stock["as_of"])
    latest["as_of"] = as_day(latest["as_of"])
    stock = stock.merge(latest, on=["item_id", "location_id", "as_of"])
    orders = fetch(
        OpenOrder.objects.filter(partnership_id=partnership_id)
        .values("item_id", "location_id")
        .annotate(open_orders=Sum("quantity"))
        .order_by(),
        ["item_id", "location_id", "open_orders"],
    )
    sold = fetch(
        SellOut.objects.filter(partnership_id=partnership_id)
        .values("item_id", "location_id")
        .distinct()
        .order_by(),
        ["item_id", "location_id"],
    )
    named = list(also)
    wanted = pd.DataFrame(
        dict(zip(("item_id", "location_id"), split_series(pd.Series(named, dtype=str)), strict=True))
    )
    keys = (
        pd.concat([stock[["item_id", "location_id"]], orders[["item_id", "location_id"]], sold, wanted])
        .astype("int64")
        .drop_duplicates()
    )
    frame = keys.merge(stock, how="left", on=["item_id", "location_id"]).merge(
        orders, how="left", on=["item_id", "location_id"]
    )
    items = fetch(
        Item.objects.filter(partnership_id=partnership_id)
        .values("id", "lead_time_days", "case_pack", "min_order", "weekly_capacity")
        .order_by(),
        ["item_id", "lead_time_days", "case_pack", "min_order", "weekly_capacity"],
    )
    frame = frame.merge(items, on="item_id", how="inner")
    out = pd.DataFrame(
        {
            "series_id": series_ids(frame["item_id"], frame["location_id"]).to_numpy(),
            "item_id": frame["item_id"].astype("int64").to_numpy(),
            "location_id": frame["location_id"].astype("int64").to_numpy(),
            "on_hand": frame["on_hand"].astype("float64").fillna(0).to_numpy(),
            "in_transit": frame["in_transit"].astype("float64").fillna(0).to_numpy(),
            "open_orders": frame["open_orders"].astype("float64").fillna(0).to_numpy(),
            "lead_time_weeks": np.maximum(1, np.ceil(frame["lead_time_days"].astype("float64") / 7)).astype(
                "int64"
            ),
            "case_pack": frame["case_pack"].astype("int64").to_numpy(),
            "min_order": frame["min_order"].astype("float64").to_numpy(),
            "weekly_capacity": frame["weekly_capacity"].astype("float64").to_numpy(),
        }
    )
    return out.sort_values("series_id").reset_index(drop=True)


def forecasts(
    cycle_ids: Iterable[int], sources: Iterable[str] | None = None, *, item_ids: Iterable[int] | None = None
) -> pd.DataFrame:
    """Stored forecast lines of cycles: ``cycle_id, source, series_id, period, quantity, lo, hi, model``."""
    qs = ForecastLine.objects.filter(cycle_id__in=list(cycle_ids))
    if item_ids is not None:
        qs = qs.filter(item_id__in=list(item_ids))
    if sources is not None:
        qs = qs.filter(source__in=list(sources))
    columns = ["cycle_id", "source", "item_id", "location_id", "period", "quantity", "lo", "hi", "model"]
    rows = fetch(qs.values(*columns).order_by(), columns)
    out = pd.DataFrame(
        {
            "cycle_id": rows["cycle_id"].astype("int64"),
            "source": rows["source"].astype(str),
            "series_id": series_ids(rows["item_id"], rows["location_id"]),
            "period": as_day(rows["period"]),
            "quantity": rows["quantity"].astype("float64"),
            "lo": rows["lo"].astype("float64"),
            "hi": rows["hi"].astype("float64"),
            "model": rows["model"].astype(object).where(rows["model"].notna(), "").astype(str),
        }
    )
    return out


def write_forecasts(cycle: PlanningCycle, source: str, frame: pd.DataFrame) -> int:
    """Replace the cycle's lines of ``source`` with ``frame`` (series_id, period, quantity[, lo, hi,
    model])."""
    ForecastLine.objects.filter(cycle=cycle, source=source).delete()
    if frame.empty:
        return 0
    item, location = split_series(frame["series_id"])
    lo = frame["lo"].astype("float64") if "lo" in frame else pd.Series(np.nan, index=frame.index)
    hi = frame["hi"].astype("float64") if "hi" in frame else pd.Series(np.nan, index=frame.index)
    model = frame["model"].astype(str) if "model" in frame else pd.Series("", index=frame.index)
    periods = pd.to_datetime(frame["period"]).dt.date
    lines = [
        ForecastLine(
            cycle=cycle,
            partnership_id=cycle.partnership_id,
            item_id=int(i),
            location_id=int(loc),
            source=source,
            period=p,
            quantity=float(q),
            lo=None if np.isnan(a) else float(a),
            hi=None if np.isnan(b) else float(b),
            model=m[:40],
        )
        for i, loc, p, q, a, b, m in zip(
            item,
            location,
            periods,
            frame["quantity"].astype("float64").clip(lower=0),
            lo,
            hi,
            model,
            strict=True,
        )
    ]
    ForecastLine.objects.bulk_create(lines, batch_size=5000)
    return len(lines)
