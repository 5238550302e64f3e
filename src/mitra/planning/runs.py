"""One planning run of a partnership's current cycle: the statistical forecast, the consensus by the agreed
rule, the exceptions and the order proposals. Called by ``services.planning_run`` (with an actor) and by
the job backend (``tasks``); both sides see the same result because it is computed from shared data by
the terms both agreed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from mitra.planning import io
from mitra.planning.engine.calendar import indonesian_events
from mitra.planning.engine.exceptions import ExceptionCriteria, ExceptionInputs, evaluate
from mitra.planning.engine.executor import DaskExecutor, Executor, LocalExecutor
from mitra.planning.engine.forecast import ForecastParams, forecast
from mitra.planning.engine.proposals import ProposalParams, propose
from mitra.planning.engine.simulate import SimulationParams, simulate
from mitra.planning.models import (
    ConsensusRule,
    CycleStatus,
    ExceptionStatus,
    Item,
    Lifecycle,
    OrderProposal,
    PlanningAgreement,
    PlanningCycle,
    PlanningException,
    ProposalStatus,
)

Progress = Callable[[int, str], None]
ACCURACY_WEEKS = 4  # the frozen forecast's error is measured over the last weeks with actuals


@dataclass(frozen=True)
class RunResult:
    cycle_id: int
    series: int
    forecast_lines: int
    exceptions: int
    proposals: int


def agreement_of(partnership_id: int) -> PlanningAgreement:
    agreement, _created = PlanningAgreement.objects.get_or_create(partnership_id=partnership_id)
    return agreement


def terms(agreement: PlanningAgreement) -> dict[str, Any]:
    """The terms in force: while a change is proposed, the last agreed ones."""
    from mitra.planning.agreements import current_terms

    return current_terms(agreement)


def current_cycle(partnership_id: int, today: dt.date | None = None) -> PlanningCycle:
    """The open cycle of this week (created on first use); earlier open cycles are frozen first."""
    week = io.monday(today or timezone.localdate())
    freeze_before(partnership_id, week)
    cycle, _created = PlanningCycle.objects.get_or_create(partnership_id=partnership_id, week=week)
    return cycle


def freeze_before(partnership_id: int | None, week: dt.date) -> int:
    """Freeze the open cycles of weeks before ``week``: what was promised then stays as it was."""
    qs = PlanningCycle.objects.filter(status=CycleStatus.OPEN, week__lt=week)
    if partnership_id is not None:
        qs = qs.filter(partnership_id=partnership_id)
    return qs.update(status=CycleStatus.FROZEN, frozen_at=timezone.now())


def executor_for(name: str, n_jobs: int = 1) -> Executor:
    if name == "dask":
        return DaskExecutor()
    return LocalExecutor(n_jobs=n_jobs)


def consensus(
    rule: str, supplier_weight: float, statistical: pd.DataFrame, sides: pd.DataFrame, manual: pd.DataFrame
) -> pd.DataFrame:
    """The consensus forecast (series_id, period, quantity, lo, hi) by the agreed rule. Where a side has
    no forecast for a week, the statistical forecast stands in for it; the interval keeps the statistical
    width around the consensus."""
    base = statistical[["series_id", "period", "forecast", "lo", "hi"]].rename(columns={"forecast": "stat"})
    keys = {"series_id": pd.Series(dtype=str), "period": pd.Series(dtype="datetime64[ns]")}
    wide = (
        sides.pivot_table(index=["series_id", "period"], columns="source", values="quantity", aggfunc="last")
        .reset_index()
        .rename_axis(columns=None)
        if len(sides)
        else pd.DataFrame(keys)
    )
    # outer: a side may forecast a series the statistics cannot (a new item without history)
    frame = base.merge(wide, on=["series_id", "period"], how="outer")
    hand = (
        manual[["series_id", "period", "quantity"]].rename(columns={"quantity": "manual"})
        if len(manual)
        else pd.DataFrame({**keys, "manual": pd.Series(dtype="float64")})
    )
    frame = frame.merge(hand, on=["series_id", "period"], how="outer")
    for side in ("supplier", "customer"):
        if side not in frame:
            frame[side] = np.nan
        frame[side] = frame[side].astype("float64").fillna(frame["stat"])
    supplier, customer = frame["supplier"], frame["customer"]
    if rule == ConsensusRule.SUPPLIER:
        value = supplier.fillna(customer)
    elif rule == ConsensusRule.CUSTOMER:
        value = customer.fillna(supplier)
    elif rule == ConsensusRule.BLEND:
        w = supplier_weight / 100.0
        value = (w * supplier + (1 - w) * customer).fillna(supplier).fillna(customer)
    else:
        value = frame["manual"].astype("float64").fillna(frame["stat"]).fillna(supplier).fillna(customer)
    manual_rows = frame["manual"].notna() & (rule == ConsensusRule.MANUAL)
    # without a statistical interval: a zero-width one around the consensus
    shift = (value - frame["stat"]).fillna(0.0)
    out = pd.DataFrame(
        {
            "series_id": frame["series_id"],
            "period": frame["period"],
            "quantity": value.clip(lower=0),
            "lo": (frame["lo"] + shift).fillna(value).clip(lower=0),
            "hi": (frame["hi"] + shift).fillna(value).clip(lower=0),
            "model": np.where(manual_rows, "manual", "consensus"),
        }
    )
    return out[out["quantity"].notna()].reset_index(drop=True)


def _frozen(
    partnership_id: int, cycle: PlanningCycle, history: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The frozen consensus (each past week's forecast from the latest cycle frozen before it) and the
    actuals of the last ``ACCURACY_WEEKS`` weeks."""
    since = cycle.week - dt.timedelta(weeks=ACCURACY_WEEKS)
    cycles = dict(
        PlanningCycle.objects.filter(
            partnership_id=partnership_id, status=CycleStatus.FROZEN, week__gte=since - dt.timedelta(weeks=13)
        ).values_list("id", "week")
    )
    lines = io.forecasts(cycles, ["consensus"])
    if lines.empty:
        empty = pd.DataFrame({"series_id": [], "period": [], "quantity": []})
        return empty, empty
    lines["cycle_week"] = pd.to_datetime(lines["cycle_id"].map(cycles))
    lines = lines[(lines["cycle_week"] < lines["period"]) & (lines["period"] >= pd.Timestamp(since))]
    lines = lines.sort_values(["series_id", "period", "cycle_week"]).drop_duplicates(
        ["series_id", "period"], keep="last"
    )
    actuals = history[history["period"] >= pd.Timestamp(since)]
    return lines[["series_id", "period", "quantity"]], actuals[["series_id", "period", "quantity"]]


