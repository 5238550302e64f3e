"""CPFR exceptions: criteria agreed per partnership and evaluated identically for both partners.

``evaluate(inputs, criteria)`` returns one row per exception with ``EXCEPTION_COLUMNS``: ``series_id``,
``criterion``, ``period`` (NaT when the exception is about the whole horizon), ``value``, ``threshold``,
``priority`` (1 high … 3 low), ``owner_side`` (``supplier`` | ``customer`` | ``both``) and ``item_id``
(from ``series_item`` when given, as a string; NA otherwise). Status and resolution code live in the
database. A criterion whose threshold is None is off; a criterion whose input frames are empty yields
nothing. Every criterion fires strictly beyond its threshold (above, or below for ``low_stock``), never at
it: values within ``stats.TOLERANCE`` of the threshold count as equal to it.

Criteria, their measure, owner side and priority:

* ``forecast_gap`` — the supplier's and the customer's forecasts differ by more than
  ``forecast_gap_pct``. Over the weeks both forecast: Σ|supplier − customer| / Σ((supplier + customer) / 2)
  × 100, symmetric so that it is the same figure from both sides. Owner: both.
* ``forecast_error`` — the WAPE of the frozen forecast against actuals exceeds ``wape_pct``: over the
  weeks with both, Σ|actual − frozen| / Σ actual × 100 (no exception when Σ actual = 0). Owner: the side
  named in an optional ``source`` column of ``frozen`` (the side whose forecast became the consensus),
  ``both`` when it is missing or anything else.
* ``forecast_change`` — the consensus changed by more than ``version_change_pct`` between versions: over
  the weeks in both versions, Σ|new − previous| / Σ previous × 100 (none when Σ previous = 0). Owner: both.
* ``low_stock`` — the projected weeks of cover fall below ``min_weeks_cover``. Owner: supplier (it
  replenishes). Priority 1 when the first such week lies within the lead time (week index < lead time,
  week 0 being the first consensus week: an order placed now cannot arrive in time), else 2.
* ``overstock`` — the projected weeks of cover exceed ``max_weeks_cover``. Owner: customer (it holds the
  stock and placed the orders). Priority 3.
* ``over_capacity`` — for an item and week, the order forecast summed over the item's series exceeds the
  supplier's stated capacity (a capacity row without ``period`` applies to every week; a dated row
  overrides it for its week). One row per item and week, ``series_id`` NA, ``item_id`` set. Owner:
  supplier. Priority 1.

Priority of the three forecast criteria scales with the size of the excess: value > 2 × threshold → 1,
value > 1.5 × threshold → 2, otherwise 3.

Projected in-stock (``low_stock``/``overstock``), per series and consensus week k = 0, 1, … (the first
consensus week being the current week), the stock at the end of week k is
on_hand + in_transit (available from week 0) + open_orders (available from the week containing the
optional ``open_orders_due`` date, otherwise from week ``lead_time_weeks``) − the consensus forecast summed
over weeks 0…k. It may be negative (a projected shortage). Weeks of cover at week k = that stock / the mean
consensus forecast of the following ``stats.COVER_WINDOW_WEEKS`` weeks (truncated at the horizon; not
evaluated for the last week or when that mean is 0). Only the first week of a series that crosses the
threshold is reported (one shortage or one overstock, from when it starts). ``positions`` without
``lead_time_weeks`` use ``DEFAULT_LEAD_TIME_WEEKS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mitra.planning.engine.stats import exceeds, falls_below, forward_mean

CRITERIA: tuple[str, ...] = (
    "forecast_gap",
    "forecast_error",
    "forecast_change",
    "low_stock",
    "overstock",
    "over_capacity",
)
EXCEPTION_COLUMNS: tuple[str, ...] = (
    "series_id",
    "criterion",
    "period",
    "value",
    "threshold",
    "priority",
    "owner_side",
    "item_id",
)
SIDES: tuple[str, ...] = ("supplier", "customer", "both")
DEFAULT_LEAD_TIME_WEEKS = 2


@dataclass(frozen=True)
class ExceptionCriteria:
    """Thresholds agreed by the partnership; None switches a criterion off."""

    forecast_gap_pct: float | None = 20.0
    wape_pct: float | None = 30.0
    version_change_pct: float | None = 25.0
    min_weeks_cover: float | None = 1.0
    max_weeks_cover: float | None = 8.0
    capacity: bool = True


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    """An empty input frame typed like a real one, so that merging it with one never clashes."""
    kinds = {"series_id": str, "item_id": str, "period": "datetime64[ns]"}
    return pd.DataFrame({column: pd.Series(dtype=kinds.get(column, "float64")) for column in columns})


def _quantities() -> pd.DataFrame:
    return _empty(("series_id", "period", "quantity"))


@dataclass(frozen=True)
class ExceptionInputs:
    """The frames the criteria read; any of them may be empty.

    ``supplier``/``customer``/``consensus``/``previous_consensus``/``actuals``/``order_forecast``:
    series_id, period, quantity. ``frozen``: the same, plus an optional ``source`` (side). ``positions``:
    series_id, on_hand, in_transit, open_orders, optional lead_time_weeks and open_orders_due.
    ``capacity``: item_id, quantity, optional period. ``series_item``: series_id, item_id.
    """

    supplier: pd.DataFrame = field(default_factory=_quantities)
    customer: pd.DataFrame = field(default_factory=_quantities)
    consensus: pd.DataFrame = field(default_factory=_quantities)
    previous_consensus: pd.DataFrame = field(default_factory=_quantities)
    frozen: pd.DataFrame = field(default_factory=_quantities)
    actuals: pd.DataFrame = field(default_factory=_quantities)
    positions: pd.DataFrame = field(
        default_factory=lambda: _empty(("series_id", "on_hand", "in_transit", "open_orders"))
    )
    capacity: pd.DataFrame = field(default_factory=lambda: _empty(("item_id", "quantity")))
    series_item: pd.DataFrame = field(default_factory=lambda: _empty(("series_id", "item_id")))
    order_forecast: pd.DataFrame = field(default_factory=_quantities)


def _scaled_priority(value: pd.Series, threshold: float) -> np.ndarray:
    ratio = value / threshold if threshold > 0 else pd.Series(np.inf, index=value.index)
    return np.select([ratio > 2.0, ratio > 1.5], [1, 2], default=3)


def _rows(
    frame: pd.DataFrame,
    criterion: str,
    threshold: float,
    priority: object,
    owner_side: object,
) -> pd.DataFrame:
    """Exception rows from a frame with series_id, value and optionally period/item_id."""
    return pd.DataFrame(
        {
            "series_id": frame["series_id"].to_numpy() if "series_id" in frame else pd.NA,
            "criterion": criterion,
            "period": frame["period"].to_numpy() if "period" in frame else pd.NaT,
            "value": frame["value"].to_numpy(dtype="float64"),
            "threshold": float(threshold),
            "priority": priority,
            "owner_side": owner_side,
            "item_id": frame["item_id"].to_numpy() if "item_id" in frame else pd.NA,
        },
        index=pd.RangeIndex(len(frame)),
    )


def _quantity(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[["series_id", "period", "quantity"]].copy()
    out["series_id"] = out["series_id"].astype(str)  # an empty frame's ids may have any dtype
    out["period"] = pd.to_datetime(out["period"])
    out["quantity"] = out["quantity"].astype("float64")
    return out


def _paired(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """The weeks both frames cover, with quantities ``left`` and ``right``."""
    return _quantity(left).merge(_quantity(right), on=["series_id", "period"], suffixes=("_l", "_r"))


def _forecast_gap(inputs: ExceptionInputs, threshold: float) -> pd.DataFrame:
    pairs = _paired(inputs.supplier, inputs.customer)
    pairs["gap"] = (pairs["quantity_l"] - pairs["quantity_r"]).abs()
    pairs["base"] = (pairs["quantity_l"] + pairs["quantity_r"]) / 2.0
    totals = pairs.groupby("series_id", as_index=False)[["gap", "base"]].sum()
    totals = totals[totals["base"] > 0]
    totals["value"] = totals["gap"] / totals["base"] * 100.0
    hits = totals[exceeds(totals["value"], threshold)]
    return _rows(hits, "forecast_gap", threshold, _scaled_priority(hits["value"], threshold), "both")


def _forecast_error(inputs: ExceptionInputs, threshold: float) -> pd.DataFrame:
    pairs = _paired(inputs.actuals, inputs.frozen)
    pairs["error"] = (pairs["quantity_l"] - pairs["quantity_r"]).abs()
    totals = pairs.groupby("series_id", as_index=False).agg(
        error=("error", "sum"), actual=("quantity_l", "sum")
    )
    totals = totals[totals["actual"] > 0]
    totals["value"] = totals["error"] / totals["actual"] * 100.0
    hits = totals[exceeds(totals["value"], threshold)]
    owner = pd.Series("both", index=hits.index, dtype="object")
    if "source" in inputs.frozen.columns and len(hits):
        sources = inputs.frozen.dropna(subset=["source"]).groupby("series_id")["source"].first()
        named = hits["series_id"].map(sources)
        owner = named.where(named.isin(("supplier", "customer")), "both").astype("object")
    return _rows(
        hits, "forecast_error", threshold, _scaled_priority(hits["value"], threshold), owner.to_numpy()
    )


def _forecast_change(inputs: ExceptionInputs, threshold: float) -> pd.DataFrame:
    pairs = _paired(inputs.consensus, inputs.previous_consensus)
    pairs["change"] = (pairs["quantity_l"] - pairs["quantity_r"]).abs()
    totals = pairs.groupby("series_id", as_index=False).agg(
        change=("change", "sum"), previous=("quantity_r", "sum")
    )
    totals = totals[totals["previous"] > 0]
    totals["value"] = totals["change"] / totals["previous"] * 100.0
    hits = totals[exceeds(totals["value"], threshold)]
    return _rows(hits, "forecast_change", threshold, _scaled_priority(hits["value"], threshold), "both")


def projected_cover(consensus: pd.DataFrame, positions: pd.DataFrame) -> pd.DataFrame:
    """Per series and consensus week: ``week`` (0-based), ``lead_time_weeks``, ``projected`` stock at the
    week's end and ``cover`` in weeks (see the module docstring)."""
    plan = _quantity(consensus).sort_values(["series_id", "period"], kind="stable")
    columns = ["series_id", "on_hand", "in_transit", "open_orders"]
    stock = positions[columns].copy()
    stock["series_id"] = stock["series_id"].astype(str)
    stock["lead_time_weeks"] = positions.get("lead_time_weeks", DEFAULT_LEAD_TIME_WEEKS)
    stock["due"] = pd.to_datetime(positions["open_orders_due"]) if "open_orders_due" in positions else pd.NaT
    plan = plan.merge(stock, on="series_id", how="inner").reset_index(drop=True)
    plan["week"] = plan.groupby("series_id", sort=False).cumcount()
    week_end = plan["period"] + pd.Timedelta(days=7)
    arrived = np.where(
        plan["due"].notna(), (week_end > plan["due"]).to_numpy(), plan["week"] >= plan["lead_time_weeks"]
    )
    plan["projected"] = (
        plan["on_hand"].fillna(0.0)
        + plan["in_transit"].fillna(0.0)
        + plan["open_orders"].fillna(0.0) * arrived
        - plan.groupby("series_id", sort=False)["quantity"].cumsum()
    )
    following = forward_mean(plan, "quantity")
    plan["cover"] = plan["projected"] / following.where(following > 0)
    return plan[["series_id", "period", "week", "lead_time_weeks", "projected", "cover"]]


