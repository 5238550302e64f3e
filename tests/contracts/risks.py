"""The risk register's part of the isolation and API-fuzz tests."""

from __future__ import annotations

from typing import Any

from mitra.risks import services
from tests import factories as f

TENANT_PAGES = {
    "risks:list": lambda i: {"pk": i["partnership"]},
    "risks:create": lambda i: {"pk": i["partnership"]},
    "risks:detail": lambda i: {"pk": i["partnership"], "risk_id": i["risk"]},
    "risks:edit": lambda i: {"pk": i["partnership"], "risk_id": i["risk"]},
}

API_PATH_IDS = {"risk_id": "risk"}


def seed(world: Any) -> dict[str, int]:
    risk = services.risk_create(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        title="Supply disruption before Lebaran",
        likelihood=4,
        impact=5,
        response="Buffer stock of three weeks",
        owner_id=world.customer_admin.pk,
    )
    return {"risk": risk.pk}


def api_bodies(ids: dict[str, int]) -> dict[str, Any]:
    return {
        "risk_create": {"title": "Taken over", "likelihood": 2, "impact": 2},
        "risk_update": {"status": "closed"},
    }


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    p = world.partnership.pk
    return {
        "risk_list": {"path": {"partnership_id": p}, "query": {"min_score": 5}},
        "risk_export": {"path": {"partnership_id": p}, "query": {"min_score": 5, "format": "xlsx"}},
        "risk_create": {
            "path": {"partnership_id": p},
            "body": {"title": "Price of raw sugar rises", "likelihood": 3, "impact": 4},
        },
        "risk_get": {"path": {"partnership_id": p, "risk_id": ids["risk"]}},
        "risk_update": {
            "path": {"partnership_id": p, "risk_id": ids["risk"]},
            "body": {"status": "watching", "owner_id": world.supplier_member.pk},
        },
    }
