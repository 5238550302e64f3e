"""The improvement app's part of the isolation and API-fuzz tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from mitra.improvement import services
from mitra.improvement.models import Initiative
from tests import factories as f

_one = lambda i: {"pk": i["partnership"], "initiative_id": i["initiative"]}  # noqa: E731

TENANT_PAGES = {
    "improvement:list": lambda i: {"pk": i["partnership"]},
    "improvement:create": lambda i: {"pk": i["partnership"]},
    "improvement:detail": _one,
    "improvement:stage": _one,
    "improvement:status": _one,
    "improvement:measure": _one,
}

API_PATH_IDS = {"initiative_id": "initiative"}


def make_initiative(world: Any, title: str = "OTIF to 98% at the Surabaya DC", **kwargs: Any) -> Initiative:
    """An active initiative of ``world.partnership`` started by the supplier admin: OTIF % up from 90 to 98."""
    values: dict[str, Any] = {
        "title": title,
        "description": "Late trucks on Mondays; the idea: a fixed loading slot.",
        "supplier_owner_id": world.supplier_admin.pk,
        "customer_owner_id": world.customer_admin.pk,
        "start_date": timezone.localdate() - dt.timedelta(days=90),
        "target_date": timezone.localdate() + dt.timedelta(days=90),
        "kpi_name": "OTIF",
        "kpi_unit": "%",
        "direction": "increase",
        "baseline": Decimal("90"),
        "target": Decimal("98"),
        **kwargs,
    }
    return services.initiative_create(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, **values
    )


def seed(world: Any) -> dict[str, int]:
    initiative = make_initiative(world)
    services.measurement_create(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        initiative_id=initiative.pk,
        measured_on=timezone.localdate() - dt.timedelta(days=30),
        value=Decimal("93.5"),
    )
    return {"initiative": initiative.pk}


def _body() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "title": "Lead time down",
        "supplier_owner_id": 1,
        "customer_owner_id": 1,
        "start_date": today.isoformat(),
        "target_date": (today + dt.timedelta(days=60)).isoformat(),
        "kpi_name": "Lead time",
        "kpi_unit": "days",
        "direction": "decrease",
        "baseline": 7,
        "target": 4,
    }


def api_bodies(ids: dict[str, int]) -> dict[str, Any]:
    return {
        "initiative_create": _body(),
        "initiative_update": {"title": "Taken over"},
        "initiative_stage": {"stage": "do"},
        "measurement_create": {"measured_on": timezone.localdate().isoformat(), "value": 1},
    }


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    """As the supplier admin (the fuzzer)."""
    p = world.partnership.pk
    to_update = make_initiative(world, "Stock-out rate down")
    to_stage = make_initiative(world, "Fewer short shipments")
    to_measure = make_initiative(world, "Invoice accuracy")
    path = lambda initiative_id: {"partnership_id": p, "initiative_id": initiative_id}  # noqa: E731
    create = {
        **_body(),
        "supplier_owner_id": world.supplier_member.pk,
        "customer_owner_id": world.customer_member.pk,
    }
    return {
        "initiative_list": {"path": {"partnership_id": p}, "query": {"stage": "plan", "status": "active"}},
        "initiative_export": {"path": {"partnership_id": p}, "query": {"status": "active", "format": "csv"}},
        "initiative_create": {"path": {"partnership_id": p}, "body": create},
        "initiative_get": {"path": path(ids["initiative"])},
        "initiative_update": {"path": path(to_update.pk), "body": {"title": "Stock-outs below 2%"}},
        "initiative_stage": {"path": path(to_stage.pk), "body": {"stage": "do"}},
        "measurement_list": {"path": path(ids["initiative"])},
        "measurement_create": {
            "path": path(to_measure.pk),
            "body": {"measured_on": timezone.localdate().isoformat(), "value": 97.25, "note": "Week 12"},
        },
    }
