"""Collaborative planning's part of the isolation and API-fuzz tests.

``seed`` loads a small partnership's planning data (two items, three locations, a few weeks of sell-out,
low stock) and makes this week's cycle with an exception, open proposals and a confirmed order to aim at. The upload operation takes a string path parameter, ``kind``: another
app's contract maps ``kind`` to its own ``ids`` entry, and the access check answers before the kind is
read, so a stranger gets 404 whatever the kind.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
from django.utils import timezone

from mitra.accounts import services as accounts
from mitra.planning import io, runs, services
from mitra.planning.models import Item, Location, OrderProposal, PlanningException
from tests import factories as f

_p = lambda i: {"pk": i["partnership"]}  # noqa: E731
TENANT_PAGES = {
    "planning:board": _p,
    "planning:run": _p,
    "planning:run_status": _p,
    "planning:exceptions": _p,
    "planning:exception_resolve": lambda i: {"pk": i["partnership"], "exception_id": i["planning_exception"]},
    "planning:proposals": _p,
    "planning:proposals_decide": _p,
    "planning:orders": _p,
    "planning:order_export": lambda i: {"pk": i["partnership"], "order_id": i["planning_order"]},
    "planning:order_export_edifact": lambda i: {"pk": i["partnership"], "order_id": i["planning_order"]},
    "planning:order_export_x12": lambda i: {"pk": i["partnership"], "order_id": i["planning_order"]},
    "planning:data": _p,
    "planning:data_commit": _p,
    "planning:terms": _p,
    "planning:terms_propose": _p,
    "planning:terms_decide": _p,
    "planning:simulation": _p,
}

API_PATH_IDS = {
    "exception_id": "planning_exception",
    "cycle_id": "planning_cycle",
    "order_id": "planning_order",
}

LOCATIONS = ("DC", "JKT-01", "BDG-01")
CSV = b"supplier_sku,customer_sku,name,case_pack\nSR-009,RM-9,Teh melati,12\n"


def load_planning_data(world: Any, weeks: int = 60) -> None:
    """Items, locations, ``weeks`` of weekly sell-out up to last week and today's low stock (as the
    supplier's admin): SR-001 sells ~45 a week everywhere and is nearly out; SR-002 is overstocked."""
    actor = f.actor(world.supplier_admin)
    pid = world.partnership.pk
    load = lambda kind, rows: services.planning_data_load(  # noqa: E731
        actor, partnership_id=pid, kind=kind, rows=rows
    )
    load(
        "items",
        [
            {
                "supplier_sku": "SR-001",
                "customer_sku": "RM-1",
                "name": "Kecap manis",
                "case_pack": 6,
                "lead_time_days": 14,
                "weekly_capacity": 30,
            },
            {"supplier_sku": "SR-002", "customer_sku": "RM-2", "name": "Sambal", "case_pack": 1},
        ],
    )
    load("locations", [{"code": code, "name": f"Gudang {code}"} for code in LOCATIONS])
    rng = np.random.default_rng(7)
    week = io.monday(timezone.localdate())
    rows = []
    for k in range(weeks, 0, -1):
        day = (week - dt.timedelta(weeks=k)).isoformat()
        for code in LOCATIONS:
            rows.append(
                {"sku": "SR-001", "location": code, "period": day, "quantity": int(40 + rng.poisson(5))}
            )
        rows.append({"sku": "SR-002", "location": "DC", "period": day, "quantity": int(rng.poisson(3))})
    load("sell_out", rows)
    today = timezone.localdate().isoformat()
    stock = [{"sku": "SR-001", "location": code, "as_of": today, "on_hand": 10} for code in LOCATIONS]
    load("stock", [*stock, {"sku": "SR-002", "location": "DC", "as_of": today, "on_hand": 200}])


