"""The Health Index's part of the isolation and API-fuzz tests."""

from __future__ import annotations

from typing import Any

from mitra.health.services import health_recompute


def seed(world: Any) -> dict[str, int]:
    health_recompute(partnership_ids=[world.partnership.pk])
    return {}


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    p = world.partnership.pk
    health_recompute(partnership_ids=[p])
    return {
        "health_get": {"path": {"partnership_id": p}},
        "health_history": {"path": {"partnership_id": p}, "query": {"weeks": 4}},
    }
