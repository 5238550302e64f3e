"""A planning run end to end on the database: forecasts stored per source, the consensus by the agreed
rule, exceptions kept or dropped, proposals confirmed into orders by the buyer only."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest
from tests import factories as f

from mitra.core.errors import Conflict, Invalid, PermissionDenied
from mitra.planning import runs, selectors
from mitra.planning.models import (
    ForecastLine,
    Order,
    OrderProposal,
    PlanningCycle,
    PlanningException,
)
from mitra.planning.services import (
    planning_agreement_decide,
    planning_agreement_propose,
    planning_data_load,
    planning_exception_resolve,
    planning_forecast_submit,
    planning_proposals_decide,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)  # a Wednesday: the cycle's week is Monday 2026-11-23
WEEK = dt.date(2026, 11, 23)


def seed(world, weeks: int = 80):
    actor = f.actor(world.supplier_admin)
    pid = world.partnership.pk
    planning_data_load(
        actor,
        partnership_id=pid,
        kind="items",
        rows=[
            {
                "supplier_sku": "SR-001",
                "customer_sku": "RM-1",
                "name": "Kecap",
                "case_pack": 6,
                "lead_time_days": 14,
                "weekly_capacity": 30,
            },
            {"supplier_sku": "SR-002", "customer_sku": "RM-2", "name": "Sambal", "case_pack": 1},
        ],
    )
    planning_data_load(
        actor, partnership_id=pid, kind="locations", rows=[{"code": "DC", "name": "DC Cikarang"}]
    )
    rng = np.random.default_rng(1)
    start = WEEK - dt.timedelta(weeks=weeks)
    rows = []
    for k in range(weeks):
        day = (start + dt.timedelta(weeks=k)).isoformat()
        rows.append({"sku": "SR-001", "location": "DC", "period": day, "quantity": int(40 + rng.poisson(5))})
        rows.append({"sku": "SR-002", "location": "DC", "period": day, "quantity": int(rng.poisson(3))})
    planning_data_load(actor, partnership_id=pid, kind="sell_out", rows=rows)
    planning_data_load(
        actor,
        partnership_id=pid,
        kind="stock",
        rows=[
            {"sku": "SR-001", "location": "DC", "as_of": "2026-11-01", "on_hand": 500},
            {"sku": "SR-001", "location": "DC", "as_of": "2026-11-22", "on_hand": 10},
            {"sku": "SR-002", "location": "DC", "as_of": "2026-11-22", "on_hand": 200},
        ],
    )
    return actor


def test_a_run_forecasts_plans_and_proposes(world):
    seed(world)
    pid = world.partnership.pk
    result = runs.run(pid, today=TODAY)
    cycle = PlanningCycle.objects.get(pk=result.cycle_id)
    assert cycle.week == WEEK
    assert result.series == 2
    stat = ForecastLine.objects.filter(cycle=cycle, source="statistical")
    assert stat.count() == 2 * 13
    assert min(stat.values_list("period", flat=True)) == WEEK
    consensus = ForecastLine.objects.filter(cycle=cycle, source="consensus")
    assert consensus.count() == 2 * 13
    # no side forecast yet: the consensus is the statistical forecast
    s = {(x.item_id, x.period): x.quantity for x in stat}
    assert all(abs(s[(x.item_id, x.period)] - x.quantity) < 1e-9 for x in consensus)
    # SR-001 sells ~45 a week and has 10 on hand: low stock and a proposal in whole case packs
    kecap = OrderProposal.objects.get(cycle=cycle, item__supplier_sku="SR-001")
    assert kecap.quantity > 0 and kecap.quantity % 6 == 0
    assert kecap.position == 10
    assert kecap.arrival == WEEK + dt.timedelta(weeks=2)
    # ~45 a week against a stated capacity of 30
    criteria = set(PlanningException.objects.filter(cycle=cycle).values_list("criterion", flat=True))
    assert {"low_stock", "over_capacity"} <= criteria
    # SR-002 has 200 on hand for ~3 a week: overstock, no order
    assert PlanningException.objects.filter(
        cycle=cycle, criterion="overstock", item__supplier_sku="SR-002"
    ).exists()
    assert not OrderProposal.objects.filter(cycle=cycle, item__supplier_sku="SR-002").exists()
    # a second run replaces, it does not add
    runs.run(pid, today=TODAY)
    assert ForecastLine.objects.filter(cycle=cycle).count() == 4 * 13
    assert OrderProposal.objects.filter(cycle=cycle).count() == 1


def test_side_forecasts_blend_and_the_gap_is_an_exception(world):
    supplier = seed(world)
    pid = world.partnership.pk
    customer = f.actor(world.customer_admin)
    runs.run(pid, today=TODAY)
    rows = [
        {
            "sku": "RM-1",
            "location": "DC",
            "period": (WEEK + dt.timedelta(weeks=k)).isoformat(),
            "quantity": 100,
        }
        for k in range(13)
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
        planning_forecast_submit(customer, partnership_id=pid, rows=rows)
        planning_forecast_submit(
            supplier,
            partnership_id=pid,
            rows=[{**r, "sku": "SR-001", "quantity": 50} for r in rows],
        )
    result = runs.run(pid, today=TODAY)
    line = ForecastLine.objects.get(
        cycle_id=result.cycle_id, source="consensus", item__supplier_sku="SR-001", period=WEEK
    )
    assert line.quantity == pytest.approx(75.0)  # the default blend: 50 % each
    gap = PlanningException.objects.get(cycle_id=result.cycle_id, criterion="forecast_gap")
    assert gap.value == pytest.approx(100 * 50 * 13 / (75 * 13))
    assert gap.owner_side == "both"


def test_exceptions_resolve_and_proposals_are_confirmed_by_the_buyer(world):
    seed(world)
    pid = world.partnership.pk
    result = runs.run(pid, today=TODAY)
    low = PlanningException.objects.get(cycle_id=result.cycle_id, criterion="low_stock")
    done = planning_exception_resolve(
        f.actor(world.supplier_admin), partnership_id=pid, exception_id=low.pk, resolution="order_changed"
    )
    assert (done.status, done.resolution) == ("resolved", "order_changed")
    with pytest.raises(Conflict):
        planning_exception_resolve(
            f.actor(world.customer_admin), partnership_id=pid, exception_id=low.pk, resolution="accepted"
        )
    # a re-run keeps the resolution
    runs.run(pid, today=TODAY)
    assert PlanningException.objects.get(pk=low.pk).status == "resolved"
    proposal = OrderProposal.objects.get(cycle_id=result.cycle_id)
    with pytest.raises(PermissionDenied):
        planning_proposals_decide(
            f.actor(world.supplier_admin), partnership_id=pid, proposal_ids=[proposal.pk], confirm=True
        )
    (order,) = planning_proposals_decide(
        f.actor(world.customer_admin),
        partnership_id=pid,
        proposal_ids=[proposal.pk],
        confirm=True,
        quantities={proposal.pk: 13},
    )
    line = order.lines.get()
    assert float(line.quantity) == 18  # 13 rounded up to the case pack of 6
    decided = OrderProposal.history.filter(id=proposal.pk).latest("history_date")
    assert (decided.status, decided.history_user) == ("confirmed", world.customer_admin.user)
    assert Order.objects.filter(partnership_id=pid).count() == 1
    text = selectors.order_csv(selectors.order_get(f.actor(world.supplier_admin), pid, order.pk))
    assert "SR-001,RM-1,Kecap,18," in text
    with pytest.raises(Conflict):
        planning_proposals_decide(
            f.actor(world.customer_admin), partnership_id=pid, proposal_ids=[proposal.pk], confirm=False
        )


def test_the_terms_change_only_when_the_other_side_agrees(world):
    pid = world.partnership.pk
    supplier, customer = f.actor(world.supplier_admin), f.actor(world.customer_admin)
    planning_agreement_propose(supplier, partnership_id=pid, changes={"consensus_rule": "supplier"})
    view = selectors.agreement_get(customer, pid)
    assert view.terms["consensus_rule"] == "blend"
    assert view.changes == {"consensus_rule": ("blend", "supplier")}
    with pytest.raises(Conflict):
        planning_agreement_decide(supplier, partnership_id=pid, agree=True)
    with pytest.raises(Conflict):
        planning_agreement_propose(customer, partnership_id=pid, changes={"horizon_weeks": 8})
    planning_agreement_decide(customer, partnership_id=pid, agree=True)
    assert selectors.agreement_get(supplier, pid).terms["consensus_rule"] == "supplier"
    planning_agreement_propose(customer, partnership_id=pid, changes={"horizon_weeks": 8})
    planning_agreement_decide(supplier, partnership_id=pid, agree=False)
    view = selectors.agreement_get(supplier, pid)
    assert (view.terms["horizon_weeks"], view.changes) == (13, {})


def test_the_weekly_job_freezes_last_week_and_queues_this_weeks_runs(world, monkeypatch):
    from mitra.planning import tasks

    seed(world, weeks=20)
    old = PlanningCycle.objects.create(partnership=world.partnership, week=WEEK - dt.timedelta(weeks=1))
    queued: list[int] = []
    monkeypatch.setattr(tasks, "run_planning", SimpleNamespace(enqueue=lambda pid, *a: queued.append(pid)))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
    assert tasks.plan_the_week.call() == 1
    assert queued == [world.partnership.pk]
    old.refresh_from_db()
    assert old.status == "frozen" and old.frozen_at is not None


def test_a_threshold_agreed_empty_switches_its_criterion_off(world):
    supplier = seed(world)
    pid = world.partnership.pk
    customer = f.actor(world.customer_admin)
    planning_agreement_propose(supplier, partnership_id=pid, changes={"forecast_gap_pct": None})
    planning_agreement_decide(customer, partnership_id=pid, agree=True)
    assert selectors.agreement_get(customer, pid).terms["forecast_gap_pct"] is None
    rows = [
        {
            "sku": "RM-1",
            "location": "DC",
            "period": (WEEK + dt.timedelta(weeks=k)).isoformat(),
            "quantity": 100,
        }
        for k in range(13)
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
        planning_forecast_submit(customer, partnership_id=pid, rows=rows)
    result = runs.run(pid, today=TODAY)
    assert not PlanningException.objects.filter(cycle_id=result.cycle_id, criterion="forecast_gap").exists()


def test_a_run_without_sell_out_plans_from_the_sides_forecasts_alone(world):
    supplier = f.actor(world.supplier_admin)
    pid = world.partnership.pk
    planning_data_load(
        supplier,
        partnership_id=pid,
        kind="items",
        rows=[
            {"supplier_sku": "NEW-1", "customer_sku": "C-NEW-1", "name": "Produk baru", "lead_time_days": 7}
        ],
    )
    planning_data_load(supplier, partnership_id=pid, kind="locations", rows=[{"code": "DC", "name": "DC"}])
    assert runs.run(pid, today=TODAY).series == 0  # nothing sold, nothing to forecast: no crash
    rows = [
        {
            "sku": "NEW-1",
            "location": "DC",
            "period": (WEEK + dt.timedelta(weeks=k)).isoformat(),
            "quantity": 20,
        }
        for k in range(4)
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
        planning_forecast_submit(supplier, partnership_id=pid, rows=rows)
    result = runs.run(pid, today=TODAY)
    consensus = ForecastLine.objects.filter(cycle_id=result.cycle_id, source="consensus")
    assert sorted(consensus.values_list("quantity", flat=True)) == [20.0] * 4
    # a new item with a forecast and no stock gets a proposal
    assert OrderProposal.objects.filter(cycle_id=result.cycle_id, item__supplier_sku="NEW-1").exists()


def test_a_hand_set_consensus_line_does_not_freeze_the_others(world):
    supplier = seed(world)
    pid = world.partnership.pk
    customer = f.actor(world.customer_admin)
    planning_agreement_propose(supplier, partnership_id=pid, changes={"consensus_rule": "manual"})
    planning_agreement_decide(customer, partnership_id=pid, agree=True)
    first = runs.run(pid, today=TODAY)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
        planning_forecast_submit(
            customer,
            partnership_id=pid,
            rows=[
                {
                    "sku": "RM-1",
                    "location": "DC",
                    "period": WEEK.isoformat(),
                    "quantity": 77,
                    "source": "consensus",
                }
            ],
        )
    lines = ForecastLine.objects.filter(cycle_id=first.cycle_id, source="consensus")
    assert list(lines.filter(model="manual").values_list("quantity", flat=True)) == [77.0]
    assert lines.exclude(model="manual").count() == 2 * 13 - 1
    runs.run(pid, today=TODAY)
    lines = ForecastLine.objects.filter(cycle_id=first.cycle_id, source="consensus")
    assert lines.get(item__supplier_sku="SR-001", period=WEEK).quantity == 77.0  # the hand-set line stays
    assert lines.filter(model="manual").count() == 1


def test_discontinued_items_are_not_forecast_and_old_proposals_cannot_be_confirmed(world):
    supplier = seed(world)
    pid = world.partnership.pk
    last_week = runs.run(pid, today=TODAY - dt.timedelta(weeks=1))
    stale = OrderProposal.objects.filter(cycle_id=last_week.cycle_id).first()
    assert stale is not None
    planning_data_load(
        supplier,
        partnership_id=pid,
        kind="items",
        rows=[
            {"supplier_sku": "SR-002", "customer_sku": "RM-2", "name": "Sambal", "lifecycle": "discontinued"}
        ],
    )
    result = runs.run(pid, today=TODAY)  # freezes last week's cycle
    assert not ForecastLine.objects.filter(cycle_id=result.cycle_id, item__supplier_sku="SR-002").exists()
    with pytest.raises(Conflict):
        planning_proposals_decide(
            f.actor(world.customer_admin), partnership_id=pid, proposal_ids=[stale.pk], confirm=True
        )
    fresh = OrderProposal.objects.get(cycle_id=result.cycle_id)
    for bad in (float("nan"), float("inf"), 1e20, 0):
        with pytest.raises(Invalid):
            planning_proposals_decide(
                f.actor(world.customer_admin),
                partnership_id=pid,
                proposal_ids=[fresh.pk],
                confirm=True,
                quantities={fresh.pk: bad},
            )
    assert Order.objects.count() == 0