def seed(world: Any) -> dict[str, int]:
    """Fast: the planning data of ``load_planning_data`` with a few weeks of sell-out, and this week's cycle
    with an exception and three proposals made directly (a planning run takes seconds, and every
    isolation case seeds); the first proposal confirmed into an order by the buyer."""
    load_planning_data(world, weeks=3)
    pid = world.partnership.pk
    cycle = runs.current_cycle(pid)
    item = Item.objects.get(partnership_id=pid, supplier_sku="SR-001")
    locations = list(Location.objects.filter(partnership_id=pid).order_by("code"))
    exception = PlanningException.objects.create(
        partnership_id=pid,
        cycle=cycle,
        item=item,
        location=locations[0],
        criterion="low_stock",
        period=cycle.week,
        value=0.2,
        threshold=1.0,
        priority=1,
        owner_side="customer",
    )
    proposals = [
        OrderProposal.objects.create(
            partnership_id=pid,
            cycle=cycle,
            item=item,
            location=location,
            quantity=Decimal(48),
            demand_over_cover=135.0,
            safety_stock=20.0,
            order_up_to=155.0,
            position=10.0,
            arrival=cycle.week + dt.timedelta(weeks=2),
        )
        for location in locations
    ]
    (order,) = services.planning_proposals_decide(
        f.actor(world.customer_admin), partnership_id=pid, proposal_ids=[proposals[0].pk], confirm=True
    )
    return {
        "planning_cycle": cycle.pk,
        "planning_exception": exception.pk,
        "planning_order": order.pk,
        "planning_proposal": proposals[1].pk,
        "planning_proposal_spare": proposals[2].pk,
    }


def seed_with_a_run(world: Any) -> dict[str, int]:
    """Like ``seed``, but with 60 weeks of sell-out and a real planning run making the exceptions and
    proposals (one per location: BDG-01, DC, JKT-01; the first confirmed into an order)."""
    load_planning_data(world)
    pid = world.partnership.pk
    result = runs.run(pid)
    proposals = list(
        OrderProposal.objects.filter(cycle_id=result.cycle_id)
        .order_by("location__code")
        .values_list("pk", flat=True)
    )
    assert len(proposals) == len(LOCATIONS), proposals
    (order,) = services.planning_proposals_decide(
        f.actor(world.customer_admin), partnership_id=pid, proposal_ids=[proposals[0]], confirm=True
    )
    exception = PlanningException.objects.filter(cycle_id=result.cycle_id).order_by("id").first()
    assert exception is not None
    return {
        "planning_cycle": result.cycle_id,
        "planning_exception": exception.pk,
        "planning_order": order.pk,
        "planning_proposal": proposals[1],
        "planning_proposal_spare": proposals[2],
    }


