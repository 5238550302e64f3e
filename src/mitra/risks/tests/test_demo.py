"""The demo's risk register: every partnership with a workspace has 2–8 risks, most with a response."""

import pytest

from mitra.demo.services import demo_seed
from mitra.partnerships.models import Partnership
from mitra.risks.models import Risk
from mitra.threads.models import Event


@pytest.mark.django_db
def test_the_demo_fills_every_register():
    demo_seed(size="small")
    shared = Partnership.objects.filter(status__in=("active", "paused", "ended"))
    risks = Risk.objects.all()
    assert shared.exists()
    for p in shared:
        assert 2 <= risks.filter(partnership=p).count() <= 8
    total = risks.count()
    with_response = risks.exclude(response="").count()
    assert with_response / total > 0.6
    assert set(risks.values_list("status", flat=True)) == {"open", "watching", "occurred", "closed"}
    assert not risks.filter(likelihood__gt=5).exists() and not risks.filter(impact__lt=1).exists()
    # Each risk was raised within the partnership's history, by one of its sides, with a history row.
    for risk in risks.select_related("partnership", "owner")[:50]:
        assert risk.raised_by_side in ("supplier", "customer")
        assert risk.owner is None or risk.owner.organisation_id in (
            risk.partnership.supplier_id,
            risk.partnership.customer_id,
        )
        assert risk.history.count() == 1
    assert Event.objects.filter(kind="risk", verb="created").count() == total
