"""The demo's value ledger: plausible, two-sided in most partnerships, and obeying the ledger's rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from mitra.cases.models import Case
from mitra.demo.services import demo_seed
from mitra.partnerships.models import Partnership
from mitra.threads.models import Event
from mitra.value.models import EntryStatus, ValueEntry


@pytest.mark.django_db
def test_the_demo_fills_the_ledger_by_its_rules():
    demo_seed(size="small")
    entries = ValueEntry.objects.all()
    shared = Partnership.objects.filter(status__in=("active", "paused", "ended"))
    per_partnership = list(entries.values("partnership").annotate(n=Count("pk")).values_list("n", flat=True))
    assert len(per_partnership) == shared.count()
    assert min(per_partnership) >= 4 and max(per_partnership) <= 20
    statuses = dict(entries.values_list("status").annotate(n=Count("pk")))
    assert statuses[EntryStatus.CONFIRMED] > statuses.get(EntryStatus.DISPUTED, 0) > 0
    assert statuses[EntryStatus.CONFIRMED] > entries.count() / 2
    # The other side confirms or disputes, never the recorder's own organisation.
    for entry in entries.filter(status=EntryStatus.CONFIRMED).select_related("confirmed_by", "partnership")[
        :200
    ]:
        assert entry.confirmed_at is not None and entry.confirmed_at >= entry.created_at
        if entry.confirmed_by:
            assert entry.partnership.side_of(entry.confirmed_by.organisation_id) != entry.recorded_by_side
    assert not entries.filter(status=EntryStatus.DISPUTED, dispute_reason="").exists()
    assert not entries.filter(period_end__lt=F("period_start")).exists()
    assert not entries.filter(period_end__gt=timezone.localdate()).exists()
    assert not entries.filter(amount__lt=Decimal("1000000")).exists()
    assert not entries.filter(amount__gt=Decimal("1000000000")).exists()
    # A few old entries still wait for confirmation.
    stale = entries.filter(status="unconfirmed", awaiting_since__lt=timezone.now() - dt.timedelta(days=30))
    assert stale.exists()
    # Both sides gain (recently) in most partnerships.
    year = timezone.localdate() - dt.timedelta(days=365)
    gaining = (
        entries.filter(status="confirmed", period_end__gte=year)
        .values("partnership")
        .annotate(
            s=Count("pk", filter=Q(beneficiary_side="supplier")),
            c=Count("pk", filter=Q(beneficiary_side="customer")),
        )
        .filter(s__gt=0, c__gt=0)
        .count()
    )
    assert gaining >= shared.count() * 0.6
    # Links go to records of the same partnership only.
    assert not entries.filter(case__isnull=False).exclude(case__partnership=F("partnership")).exists()
    assert (
        not entries.filter(initiative__isnull=False)
        .exclude(initiative__partnership=F("partnership"))
        .exists()
    )
    if Case.objects.exists():
        assert entries.filter(case__isnull=False).exists()
    assert entries.first().history.exists()
    assert Event.objects.filter(kind="value", verb="recorded").count() == entries.count()
    assert Event.objects.filter(kind="value", verb="confirmed").count() == statuses[EntryStatus.CONFIRMED]