def api_bodies(ids: dict[str, int]) -> dict[str, Any]:
    rows = {"rows": [{"code": "SBY-01", "name": "Toko Surabaya"}]}
    return {
        "planning_items_load": {"rows": [{"supplier_sku": "X-1", "customer_sku": "Y-1", "name": "Taken"}]},
        "planning_locations_load": rows,
        "planning_sell_out_load": {
            "rows": [{"sku": "SR-001", "location": "DC", "period": "2026-01-05", "quantity": 1}]
        },
        "planning_stock_load": {
            "rows": [{"sku": "SR-001", "location": "DC", "as_of": "2026-01-05", "on_hand": 1}]
        },
        "planning_open_orders_load": {
            "rows": [
                {"number": "PO-1", "sku": "SR-001", "location": "DC", "quantity": 6, "due_date": "2026-01-05"}
            ]
        },
        "planning_terms_propose": {"changes": {"service_level": 98}},
        "planning_terms_agree": {},
        "planning_terms_decline": {},
        "planning_forecast_submit": {
            "rows": [{"sku": "SR-001", "location": "DC", "period": "2030-01-07", "quantity": 50}]
        },
        "planning_exception_resolve": {"resolution": "accepted", "note": "Taken over"},
        "planning_proposals_confirm": {"proposal_ids": [ids["planning_proposal"]]},
        "planning_proposals_reject": {"proposal_ids": [ids["planning_proposal_spare"]]},
    }


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    """As the supplier admin (the fuzzer); the buyer's decisions as the customer's admin."""
    p = world.partnership.pk
    _token, raw = accounts.api_token_create(f.actor(world.customer_admin), name="buyer")
    buyer = {"headers": {"Authorization": f"Bearer {raw}"}}
    # a proposal of the customer's, so the supplier can agree to one, then propose and withdraw the next
    services.planning_agreement_propose(
        f.actor(world.customer_admin), partnership_id=p, changes={"service_level": 97}
    )
    path = {"partnership_id": p}
    week = io.monday(timezone.localdate())
    bodies = api_bodies(ids)
    return {
        "planning_item_list": {"path": path, "query": {"q": "SR", "lifecycle": "active"}},
        "planning_item_export": {"path": path, "query": {"format": "xlsx"}},
        "planning_items_load": {
            "path": path,
            "body": {
                "rows": [{"supplier_sku": "SR-003", "customer_sku": "RM-3", "name": "Saus tiram"}],
                "dry_run": False,
            },
        },
        "planning_location_list": {"path": path},
        "planning_location_export": {"path": path, "query": {"format": "csv"}},
        "planning_locations_load": {
            "path": path,
            "body": {**bodies["planning_locations_load"], "dry_run": True},
        },
        "planning_sell_out_list": {
            "path": path,
            "query": {"location_id": _location(p, "DC"), "since": str(week - dt.timedelta(weeks=8))},
        },
        "planning_sell_out_load": {"path": path, "body": bodies["planning_sell_out_load"]},
        "planning_stock_list": {"path": path},
        "planning_stock_load": {"path": path, "body": bodies["planning_stock_load"]},
        "planning_open_order_list": {"path": path},
        "planning_open_orders_load": {"path": path, "body": bodies["planning_open_orders_load"]},
        # A file goes as multipart/form-data (the fuzz test sends hand-made bodies as JSON unless told).
        "planning_upload": {
            "path": {**path, "kind": "items"},
            "query": {"dry_run": True},
            "body": {"file": CSV},
            "media_type": "multipart/form-data",
        },
        "planning_terms_get": {"path": path},
        "planning_terms_agree": {"path": path, "body": {}},
        "planning_terms_propose": {"path": path, "body": {"changes": {"review_weeks": 2, "wape_pct": 35}}},
        "planning_terms_decline": {"path": path, "body": {}},
        "planning_cycle_list": {"path": path},
        "planning_cycle_get": {"path": {**path, "cycle_id": ids["planning_cycle"]}},
        "planning_run": {"path": path},
        "planning_forecast_list": {"path": path, "query": {"source": "consensus", "limit": 5}},
        "planning_forecast_submit": {
            "path": path,
            "body": {"rows": [{"sku": "SR-001", "location": "DC", "period": str(week), "quantity": 44}]},
        },
        "planning_exception_list": {"path": path, "query": {"status": "open"}},
        "planning_exception_export": {"path": path, "query": {"status": "open", "format": "xlsx"}},
        "planning_exception_get": {"path": {**path, "exception_id": ids["planning_exception"]}},
        "planning_exception_resolve": {
            "path": {**path, "exception_id": ids["planning_exception"]},
            "body": {"resolution": "accepted", "note": "Promotion planned"},
        },
        "planning_proposal_list": {"path": path, "query": {"status": "proposed"}},
        "planning_proposals_confirm": {"path": path, "body": bodies["planning_proposals_confirm"], **buyer},
        "planning_proposals_reject": {"path": path, "body": bodies["planning_proposals_reject"], **buyer},
        "planning_order_list": {"path": path},
        "planning_order_get": {"path": {**path, "order_id": ids["planning_order"]}},
        "planning_order_export": {"path": {**path, "order_id": ids["planning_order"]}},
        "planning_order_export_edifact": {"path": {**path, "order_id": ids["planning_order"]}},
        "planning_order_export_x12": {"path": {**path, "order_id": ids["planning_order"]}},
        "planning_simulation": {"path": path},
    }


def _location(partnership_id: int, code: str) -> int:
    from mitra.planning.models import Location

    return Location.objects.get(partnership_id=partnership_id, code=code).pk
