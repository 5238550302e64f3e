"""The demo's cases: 3–15 per partnership, most closed with a confirmed outcome, and the rules hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from mitra.cases.models import Case, CaseOption
from mitra.cases.selectors import breached_q
from mitra.demo.services import demo_seed
from mitra.partnerships.models import Partnership
from mitra.threads.models import Event


@pytest.mark.django_db
def test_the_demo_fills_every_partnership_with_cases_that_obey_the_rules():
    demo_seed(size="small")
    shared = Partnership.objects.filter(status__in=("active", "paused", "ended"))
    assert shared.exists()
    per = dict(Case.objects.values_list("partnership").annotate(n=Count("id")))
    for p in shared:
        assert 3 <= per.get(p.pk, 0) <= 15
    cases = Case.objects.all()
    total = cases.count()
    closed = cases.filter(status="closed")
    assert closed.count() / total > 0.4
    # Closed cases have their desired outcome confirmed; every case states one.
    assert not closed.filter(Q(outcome_confirmed_at__isnull=True) | Q(closed_at__isnull=True)).exists()
    assert not cases.filter(desired_outcome="").exists()
    # Chosen before resolved; a resolved/closed case always has a chosen option of its own.
    assert not cases.filter(status__in=("resolved", "closed"), chosen_option__isnull=True).exists()
    assert not cases.exclude(chosen_option__isnull=True).exclude(chosen_option__case=F("pk")).exists()
    # A non-win-win choice carries a justification.
    assert not cases.filter(
        Q(chosen_option__value_to_customer__lt=0) | Q(chosen_option__value_to_supplier__lt=0),
        justification="",
    ).exists()
    # Every case has at least two options.
    assert not cases.annotate(n=Count("options")).filter(n__lt=2).exists()
    assert not CaseOption.objects.exclude(partnership=F("case__partnership")).exists()
    # A few disputed, some open and breached, risks of the same partnership only.
    assert cases.filter(dispute_count__gt=0).exists()
    assert cases.filter(status__in=("open", "in_progress")).exists()
    assert cases.filter(breached_q(timezone.now()), status__in=("open", "in_progress")).exists()
    linked = cases.filter(anticipated_by__isnull=False)
    assert linked.exists()
    assert not linked.exclude(anticipated_by__partnership=F("partnership")).exists()
    # Some root cause recurs (three or more times) in some partnership.
    assert (
        cases.exclude(root_cause="")
        .values("partnership", "root_cause")
        .annotate(n=Count("id"))
        .filter(n__gte=3)
        .exists()
    )
    # History rows and timeline events.
    assert Case.history.count() >= total
    assert Event.objects.filter(kind="case", verb="created").count() == total
    assert Event.objects.filter(kind="case", verb="confirmed").count() == closed.count()
    # Two years of history: raised over the past, never in the future, options after their case.
    assert cases.filter(created_at__lt=timezone.now() - dt.timedelta(days=300)).exists()
    assert not cases.filter(created_at__gt=timezone.now()).exists()
    assert not CaseOption.objects.filter(created_at__lt=F("case__created_at")).exists()
    assert not cases.filter(status="closed", closed_at__lt=F("created_at")).exists()
