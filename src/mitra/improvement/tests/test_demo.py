"""The demo world's initiatives obey the rules and tell a plausible story."""

from __future__ import annotations

import pytest
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from mitra.demo.services import demo_seed
from mitra.improvement.models import Initiative, InitiativeStatus, Measurement
from mitra.improvement.selectors import with_progress
from mitra.threads.models import Event

pytestmark = pytest.mark.django_db


def test_the_small_demo_has_initiatives_with_monthly_measurements_towards_their_targets():
    summary = demo_seed(size="small")
    assert summary.workflows["initiatives"] == Initiative.objects.count() > 0
    per_partnership = Initiative.objects.values("partnership").annotate(n=Count("pk"))
    assert all(1 <= row["n"] <= 5 for row in per_partnership)
    counts = Initiative.objects.annotate(n=Count("measurements")).values_list("n", flat=True)
    assert all(1 <= n <= 12 for n in counts) and sum(counts) / len(counts) >= 3
    for initiative in Initiative.objects.all():
        # The rules the service enforces hold for bulk-written records too.
        assert (initiative.target > initiative.baseline) == (initiative.direction == "increase")
        assert initiative.target_date >= initiative.start_date
        assert initiative.supplier_owner.organisation_id == initiative.partnership.supplier_id
        assert initiative.customer_owner.organisation_id == initiative.partnership.customer_id
        assert (initiative.closed_at is None) == (initiative.status == InitiativeStatus.ACTIVE)
        assert all(c.partnership_id == initiative.partnership_id for c in initiative.source_cases.all())
    dates = Measurement.objects.aggregate(first=Min("measured_on"), last=Max("measured_on"))
    assert dates["last"] <= timezone.localdate()
    assert not Measurement.objects.filter(measured_on__lt=F("initiative__start_date")).exists()
    progress = [i.progress for i in with_progress(Initiative.objects.all())]
    assert all(p is None or 0 <= p <= 100 for p in progress)
    assert sum(p > 50 for p in progress if p is not None) > len(progress) / 3  # mostly moving the right way
    assert Event.objects.filter(kind="measurement", verb="measured").count() == Measurement.objects.count()
    assert Event.objects.filter(kind="initiative", verb="created").count() == Initiative.objects.count()
    assert Initiative.history.count() == Initiative.objects.count()
