"""The relationship pulse's part of the isolation and API-fuzz tests."""

from __future__ import annotations

from typing import Any

from tests import factories as f

TENANT_PAGES = {
    "pulse:overview": lambda i: {"pk": i["partnership"]},
    "pulse:open": lambda i: {"pk": i["partnership"]},
    "pulse:answer": lambda i: {
        "pk": i["partnership"],
        "round_id": i["pulse_round"],
        "bridge_id": i["bridge"],
    },
}

API_PATH_IDS = {"round_id": "pulse_round"}

SCORES = {"trust": 4, "commitment": 4, "satisfaction": 3, "cooperation": 5, "conflict_handling": 3}


def seed(world: Any) -> dict[str, int]:
    from mitra.pulse import services

    pulse_round = services.pulse_round_open(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk
    )
    answer = services.pulse_answer(
        f.actor(world.customer_admin),
        partnership_id=world.partnership.pk,
        round_id=pulse_round.pk,
        bridge_id=world.bridge.pk,
        comment="Lancar",
        **SCORES,
    )
    return {"pulse_round": pulse_round.pk, "pulse_answer": answer.pk}


def api_bodies(ids: dict[str, int]) -> dict[str, Any]:
    return {"pulse_answer": {"bridge_id": ids["bridge"], **SCORES}}


def fuzz_valid(world: Any, ids: dict[str, int]) -> dict[str, Any]:
    p = world.partnership.pk
    # A second partnership of the fuzzer's organisation, without a round yet, for pulse_round_open.
    fresh = f.PartnershipFactory(
        supplier=world.supplier, customer=f.OrganisationFactory(name="PT Pulse Baru")
    )
    return {
        "pulse_round_list": {"path": {"partnership_id": p}},
        "pulse_round_open": {"path": {"partnership_id": fresh.pk}},
        "pulse_round_get": {"path": {"partnership_id": p, "round_id": ids["pulse_round"]}},
        "pulse_answer": {
            "path": {"partnership_id": p, "round_id": ids["pulse_round"]},
            "body": {"bridge_id": world.bridge.pk, **SCORES, "comment": "Baik"},
        },
        "pulse_results": {"path": {"partnership_id": p, "round_id": ids["pulse_round"]}},
    }
