"""The joint business plan's part of the isolation and API-fuzz tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mitra.plans import services
from tests import factories as f

TENANT_PAGES = {
    "plans:list": lambda i: {"pk": i["partnership"]},
    "plans:create": lambda i: {"pk": i["partnership"]},
    "plans:detail": lambda i: {"pk": i["partnership"], "year": i["plan_year"]},
    "plans:goal_add": lambda i: {"pk": i["partnership"], "year": i["plan_year"]},
    "plans:goal_edit": lambda i: {"pk": i["partnership"], "year": i["plan_year"], "goal_id": i["plan_goal"]},
    "plans:goal_delete": lambda i: {
        "pk": i["partnership"],
        "year": i["plan_year"],
        "goal_id": i["plan_goal"],
    },
    "plans:agree": lambda i: {"pk": i["partnership"], "year": i["plan_year"]},
    "plans:review_add": lambda i: {"pk": i["partnership"], "year": i["plan_year"]},
}

API_PATH_IDS = {"plan_id": "plan", "goal_id": "plan_goal"}


def seed(world: Any) -> dict[str, int]:
    supplier, customer = f.actor(world.supplier_admin), f.actor(world.customer_admin)
    year = timezone.localdate().year
    plan = services.plan_create(supplier, partnership_id=world.partnership.pk, year=year)
    goal = services.plan_goal_create(
        supplier,
        partnership_id=world.partnership.pk,
        plan_id=plan.pk,
        title="Grow volume in modern trade",
        kpi_name="Volume",
        unit="ton/month",
        baseline="120",
        target="140",
    )
    spare = services.plan_goal_create(
        supplier,
        partnership_id=world.partnership.pk,
        plan_id=plan.pk,
        title="Fewer rush orders",
        kpi_name="Rush orders",
        target="4",
    )
    services.plan_goal_create(
        customer,
        partnership_id=world.partnership.pk,
        plan_id=plan.pk,
        title="No stock-outs at Lebaran",
        kpi_name="On-shelf availability",
        unit="%",
        target="97",
    )
    return {"plan": plan.pk, "plan_year": year, "plan_goal": goal.pk, "plan_spare_goal": spare.pk}


def api_bodies(ids: dict[str, int]) -> dict[str, Any]:
    return {
        "plan_create": {"year": ids["plan_year"] + 1},
        "plan_goal_create": {"title": "Taken over", "kpi_name": "x", "target": 1},
        "plan_goal_update": {"title": "Taken over"},
        "plan_agree": {},
        "plan_review_create": {"held_on": timezone.localdate().isoformat()},
    }


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    p, plan = world.partnership.pk, ids["plan"]
    return {
        "plan_list": {"path": {"partnership_id": p}},
        "plan_export": {"path": {"partnership_id": p}, "query": {"format": "csv"}},
        "plan_create": {"path": {"partnership_id": p}, "body": {"year": ids["plan_year"] + 1}},
        "plan_get": {"path": {"partnership_id": p, "plan_id": plan}},
        "plan_goal_create": {
            "path": {"partnership_id": p, "plan_id": plan},
            "body": {
                "title": "Faster payment",
                "kpi_name": "DSO",
                "unit": "days",
                "baseline": 45,
                "target": 30,
            },
        },
        "plan_goal_update": {
            "path": {"partnership_id": p, "plan_id": plan, "goal_id": ids["plan_goal"]},
            "body": {"target": "150", "note": "Revised after the price increase"},
        },
        "plan_goal_delete": {
            "path": {"partnership_id": p, "plan_id": plan, "goal_id": ids["plan_spare_goal"]}
        },
        "plan_agree": {"path": {"partnership_id": p, "plan_id": plan}, "body": {}},
        "plan_review_create": {
            "path": {"partnership_id": p, "plan_id": plan},
            "body": {
                "held_on": max(
                    timezone.localdate() - dt.timedelta(days=1), dt.date(ids["plan_year"], 1, 1)
                ).isoformat(),
                "notes": "Q review",
            },
        },
    }
