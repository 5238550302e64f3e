"""Fixtures of the improvement tests."""

from __future__ import annotations

import pytest
from tests.contracts.improvement import make_initiative

from mitra.improvement.models import Initiative


@pytest.fixture
def initiative(world) -> Initiative:
    """OTIF % up from 90 to 98, owned by both admins, started by the supplier."""
    return make_initiative(world)
