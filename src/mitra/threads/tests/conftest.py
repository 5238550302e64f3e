from __future__ import annotations

import pytest
from tests.contracts import threads as contract


@pytest.fixture
def risk(world):
    """A risk of the world's partnership, owned by the customer's member, to hang a thread on."""
    r = contract.subject(world)
    r.owner = world.customer_member
    r.save()
    return r


def thread_path(world, risk, suffix: str = "") -> str:
    return f"/partnerships/{world.partnership.pk}/threads/risk/{risk.pk}/comments{suffix}"
