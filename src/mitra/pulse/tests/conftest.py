from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests import factories as f

from mitra.accounts.models import Role
from mitra.pulse import services
from mitra.pulse.models import PulseRound

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


def close(pulse_round):
    """End the round (results are shown only once it is closed)."""
    now = timezone.now()
    PulseRound.objects.filter(pk=pulse_round.pk).update(
        opened_at=now - dt.timedelta(days=2), closes_at=now - dt.timedelta(days=1)
    )
    pulse_round.refresh_from_db()
    return pulse_round


def reopen(pulse_round):
    """Take answers again (to add one more after looking at a closed round's results)."""
    PulseRound.objects.filter(pk=pulse_round.pk).update(closes_at=timezone.now() + dt.timedelta(days=1))
    pulse_round.refresh_from_db()
    return pulse_round
