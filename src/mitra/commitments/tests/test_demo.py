"""The demo fills every partnership with a plausible, rule-abiding mutual action plan."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils import timezone

from mitra.commitments.models import Commitment, CommitmentStatus
from mitra.demo.services import demo_seed
from mitra.partnerships.models import Partnership
from mitra.threads.models import Event


def test_demo_commitments_obey_the_rules(db):
    demo_seed(size="small")
    commitments = Commitment.objects.all()
    assert commitments.exists()
    shared = Partnership.objects.filter(status__in=("active", "paused", "ended"))
    per_partnership = list(shared.annotate(n=Count("commitments")).values_list("n", flat=True))
    assert per_partnership and all(1 <= n <= 25 for n in per_partnership)
    today = timezone.localdate()
    # Both sides promise, about a third proactively, most kept, some late, some missed, recent ones open.
    assert set(commitments.values_list("owner_side", flat=True)) == {"supplier", "customer"}
    total = commitments.count()
    assert 0.15 < commitments.filter(proactive=True).count() / total < 0.45
    kept = commitments.filter(on_time=True).count()
    assert kept > commitments.filter(on_time=False).count() > 0
    assert kept > commitments.filter(status=CommitmentStatus.MISSED).count() > 0
    assert commitments.filter(status=CommitmentStatus.OPEN).exists()
    # Consistent with the rules and the daily job.
    assert not commitments.filter(status=CommitmentStatus.OPEN, due_date__lt=today).exists()
    assert not commitments.filter(status=CommitmentStatus.ACKNOWLEDGED, done_at__isnull=True).exists()
    assert not commitments.filter(acknowledged_at__lt=F("done_at")).exists()
    assert not commitments.filter(done_at__lt=F("created_at")).exists()
    assert not commitments.filter(status=CommitmentStatus.CANCELLED, cancel_reason="").exists()
    assert not commitments.filter(on_time=False, missed_at__isnull=True).exists()
    assert not commitments.filter(created_at__gt=timezone.now()).exists()
    assert commitments.filter(created_at__lt=timezone.now() - timezone.timedelta(days=200)).exists()
    assert not commitments.exclude(
        Q(owner__organisation_id=F("partnership__supplier_id"), owner_side="supplier")
        | Q(owner__organisation_id=F("partnership__customer_id"), owner_side="customer")
    ).exists()
    assert not commitments.filter(bridge__isnull=False).exclude(bridge__partnership=F("partnership")).exists()
    # History and timeline.
    assert Commitment.history.count() >= total
    events = Event.objects.filter(kind="commitment")
    assert events.filter(verb="created").count() == total
    assert (
        events.filter(verb="acknowledged").count()
        == commitments.filter(acknowledged_at__isnull=False).count()
    )
