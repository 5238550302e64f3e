"""``mitra plan run`` stores a planning run's forecast lines; ``mitra plan simulate`` compares push orders
with partnering on the same history; an unknown partnership is an error."""

from __future__ import annotations

import datetime as dt
import json
import math
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from tests import factories as f

from mitra.planning.models import ForecastLine, PlanningCycle
from mitra.planning.services import planning_data_load

pytestmark = pytest.mark.django_db

WEEKS = 60


def seeded(world) -> int:
    """Two items at one store with 60 weeks of sell-out up to last week, and a stock count."""
    actor = f.actor(world.supplier_admin)
    pid = world.partnership.pk
    planning_data_load(
        actor,
        partnership_id=pid,
        kind="items",
        rows=[
            {"supplier_sku": "SR-001", "customer_sku": "RM-1", "name": "Kecap Manis", "lead_time_days": "14"},
            {"supplier_sku": "SR-002", "customer_sku": "RM-2", "name": "Sambal", "lead_time_days": "7"},
        ],
    )
    planning_data_load(actor, partnership_id=pid, kind="locations", rows=[{"code": "ST-1", "name": "Toko"}])
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    rows = []
    for week in range(1, WEEKS + 1):  # 60 weeks before this one, two series
        period = (monday - dt.timedelta(weeks=week)).isoformat()
        rows.append({"sku": "SR-001", "location": "ST-1", "period": period, "quantity": str(40 + week % 7)})
        rows.append({"sku": "SR-002", "location": "ST-1", "period": period, "quantity": str(10 + week % 3)})
    planning_data_load(actor, partnership_id=pid, kind="sell_out", rows=rows)
    planning_data_load(
        actor,
        partnership_id=pid,
        kind="stock",
        rows=[
            {"sku": "SR-001", "location": "ST-1", "as_of": monday.isoformat(), "on_hand": "30"},
            {"sku": "SR-002", "location": "ST-1", "as_of": monday.isoformat(), "on_hand": "100"},
        ],
    )
    return pid


def test_plan_run_stores_statistical_and_consensus_lines(world):
    pid = seeded(world)
    out, err = StringIO(), StringIO()
    call_command("plan", "run", "--partnership", str(pid), stdout=out, stderr=err)
    cycle = PlanningCycle.objects.get(partnership_id=pid)
    statistical = ForecastLine.objects.filter(cycle=cycle, source="statistical")
    consensus = ForecastLine.objects.filter(cycle=cycle, source="consensus")
    assert statistical.count() == 2 * 13
    assert consensus.count() == 2 * 13
    assert {line.period for line in statistical} == {cycle.week + dt.timedelta(weeks=k) for k in range(13)}
    assert f"Partnership {pid} " in out.getvalue()
    assert "2 series, 52 forecast lines" in out.getvalue()
    assert "100 % done" in err.getvalue()


def test_plan_run_without_a_partnership_plans_every_partnership_with_items(world):
    pid = seeded(world)
    out = StringIO()
    call_command("plan", "run", stdout=out, stderr=StringIO())
    assert out.getvalue().count("Partnership ") == 1
    assert f"Partnership {pid} " in out.getvalue()
    assert ForecastLine.objects.filter(partnership_id=pid, source="statistical").count() == 26


def test_plan_simulate_json_has_both_policies(world):
    pid = seeded(world)
    out = StringIO()
    call_command("plan", "simulate", "--partnership", str(pid), "--json", stdout=out)
    report = json.loads(out.getvalue())
    (entry,) = report["partnerships"]
    assert entry["partnership"] == pid
    assert (entry["series"], entry["weeks"]) == (2, WEEKS)
    assert entry["lead_time_weeks"] == 2  # the median of 14 and 7 days, in whole weeks
    assert set(entry["policies"]) == {"push", "partnering"}
    for policy in ("push", "partnering"):
        assert 0.0 <= entry["policies"][policy]["fill_rate"] <= 1.0
    difference = entry["policies"]["partnering"]["lost_sales"] - entry["policies"]["push"]["lost_sales"]
    assert math.isclose(entry["difference"]["lost_sales"], difference, abs_tol=1e-9)