def _first_week(plan: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    hits = plan[mask].drop_duplicates("series_id", keep="first")
    return hits.rename(columns={"cover": "value"})


def _stock(inputs: ExceptionInputs, criteria: ExceptionCriteria) -> list[pd.DataFrame]:
    if criteria.min_weeks_cover is None and criteria.max_weeks_cover is None:
        return []
    plan = projected_cover(inputs.consensus, inputs.positions)
    found = []
    if criteria.min_weeks_cover is not None:
        low = _first_week(plan, falls_below(plan["cover"], criteria.min_weeks_cover))
        priority = np.where(low["week"] < low["lead_time_weeks"], 1, 2)
        found.append(_rows(low, "low_stock", criteria.min_weeks_cover, priority, "supplier"))
    if criteria.max_weeks_cover is not None:
        high = _first_week(plan, exceeds(plan["cover"], criteria.max_weeks_cover))
        found.append(_rows(high, "overstock", criteria.max_weeks_cover, 3, "customer"))
    return found


def _over_capacity(inputs: ExceptionInputs) -> pd.DataFrame:
    orders = _quantity(inputs.order_forecast).merge(
        inputs.series_item[["series_id", "item_id"]], on="series_id", how="inner"
    )
    orders["item_id"] = orders["item_id"].astype("str")
    orders = orders.groupby(["item_id", "period"], as_index=False)["quantity"].sum()
    capacity = inputs.capacity.copy()
    capacity["item_id"] = capacity["item_id"].astype("str")
    capacity["quantity"] = capacity["quantity"].astype("float64")
    if "period" not in capacity:
        capacity["period"] = pd.NaT
    capacity["period"] = pd.to_datetime(capacity["period"])
    undated = capacity[capacity["period"].isna()].groupby("item_id", as_index=False)["quantity"].min()
    dated = capacity[capacity["period"].notna()].groupby(["item_id", "period"], as_index=False)["quantity"]
    orders = orders.merge(undated.rename(columns={"quantity": "any_week"}), on="item_id", how="left")
    orders = orders.merge(
        dated.min().rename(columns={"quantity": "this_week"}), on=["item_id", "period"], how="left"
    )
    orders["threshold"] = orders["this_week"].fillna(orders["any_week"])
    hits = orders[exceeds(orders["quantity"], orders["threshold"])].rename(columns={"quantity": "value"})
    rows = _rows(hits, "over_capacity", 0.0, 1, "supplier")
    rows["threshold"] = hits["threshold"].to_numpy(dtype="float64")
    return rows


def evaluate(inputs: ExceptionInputs, criteria: ExceptionCriteria) -> pd.DataFrame:
    """All exceptions the criteria raise on the inputs, sorted by priority, criterion, series, period."""
    found: list[pd.DataFrame] = []
    if criteria.forecast_gap_pct is not None:
        found.append(_forecast_gap(inputs, criteria.forecast_gap_pct))
    if criteria.wape_pct is not None:
        found.append(_forecast_error(inputs, criteria.wape_pct))
    if criteria.version_change_pct is not None:
        found.append(_forecast_change(inputs, criteria.version_change_pct))
    found.extend(_stock(inputs, criteria))
    if criteria.capacity:
        found.append(_over_capacity(inputs))
    found = [frame for frame in found if len(frame)]
    if not found:
        return _typed(pd.DataFrame({column: [] for column in EXCEPTION_COLUMNS}))
    result = pd.concat(found, ignore_index=True)
    if len(inputs.series_item):
        items = (
            inputs.series_item.drop_duplicates("series_id").set_index("series_id")["item_id"].astype("str")
        )
        result["item_id"] = result["item_id"].fillna(result["series_id"].map(items))
    result = _typed(result)
    return result.sort_values(
        ["priority", "criterion", "series_id", "period", "item_id"], kind="stable", na_position="last"
    ).reset_index(drop=True)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series_id": frame["series_id"].astype("str").where(frame["series_id"].notna(), pd.NA)
            if len(frame)
            else pd.Series(dtype="str"),
            "criterion": frame["criterion"].astype("str"),
            "period": pd.to_datetime(frame["period"]).astype("datetime64[ns]"),
            "value": frame["value"].astype("float64"),
            "threshold": frame["threshold"].astype("float64"),
            "priority": frame["priority"].astype("int64"),
            "owner_side": frame["owner_side"].astype("str"),
            "item_id": frame["item_id"].astype("str").where(frame["item_id"].notna(), pd.NA)
            if len(frame)
            else pd.Series(dtype="str"),
        }
    )
