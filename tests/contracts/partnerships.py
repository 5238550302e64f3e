"""The partnership contacts' part of the isolation and API-fuzz tests (the rest of the partnerships app is
listed in ``tests/test_isolation.py`` itself)."""

from __future__ import annotations

from typing import Any

from mitra.partnerships import contacts
from tests import factories as f

_one = lambda i: {"pk": i["partnership"], "contact_id": i["contact"]}  # noqa: E731
TENANT_PAGES = {
    "partnerships:contacts": lambda i: {"pk": i["partnership"]},
    "partnerships:contact_create": lambda i: {"pk": i["partnership"]},
    "partnerships:contact_edit": _one,
    "partnerships:contact_delete": _one,
}

API_PATH_IDS = {"contact_id": "contact"}


def _contact(world: Any, membership: Any, name: str, email: str) -> int:
    return contacts.contact_create(
        f.actor(membership),
        partnership_id=world.partnership.pk,
        name=name,
        email=email,
        phone="+62 812 3456 7890",
        job_title="Kepala Gudang",
    ).pk


def seed(world: Any) -> dict[str, int]:
    return {"contact": _contact(world, world.supplier_admin, "Budi Santoso", "budi.santoso@sumber.test")}


def api_bodies(ids: dict[str, int]) -> dict[str, Any]:
    return {
        "contact_create": {"name": "Taken over", "email": "taken@lain.test"},
        "contact_update": {"name": "Taken over"},
    }


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    p = world.partnership.pk
    one = {"partnership_id": p, "contact_id": ids["contact"]}
    spare = _contact(world, world.supplier_admin, "Siti Rahayu", "siti.rahayu@sumber.test")
    return {
        "contact_list": {"path": {"partnership_id": p}, "query": {"side": "supplier", "q": "budi"}},
        "contact_create": {
            "path": {"partnership_id": p},
            "body": {
                "name": "Dewi Lestari",
                "email": "dewi.lestari@sumber.test",
                "job_title": "Finance clerk",
                "department_id": world.supplier_finance.pk,
            },
        },
        "contact_get": {"path": one},
        "contact_update": {"path": one, "body": {"phone": "+62 21 555 0101", "department_id": None}},
        "contact_delete": {"path": {"partnership_id": p, "contact_id": spare}},
    }
