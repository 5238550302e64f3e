"""Order proposals: replenishment to an order-up-to level, or min/max for vendor-managed inventory.

``propose(positions, forecasts, params)`` returns one row per position (``PROPOSAL_COLUMNS``).

Replenish mode (periodic review). An order placed now arrives after the lead time L and must last until
the next order arrives, R (review) weeks later, so it covers the demand of the next L + R weeks:

* ``demand_over_cover`` = the consensus forecast summed over the series' first L + R forecast weeks (the
  first forecast week is the current week). When the horizon is shorter, each missing week counts at the
  mean of the available weeks;
* ``sigma`` = the weekly forecast standard deviation, from the prediction interval:
  (hi − lo) / (2 × z(level)) with z of the central interval (level 80 → z = 1.2816), averaged over the
  same weeks (0 when no interval is known; ``level`` defaults to ``DEFAULT_LEVEL`` when absent);
* ``safety_stock`` = z(service_level) × sigma × √(L + R), z(0.95) = 1.6449;
* ``order_up_to`` = demand_over_cover + safety_stock;
* ``position`` = on_hand + in_transit + open_orders;
* ``quantity`` = order_up_to − position when positive, raised to ``min_order`` and then rounded UP to a
  multiple of ``case_pack`` (a case pack ≤ 0 or missing means units); otherwise 0.

Min/max mode (VMI): when position ≤ ``min_qty`` the order brings the position up to ``max_qty``
(``order_up_to`` = max_qty; the same minimum-order and case-pack rounding apply, so the position may end
up to one case pack above the maximum); otherwise nothing is ordered. Demand and safety stock are still
reported for information.

``reason`` is a stable code the interface translates: ``order_up_to`` (replenish, ordering),
``minimum_order`` (ordering, raised to the minimum order), ``covered`` (position at or above the
order-up-to level), ``no_forecast`` (replenish mode, the series has no forecast: nothing is proposed),
``below_min`` (min/max, ordering) and ``above_min`` (min/max, position above the minimum).

``order_period`` is the current week (the series' first forecast week), when the order should be placed
or shipped; ``arrival_period`` = order_period + L weeks. Both are NaT for a series without forecasts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mitra.planning.engine.stats import TOLERANCE, normal_quantile, sigma_from_interval

MODES: tuple[str, ...] = ("replenish", "minmax")
DEFAULT_LEVEL = 80.0
PROPOSAL_COLUMNS: tuple[str, ...] = (
    "series_id",
    "order_period",
    "arrival_period",
    "lead_time_weeks",
    "demand_over_cover",
    "sigma",
    "safety_stock",
    "order_up_to",
    "position",
    "quantity",
    "reason",
)
REQUIRED_POSITION_COLUMNS: tuple[str, ...] = (
    "series_id",
    "on_hand",
    "in_transit",
    "open_orders",
    "lead_time_weeks",
    "case_pack",
    "min_order",
)


@dataclass(frozen=True)
class ProposalParams:
    """Target service level (one-sided, e.g. 0.95), review period in weeks, and the mode."""

    service_level: float = 0.95
    review_weeks: int = 1
    mode: str = "replenish"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if not 0.0 < self.service_level < 1.0:
            raise ValueError("service_level must lie strictly between 0 and 1")
        if self.review_weeks < 0:
            raise ValueError("review_weeks must not be negative")


def _cover(positions: pd.DataFrame, forecasts: pd.DataFrame) -> pd.DataFrame:
    """Per series: order_period, demand over L + R weeks and the mean weekly sigma over them."""
    plan = forecasts.copy()
    plan["period"] = pd.to_datetime(plan["period"])
    if "level" not in plan:
        plan["level"] = DEFAULT_LEVEL
    plan = plan.sort_values(["series_id", "period"], kind="stable")
    plan = plan.merge(positions[["series_id", "cover_weeks"]], on="series_id", how="inner")
    plan["week"] = plan.groupby("series_id", sort=False).cumcount()
    plan["sigma"] = sigma_from_interval(
        plan["lo"].astype("float64"), plan["hi"].astype("float64"), plan["level"].astype("float64")
    )
    first = (
        plan.groupby("series_id", as_index=False)["period"].min().rename(columns={"period": "order_period"})
    )
    inside = plan[plan["week"] < plan["cover_weeks"]]
    summary = inside.groupby("series_id", as_index=False).agg(
        demand=("forecast", "sum"), weeks=("forecast", "count"), sigma=("sigma", "mean")
    )
    return first.merge(summary, on="series_id", how="left")


def propose(positions: pd.DataFrame, forecasts: pd.DataFrame, params: ProposalParams) -> pd.DataFrame:
    """One proposal per row of ``positions`` (see the module docstring)."""
    required = [*REQUIRED_POSITION_COLUMNS]
    if params.mode == "minmax":
        required += ["min_qty", "max_qty"]
    missing = [column for column in required if column not in positions.columns]
    if missing:
        raise ValueError(f"positions lack the column(s): {', '.join(missing)}")
    stock = positions.copy()
    stock["lead_time_weeks"] = stock["lead_time_weeks"].astype("int64")
    stock["cover_weeks"] = stock["lead_time_weeks"] + params.review_weeks
    cover = _cover(stock, forecasts)
    frame = stock.merge(cover, on="series_id", how="left")

    cover_weeks = frame["cover_weeks"].astype("float64")
    known = frame["weeks"].fillna(0.0)
    # Missing weeks of a short horizon count at the mean of the known ones.
    demand = (frame["demand"] * cover_weeks / known.where(known > 0)).fillna(0.0)
    sigma = frame["sigma"].fillna(0.0)
    safety = normal_quantile(params.service_level) * sigma * np.sqrt(cover_weeks)
    position = (
        frame["on_hand"].fillna(0.0) + frame["in_transit"].fillna(0.0) + frame["open_orders"].fillna(0.0)
    )
    has_forecast = frame["order_period"].notna()

    if params.mode == "replenish":
        order_up_to = demand + safety
        ordering = (order_up_to - position > TOLERANCE) & has_forecast
        base_reason = np.where(has_forecast, np.where(ordering, "order_up_to", "covered"), "no_forecast")
    else:
        order_up_to = frame["max_qty"].astype("float64")
        ordering = (position - frame["min_qty"].astype("float64") <= TOLERANCE) & (
            order_up_to - position > TOLERANCE
        )
        base_reason = np.where(ordering, "below_min", "above_min")

    raw = (order_up_to - position).clip(lower=0.0)
    min_order = frame["min_order"].astype("float64").fillna(0.0)
    raised = ordering & (min_order - raw > TOLERANCE)
    wanted = np.maximum(raw, min_order)
    pack = frame["case_pack"].astype("float64")
    pack = pack.where(pack > 0, 1.0).fillna(1.0)
    packed = np.ceil(wanted / pack - TOLERANCE) * pack
    quantity = np.where(ordering, packed, 0.0)
    reason = np.where(raised & (params.mode == "replenish"), "minimum_order", base_reason)

    return pd.DataFrame(
        {
            "series_id": frame["series_id"],
            "order_period": frame["order_period"].astype("datetime64[ns]"),
            "arrival_period": (
                frame["order_period"] + pd.to_timedelta(frame["lead_time_weeks"] * 7, unit="D")
            ).astype("datetime64[ns]"),
            "lead_time_weeks": frame["lead_time_weeks"],
            "demand_over_cover": demand.astype("float64"),
            "sigma": sigma.astype("float64"),
            "safety_stock": safety.astype("float64"),
            "order_up_to": order_up_to.astype("float64"),
            "position": position.astype("float64"),
            "quantity": pd.Series(quantity, index=frame.index, dtype="float64"),
            "reason": pd.Series(reason, index=frame.index, dtype="str"),
        }
    ).reset_index(drop=True)
