from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests import factories as f

from mitra.commitments import services
from mitra.commitments.models import Commitment
from mitra.commitments.tests.helpers import in_days


@pytest.fixture
def make(world) -> Callable[..., Commitment]:
    """Create a commitment through the service: by ``by`` (default the owner), owned by ``owner``."""

    def create(owner: Any = None, by: Any = None, days: int = 7, **kwargs: Any) -> Commitment:
        owner = owner or world.supplier_admin
        return services.commitment_create(
            f.actor(by or owner),
            partnership_id=world.partnership.pk,
            title=kwargs.pop("title", "Kirim jadwal produksi"),
            owner_id=owner.pk,
            due_date=in_days(days),
            **kwargs,
        )

    return create
