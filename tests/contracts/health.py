"""The Health Index's part of the isolation and API-fuzz tests."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mitra.health.engine import DIMENSIONS
from mitra.health.models import HealthAlert
from mitra.health.services import health_recompute

OWN_API_OPERATIONS = {"health_portfolio", "health_portfolio_export"}
API_PATH_IDS = {"alert_id": "alert"}

_alert = lambda i: {"pk": i["partnership"], "alert_id": i["alert"]}  # noqa: E731
TENANT_PAGES = {
    "health:detail": lambda i: {"pk": i["partnership"]},
    "health:acknowledge": _alert,
    "health:adopt": _alert,
    "health:propose": lambda i: {"pk": i["partnership"]},
    "health:agree": lambda i: {"pk": i["partnership"]},
    "health:decline": lambda i: {"pk": i["partnership"]},
}
OWN_PAGES = {"health:portfolio"}


def make_alert(world: Any, reason: str = "single_threaded") -> HealthAlert:
    """An open single-threaded alert on ``world.partnership`` (what the recompute raises on the world)."""
    week = timezone.localdate() - timezone.timedelta(days=timezone.localdate().weekday())
    alert, _created = HealthAlert.objects.get_or_create(
        partnership=world.partnership,
        type=reason.split(".")[0],
        reason=reason,
        status="open",
        defaults={"priority": "medium", "week": week, "opened_week": week, "value": 1.0},
    )
    return alert


def seed(world: Any) -> dict[str, int]:
    health_recompute(partnership_ids=[world.partnership.pk])
    return {"alert": make_alert(world).pk}


WEIGHTS = {d: 10 for d in DIMENSIONS}


def api_bodies(ids: dict[str, int]) -> dict[str, Any]:
    return {
        "health_settings_propose": {"weights": WEIGHTS, "red_below": 40, "green_from": 75},
        "health_settings_agree": {},
        "health_settings_decline": {},
        "health_alert_adopt": {},
    }


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    """As the supplier admin (the fuzzer)."""
    from mitra.health import services
    from tests import factories as f

    p = world.partnership.pk
    health_recompute(partnership_ids=[p])
    to_acknowledge = make_alert(world, "value_unconfirmed")
    to_adopt = make_alert(world, "score_drop")
    # a proposal of the customer's, so the supplier can agree to one and then decline the next
    services.health_settings_propose(
        f.actor(world.customer_admin), partnership_id=p, weights=WEIGHTS, red_below=40, green_from=75
    )
    alert = lambda alert_id: {"partnership_id": p, "alert_id": alert_id}  # noqa: E731
    return {
        "health_get": {"path": {"partnership_id": p}},
        "health_history": {"path": {"partnership_id": p}, "query": {"weeks": 4}},
        "health_settings_get": {"path": {"partnership_id": p}},
        "health_settings_agree": {"path": {"partnership_id": p}, "body": {}},
        "health_settings_propose": {
            "path": {"partnership_id": p},
            "body": {"weights": {**WEIGHTS, "mutual_value": 30}, "red_below": 45, "green_from": 72},
        },
        "health_settings_decline": {"path": {"partnership_id": p}, "body": {}},
        "health_alert_list": {"path": {"partnership_id": p}, "query": {"status": "all"}},
        "health_alert_get": {"path": alert(ids["alert"])},
        "health_alert_acknowledge": {"path": alert(to_acknowledge.pk)},
        "health_alert_adopt": {"path": alert(to_adopt.pk), "body": {}},
        "health_portfolio": {"query": {"sort": "alerts", "order": "desc"}},
        "health_portfolio_export": {"query": {"sort": "score", "format": "xlsx"}},
    }