def test_plan_simulate_prints_a_table_and_weeks_limit_the_replay(world):
    pid = seeded(world)
    out = StringIO()
    call_command("plan", "simulate", "--partnership", str(pid), "--weeks", "58", stdout=out)
    text = out.getvalue()
    assert "2 series, 58 weeks" in text
    assert "fill rate" in text
    assert "partnering" in text
    # push's quota is last year's volume: a replay needs a year and a month of history
    with pytest.raises(CommandError, match="too little sell-out"):
        call_command("plan", "simulate", "--partnership", str(pid), "--weeks", "40", stdout=StringIO())


def test_unknown_partnership_is_an_error(world):
    with pytest.raises(CommandError, match="No partnership with id 999999"):
        call_command("plan", "run", "--partnership", "999999", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="No partnership with id 999999"):
        call_command("plan", "simulate", "--partnership", "999999", stdout=StringIO())


def test_a_partnership_without_items_is_an_error(world):
    with pytest.raises(CommandError, match="has no planning items"):
        call_command(
            "plan", "run", "--partnership", str(world.partnership.pk), stdout=StringIO(), stderr=StringIO()
        )


def test_plan_run_without_sell_out_is_an_error_for_one_and_skipped_for_all(world):
    actor = f.actor(world.supplier_admin)
    planning_data_load(
        actor,
        partnership_id=world.partnership.pk,
        kind="items",
        rows=[{"supplier_sku": "SR-001", "customer_sku": "RM-1", "name": "Kecap Manis"}],
    )
    with pytest.raises(CommandError, match="has no sell-out yet"):
        call_command(
            "plan", "run", "--partnership", str(world.partnership.pk), stdout=StringIO(), stderr=StringIO()
        )
    out, err = StringIO(), StringIO()
    call_command("plan", "run", stdout=out, stderr=err)
    assert "has no sell-out yet" in err.getvalue()
    assert out.getvalue() == ""
    assert ForecastLine.objects.filter(partnership_id=world.partnership.pk).count() == 0


def test_one_failed_run_does_not_stop_the_others_but_fails_the_command(world, monkeypatch):
    from mitra.planning import runs

    pid = seeded(world)
    other = f.PartnershipFactory(
        supplier=world.supplier,
        customer=f.OrganisationFactory(name="PT Pelanggan Kedua"),
        start_date=dt.date(2025, 1, 6),
    )
    planning_data_load(
        f.actor(world.supplier_admin),
        partnership_id=other.pk,
        kind="items",
        rows=[{"supplier_sku": "X-1", "customer_sku": "Y-1", "name": "Lain"}],
    )
    planning_data_load(
        f.actor(world.supplier_admin),
        partnership_id=other.pk,
        kind="locations",
        rows=[{"code": "S", "name": "S"}],
    )
    planning_data_load(
        f.actor(world.supplier_admin),
        partnership_id=other.pk,
        kind="sell_out",
        rows=[{"sku": "X-1", "location": "S", "period": "2026-11-02", "quantity": 3}],
    )
    real = runs.run

    def flaky(partnership_id, **kwargs):
        if partnership_id == pid:
            raise RuntimeError("disk full")
        return real(partnership_id, **kwargs)

    monkeypatch.setattr(runs, "run", flaky)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=f"failed: {pid}"):
        call_command("plan", "run", stdout=out, stderr=err)
    assert f"Partnership {pid}: the planning run failed: disk full" in err.getvalue()
    assert f"Partnership {other.pk} " in out.getvalue()  # planned after the failure
    assert ForecastLine.objects.filter(partnership_id=other.pk).exists()
    assert not ForecastLine.objects.filter(partnership_id=pid).exists()