def run(
    partnership_id: int,
    *,
    executor: str = "local",
    n_jobs: int = 1,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Plan the partnership's current cycle. All writes are one transaction: a failed run leaves the
    previous results as they were."""
    say = progress or (lambda _pct, _msg: None)
    cycle = current_cycle(partnership_id, today)
    agreed = terms(agreement_of(partnership_id))
    say(5, "history")
    history = io.history(partnership_id, before=cycle.week)
    stored = io.forecasts([cycle.pk], ["supplier", "customer", "consensus"])
    positions = io.positions(partnership_id, also=stored["series_id"].unique())
    # a discontinued item is neither forecast nor ordered any more
    gone = set(
        Item.objects.filter(partnership_id=partnership_id, lifecycle=Lifecycle.DISCONTINUED).values_list(
            "pk", flat=True
        )
    )
    if gone:
        history = history[~pd.Series(io.split_series(history["series_id"])[0]).isin(gone).to_numpy()]
        positions = positions[~positions["item_id"].isin(gone)].reset_index(drop=True)
    say(15, "forecast")
    params = ForecastParams(
        horizon=int(agreed["horizon_weeks"]),
        season_length=int(agreed["season_length"]),
        holidays=bool(agreed["use_holidays"]),
        n_jobs=n_jobs,
    )
    if history.empty:  # nothing sold yet: only the sides' forecasts, if any, make the consensus
        statistical = pd.DataFrame(
            {
                "series_id": pd.Series(dtype=str),
                "period": pd.Series(dtype="datetime64[ns]"),
                "forecast": pd.Series(dtype="float64"),
                "lo": pd.Series(dtype="float64"),
                "hi": pd.Series(dtype="float64"),
                "model": pd.Series(dtype=str),
            }
        )
    else:
        statistical = forecast(history, params, executor=executor_for(executor, n_jobs)).forecasts.copy()
    # the forecast starts at the cycle's week even when the last sell-out is older
    statistical = statistical[statistical["period"] >= pd.Timestamp(cycle.week)]
    say(70, "consensus")
    sides = stored[stored["source"].isin(["supplier", "customer"])]
    manual = stored[(stored["source"] == "consensus") & (stored["model"] == "manual")]
    agreed_consensus = consensus(
        agreed["consensus_rule"], float(agreed["supplier_weight"]), statistical, sides, manual
    )
    say(80, "exceptions")
    frozen, actuals = _frozen(partnership_id, cycle, history)
    previous = _previous_consensus(partnership_id, cycle)
    series_item = positions[["series_id", "item_id"]].astype({"item_id": str})
    capacity = positions.dropna(subset=["weekly_capacity"]).drop_duplicates("item_id")
    criteria = ExceptionCriteria(
        forecast_gap_pct=_float(agreed["forecast_gap_pct"]),
        wape_pct=_float(agreed["wape_pct"]),
        version_change_pct=_float(agreed["version_change_pct"]),
        min_weeks_cover=_float(agreed["min_weeks_cover"]),
        max_weeks_cover=_float(agreed["max_weeks_cover"]),
        capacity=bool(agreed["check_capacity"]),
    )
    exceptions = evaluate(
        ExceptionInputs(
            supplier=_side(sides, "supplier"),
            customer=_side(sides, "customer"),
            consensus=agreed_consensus[["series_id", "period", "quantity"]],
            previous_consensus=previous,
            frozen=frozen,
            actuals=actuals,
            positions=positions[["series_id", "on_hand", "in_transit", "open_orders", "lead_time_weeks"]],
            capacity=pd.DataFrame(
                {"item_id": capacity["item_id"].astype(str), "quantity": capacity["weekly_capacity"]}
            ),
            series_item=series_item,
            order_forecast=agreed_consensus[["series_id", "period", "quantity"]],
        ),
        criteria,
    )
    say(90, "proposals")
    mode = agreed["mode"]
    with_forecast = positions.merge(
        agreed_consensus.groupby("series_id", as_index=False)["quantity"]
        .mean()
        .rename(columns={"quantity": "mean"}),
        on="series_id",
        how="left",
    )
    with_forecast["min_qty"] = with_forecast["mean"].fillna(0) * float(agreed["vmi_min_weeks"])
    with_forecast["max_qty"] = with_forecast["mean"].fillna(0) * float(agreed["vmi_max_weeks"])
    proposals = propose(
        with_forecast,
        agreed_consensus.rename(columns={"quantity": "forecast"}).assign(level=float(params.level)),
        ProposalParams(
            service_level=float(agreed["service_level"]) / 100.0,
            review_weeks=int(agreed["review_weeks"]),
            mode=mode,
        ),
    )
    with transaction.atomic():
        cycle = PlanningCycle.objects.select_for_update().get(pk=cycle.pk)
        written = io.write_forecasts(
            cycle, "statistical", statistical.rename(columns={"forecast": "quantity"})
        )
        if agreed["consensus_rule"] == ConsensusRule.MANUAL:
            io.write_forecasts(cycle, "consensus", agreed_consensus)
        else:
            written += io.write_forecasts(cycle, "consensus", agreed_consensus)
        n_exceptions = _store_exceptions(cycle, exceptions)
        n_proposals = _store_proposals(cycle, proposals)
    say(100, "done")
    return RunResult(
        cycle_id=cycle.pk,
        series=int(history["series_id"].nunique()) if len(history) else 0,
        forecast_lines=written,
        exceptions=n_exceptions,
        proposals=n_proposals,
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _side(sides: pd.DataFrame, side: str) -> pd.DataFrame:
    return sides[sides["source"] == side][["series_id", "period", "quantity"]]


def _previous_consensus(partnership_id: int, cycle: PlanningCycle) -> pd.DataFrame:
    previous = (
        PlanningCycle.objects.filter(partnership_id=partnership_id, week__lt=cycle.week)
        .order_by("-week")
        .first()
    )
    if previous is None:
        return pd.DataFrame({"series_id": [], "period": [], "quantity": []})
    return io.forecasts([previous.pk], ["consensus"])[["series_id", "period", "quantity"]]


def _store_exceptions(cycle: PlanningCycle, found: pd.DataFrame) -> int:
    """Keep the cycle's resolved exceptions, refresh the open ones that still fire, drop those that no
    longer do and add the new ones: one row per item, location and criterion (the earliest week)."""
    found = found.copy()
    if found.empty:
        PlanningException.objects.filter(cycle=cycle, status=ExceptionStatus.OPEN).delete()
        return 0
    has_series = found["series_id"].notna()
    item = pd.Series(pd.NA, index=found.index, dtype="Int64")
    location = pd.Series(pd.NA, index=found.index, dtype="Int64")
    if has_series.any():
        i, loc = io.split_series(found.loc[has_series, "series_id"])
        item[has_series] = i
        location[has_series] = loc
    item[~has_series] = found.loc[~has_series, "item_id"].astype("int64")
    found["item"] = item
    found["location"] = location
    found = found.sort_values(["item", "location", "criterion", "period"], na_position="first")
    found = found.drop_duplicates(["item", "location", "criterion"], keep="first")
    existing = {
        (e.item_id, e.location_id, e.criterion): e for e in PlanningException.objects.filter(cycle=cycle)
    }
    keep: set[int] = set()
    new: list[PlanningException] = []
    changed: list[PlanningException] = []
    for row in found.itertuples(index=False):
        key = (int(row.item), None if pd.isna(row.location) else int(row.location), str(row.criterion))
        period = None if pd.isna(row.period) else pd.Timestamp(row.period).date()
        old = existing.get(key)
        if old is not None:
            keep.add(old.pk)
            if old.status == ExceptionStatus.OPEN:
                old.value, old.threshold, old.priority = (
                    float(row.value),
                    float(row.threshold),
                    int(row.priority),
                )
                old.period, old.owner_side = period, str(row.owner_side)
                changed.append(old)
            continue
        new.append(
            PlanningException(
                partnership_id=cycle.partnership_id,
                cycle=cycle,
                item_id=key[0],
                location_id=key[1],
                criterion=key[2],
                period=period,
                value=float(row.value),
                threshold=float(row.threshold),
                priority=int(row.priority),
                owner_side=str(row.owner_side),
            )
        )
    PlanningException.objects.filter(cycle=cycle, status=ExceptionStatus.OPEN).exclude(pk__in=keep).delete()
    PlanningException.objects.bulk_update(
        changed, ["value", "threshold", "priority", "period", "owner_side"], batch_size=1000
    )
    PlanningException.objects.bulk_create(new, batch_size=1000)
    return len(found)


def _store_proposals(cycle: PlanningCycle, proposals: pd.DataFrame) -> int:
    """Replace the cycle's open proposals; proposals already confirmed or rejected this cycle stay."""
    OrderProposal.objects.filter(cycle=cycle, status=ProposalStatus.PROPOSED).delete()
    decided = set(OrderProposal.objects.filter(cycle=cycle).values_list("item_id", "location_id"))
    ordering = proposals[proposals["quantity"] > 0]
    if ordering.empty:
        return 0
    item, location = io.split_series(ordering["series_id"])
    rows = [
        OrderProposal(
            partnership_id=cycle.partnership_id,
            cycle=cycle,
            item_id=int(i),
            location_id=int(loc),
            quantity=float(q),
            demand_over_cover=float(d),
            safety_stock=float(s),
            order_up_to=float(u),
            position=float(p),
            arrival=None if pd.isna(a) else pd.Timestamp(a).date(),
        )
        for i, loc, q, d, s, u, p, a in zip(
            item,
            location,
            ordering["quantity"],
            ordering["demand_over_cover"].fillna(0),
            ordering["safety_stock"].fillna(0),
            ordering["order_up_to"].fillna(0),
            ordering["position"].fillna(0),
            ordering["arrival_period"],
            strict=True,
        )
        if (int(i), int(loc)) not in decided
    ]
    OrderProposal.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


QUOTA_WEEKS = 52  # push ships last year's volume spread over the months (a sales target)


@dataclass(frozen=True)
class Simulation:
    """Push against partnering on the partnership's own sell-out history (``engine.simulate``)."""

    params: SimulationParams
    policies: pd.DataFrame
    series: int
    weeks: int


def replay(partnership_id: int, *, weeks: int | None = None) -> Simulation | None:
    """Replay the partnership's weekly sell-out (the last ``weeks``, or all) two ways: push (last year's
    volume as a monthly quota) and partnering (CPFR proposals, with the agreed review period and service
    level, the items' median lead time, and the Indonesian calendar when the partners use it). None
    without a year and a month of history."""
    demand = io.history(partnership_id, before=io.monday(timezone.localdate()))
    if weeks is not None and len(demand):
        demand = demand[demand["period"] > demand["period"].max() - pd.Timedelta(weeks=weeks)]
    if demand.empty:
        return None
    first, last = demand["period"].min().date(), demand["period"].max().date()
    if (last - first).days < 7 * (QUOTA_WEEKS + 4):
        return None
    agreement = PlanningAgreement.objects.filter(partnership_id=partnership_id).first()
    agreed = terms(agreement or PlanningAgreement(partnership_id=partnership_id))  # defaults until agreed
    days = list(Item.objects.filter(partnership_id=partnership_id).values_list("lead_time_days", flat=True))
    lead = max(1, -(-int(np.median(days)) // 7)) if days else 1
    params = SimulationParams(
        lead_time_weeks=lead,
        review_weeks=int(agreed["review_weeks"]),
        service_level=float(agreed["service_level"]) / 100.0,
        quota_weeks=QUOTA_WEEKS,
    )
    events = indonesian_events(first, last) if agreed["use_holidays"] else None
    return Simulation(
        params=params,
        policies=simulate(demand, params, events=events),
        series=int(demand["series_id"].nunique()),
        weeks=int(demand["period"].nunique()),
    )
