"""The commitments app's part of the isolation and API-fuzz tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mitra.commitments import services
from tests import factories as f

TENANT_PAGES = {
    "commitments:list": lambda i: {"pk": i["partnership"]},
    "commitments:create": lambda i: {"pk": i["partnership"]},
    "commitments:detail": lambda i: {"pk": i["partnership"], "commitment_id": i["commitment"]},
    "commitments:edit": lambda i: {"pk": i["partnership"], "commitment_id": i["commitment"]},
    "commitments:done": lambda i: {"pk": i["partnership"], "commitment_id": i["commitment"]},
    "commitments:acknowledge": lambda i: {"pk": i["partnership"], "commitment_id": i["commitment"]},
    "commitments:cancel": lambda i: {"pk": i["partnership"], "commitment_id": i["commitment"]},
}

API_PATH_IDS = {"commitment_id": "commitment"}


def _due() -> str:
    return (timezone.localdate() + dt.timedelta(days=14)).isoformat()


def _create(world: Any, membership: Any, title: str) -> int:
    commitment = services.commitment_create(
        f.actor(membership),
        partnership_id=world.partnership.pk,
        title=title,
        owner_id=membership.pk,
        due_date=timezone.localdate() + dt.timedelta(days=14),
        bridge_id=world.bridge.pk,
    )
    return commitment.pk


def seed(world: Any) -> dict[str, int]:
    return {"commitment": _create(world, world.supplier_admin, "Kirim jadwal produksi Q3")}


def api_bodies(ids: dict[str, int]) -> dict[str, Any]:
    return {
        "commitment_create": {"title": "Taken over", "owner_id": ids["membership"], "due_date": _due()},
        "commitment_update": {"title": "Taken over"},
        "commitment_cancel": {"reason": "Taken over"},
    }


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    p = world.partnership.pk
    to_do = _create(world, world.supplier_admin, "Kirim sampel kemasan baru")
    to_cancel = _create(world, world.supplier_member, "Kunjungan ke gudang pusat")
    theirs = _create(world, world.customer_admin, "Bagikan data penjualan mingguan")
    services.commitment_done(f.actor(world.customer_admin), partnership_id=p, commitment_id=theirs)
    one = {"partnership_id": p, "commitment_id": ids["commitment"]}
    return {
        "commitment_list": {"path": {"partnership_id": p}, "query": {"status": "open"}},
        "commitment_export": {"path": {"partnership_id": p}, "query": {"status": "open", "format": "csv"}},
        "commitment_create": {
            "path": {"partnership_id": p},
            "body": {
                "title": "Review forecast bersama",
                "owner_id": world.supplier_member.pk,
                "due_date": _due(),
                "proactive": True,
            },
        },
        "commitment_get": {"path": one},
        "commitment_reliability": {"path": {"partnership_id": p}},
        "commitment_update": {"path": one, "body": {"description": "Termasuk SKU baru"}},
        "commitment_done": {"path": {"partnership_id": p, "commitment_id": to_do}},
        "commitment_acknowledge": {"path": {"partnership_id": p, "commitment_id": theirs}},
        "commitment_cancel": {
            "path": {"partnership_id": p, "commitment_id": to_cancel},
            "body": {"reason": "Diganti rapat online"},
        },
    }
