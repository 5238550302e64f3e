"""The value ledger's part of the isolation and API-fuzz tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from mitra.value import services
from tests import factories as f

TENANT_PAGES = {
    "value:list": lambda i: {"pk": i["partnership"]},
    "value:create": lambda i: {"pk": i["partnership"]},
    "value:detail": lambda i: {"pk": i["partnership"], "entry_id": i["value_entry"]},
    "value:edit": lambda i: {"pk": i["partnership"], "entry_id": i["value_entry"]},
    "value:confirm": lambda i: {"pk": i["partnership"], "entry_id": i["value_entry"]},
    "value:dispute": lambda i: {"pk": i["partnership"], "entry_id": i["value_entry"]},
}

API_PATH_IDS = {"entry_id": "value_entry"}


def _body(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Lower safety stock of cooking oil",
        "beneficiary_side": "customer",
        "category": "stock_reduction",
        "amount": "125000000.00",
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "evidence": "Average stock down from 21 to 12 days of cover.",
        **extra,
    }


def _entry(world: Any, membership: Any, **extra: Any) -> int:
    entry = services.value_entry_create(
        f.actor(membership),
        partnership_id=world.partnership.pk,
        title=extra.pop("title", "Fewer returns of damaged cartons"),
        beneficiary_side=extra.pop("beneficiary_side", "supplier"),
        category=extra.pop("category", "cost_saved"),
        amount=Decimal("42000000"),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        **extra,
    )
    return entry.pk


def seed(world: Any) -> dict[str, int]:
    return {"value_entry": _entry(world, world.supplier_admin)}


def api_bodies(ids: dict[str, int]) -> dict[str, Any]:
    return {
        "value_entry_create": _body(),
        "value_entry_update": {"title": "Taken over"},
        "value_entry_dispute": {"reason": "Not ours"},
    }


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    p = world.partnership.pk
    # The fuzzer is the supplier's admin: it corrects its own entry and answers the customer's.
    to_confirm = _entry(world, world.customer_admin, title="Faster invoice matching")
    to_dispute = _entry(world, world.customer_admin, title="Shared forecast saved overtime")
    return {
        "value_entry_list": {"path": {"partnership_id": p}, "query": {"status": "unconfirmed"}},
        "value_entry_export": {"path": {"partnership_id": p}, "query": {"format": "xlsx"}},
        "value_entry_create": {"path": {"partnership_id": p}, "body": _body()},
        "value_entry_get": {"path": {"partnership_id": p, "entry_id": ids["value_entry"]}},
        "value_entry_update": {
            "path": {"partnership_id": p, "entry_id": ids["value_entry"]},
            "body": {"amount": "45000000.00", "evidence": "Claims report Q1–Q2"},
        },
        "value_entry_confirm": {"path": {"partnership_id": p, "entry_id": to_confirm}},
        "value_entry_dispute": {
            "path": {"partnership_id": p, "entry_id": to_dispute},
            "body": {"reason": "The overtime figures are from another DC."},
        },
        "value_summary": {"path": {"partnership_id": p}},
    }
