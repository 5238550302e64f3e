"""The moments-of-truth app's part of the isolation and API-fuzz tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mitra.moments import services
from tests import factories as f

TENANT_PAGES = {
    "moments:list": lambda i: {"pk": i["partnership"]},
    "moments:create": lambda i: {"pk": i["partnership"]},
    "moments:detail": lambda i: {"pk": i["partnership"], "touchpoint_id": i["touchpoint"]},
    "moments:edit": lambda i: {"pk": i["partnership"], "touchpoint_id": i["touchpoint"]},
    "moments:survey_send": lambda i: {"pk": i["partnership"], "touchpoint_id": i["touchpoint"]},
}

# The public survey page, reached by the e-mailed one-time link without signing in.
TOKEN_PAGES = {"moments:survey"}

API_PATH_IDS = {"touchpoint_id": "touchpoint"}


def _delivery(world: Any, membership: Any, summary: str) -> int:
    today = timezone.localdate()
    return services.touchpoint_create(
        f.actor(membership),
        partnership_id=world.partnership.pk,
        kind="delivery",
        summary=summary,
        outcome="positive",
        bridge_id=world.bridge.pk,
        promised_date=today,
        actual_date=today,
        promised_quantity=100,
        delivered_quantity=100,
    ).pk


def seed(world: Any) -> dict[str, int]:
    touchpoint = _delivery(world, world.supplier_admin, "Pengiriman 120 karton ke DC Cikarang")
    survey = services.survey_create(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        touchpoint_id=touchpoint,
        recipient_id=world.customer_admin.pk,
    )
    return {"touchpoint": touchpoint, "survey": survey.pk}


def api_bodies(ids: dict[str, int]) -> dict[str, Any]:
    return {
        "touchpoint_create": {"kind": "meeting", "summary": "Taken over"},
        "touchpoint_update": {"summary": "Taken over"},
        "survey_create": {"touchpoint_id": ids["touchpoint"], "recipient_id": ids["membership"]},
    }


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    p = world.partnership.pk
    one = {"partnership_id": p, "touchpoint_id": ids["touchpoint"]}
    another = _delivery(world, world.supplier_member, "Pengiriman susulan 20 karton")
    return {
        "touchpoint_list": {"path": {"partnership_id": p}, "query": {"kind": "delivery"}},
        "touchpoint_export": {"path": {"partnership_id": p}, "query": {"kind": "delivery", "format": "xlsx"}},
        "touchpoint_create": {
            "path": {"partnership_id": p},
            "body": {
                "kind": "delivery",
                "summary": "Pengiriman mingguan",
                "promised_date": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
                "actual_date": timezone.localdate().isoformat(),
                "promised_quantity": "200",
                "delivered_quantity": "190.5",
            },
        },
        "touchpoint_get": {"path": one},
        "touchpoint_update": {"path": one, "body": {"outcome": "neutral"}},
        "otif": {"path": {"partnership_id": p}, "query": {"months": 6}},
        "payments": {"path": {"partnership_id": p}, "query": {"months": 6}},
        "survey_list": {"path": {"partnership_id": p}, "query": {"status": "pending"}},
        "survey_create": {
            "path": {"partnership_id": p},
            "body": {"touchpoint_id": another, "recipient_id": world.customer_member.pk},
        },
        "survey_scores": {"path": {"partnership_id": p}},
    }
