from __future__ import annotations

import pytest
from tests import factories as f

from mitra.accounts.models import Role
from mitra.pulse import services

SCORES = {"trust": 4, "commitment": 5, "satisfaction": 3, "cooperation": 4, "conflict_handling": 2}


@pytest.fixture
def pulse_round(world):
    return services.pulse_round_open(f.actor(world.supplier_admin), partnership_id=world.partnership.pk)


@pytest.fixture
def purchasers(world):
    """Three more members of the customer's Purchasing department: respondents of ``world.bridge``."""
    return [
        f.member(world.customer, Role.MEMBER, f"buyer{n}@ritel.test", [world.customer_purchasing])
        for n in range(3)
    ]


def answer(membership, pulse_round, bridge, **overrides):
    return services.pulse_answer(
        f.actor(membership),
        partnership_id=pulse_round.partnership_id,
        round_id=pulse_round.pk,
        bridge_id=bridge.pk,
        **{**SCORES, **overrides},
    )
