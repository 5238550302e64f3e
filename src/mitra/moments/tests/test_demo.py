"""The demo's moments of truth: two years per partnership, plausible OTIF and scores, within the rules."""

from __future__ import annotations

from django.db.models import Count, F
from django.utils import timezone
from tests import factories as f

from mitra.demo.services import demo_seed
from mitra.moments import selectors
from mitra.moments.models import SurveyRequest, Touchpoint
from mitra.partnerships.models import Partnership
from mitra.threads.models import Event


def test_demo_moments_obey_the_rules(db):
    demo_seed(size="small")
    shared = Partnership.objects.filter(status__in=("active", "paused", "ended"))
    counts = list(shared.annotate(n=Count("touchpoints")).values_list("n", flat=True))
    assert counts and all(5 <= n <= 60 for n in counts)
    touchpoints = Touchpoint.objects.all()
    assert set(touchpoints.values_list("kind", flat=True)) >= {"delivery", "meeting", "invoice", "payment"}
    deliveries = touchpoints.filter(kind="delivery")
    # Every delivery's on-time and in-full follow from its dates and quantities (the constraints hold too).
    assert not deliveries.filter(on_time=True, actual_date__gt=F("promised_date")).exists()
    assert not deliveries.filter(in_full=False, delivered_quantity__gte=F("promised_quantity")).exists()
    assert not touchpoints.exclude(kind="delivery").filter(on_time__isnull=False).exists()
    otif = deliveries.filter(on_time=True, in_full=True).count() / deliveries.count()
    assert 0.8 < otif < 0.97
    # Surveys go to the other side; about 60 % answered, with scores; only hashes stored.
    surveys = SurveyRequest.objects.all()
    assert surveys.exists()
    assert not surveys.filter(recipient_side=F("sent_by_side")).exists()
    assert (
        not surveys.exclude(recipient__organisation_id=F("partnership__supplier_id"))
        .exclude(recipient__organisation_id=F("partnership__customer_id"))
        .exists()
    )
    answered = surveys.filter(answered_at__isnull=False)
    assert 0.4 < answered.count() / surveys.count() < 0.8
    assert not answered.filter(csat__isnull=True).exists()
    assert not answered.filter(answered_at__gt=F("expires_at")).exists()
    assert surveys.filter(answered_at__isnull=True, expires_at__lt=timezone.now()).exists()
    assert all(len(h) == 64 for h in surveys.values_list("token_hash", flat=True))
    assert Touchpoint.history.count() == touchpoints.count()
    assert Event.objects.filter(kind="touchpoint", verb="recorded").count() == touchpoints.count()
    assert Event.objects.filter(kind="survey", verb="answered").count() == answered.count()
    # The pages' numbers are plausible for a partnership with answers.
    p = answered.first().partnership
    admin = p.supplier.memberships.filter(role="admin").first()
    scores = selectors.survey_scores(f.actor(admin), p.pk)
    assert scores.answers > 0 and 0 <= scores.csat <= 100 and -100 <= scores.nps <= 100
    total = selectors.otif_total(f.actor(admin), p.pk)
    assert total.deliveries > 0
    # Deliveries carry their surat jalan number, invoices theirs, an amount, a due date 30 days on and,
    # unless still open, a payment: most on time, some late, paid on time following the dates.
    assert not deliveries.filter(reference="").exists()
    assert deliveries.filter(reference__startswith="SJ/").count() == deliveries.count()
    invoices = touchpoints.filter(kind="invoice")
    assert invoices.filter(reference__startswith="INV/").count() == invoices.count()
    assert not invoices.filter(amount__isnull=True).exists()
    assert not invoices.filter(due_date__isnull=True).exists()
    terms = {(i.due_date - timezone.localtime(i.occurred_at).date()).days for i in invoices if i.due_date}
    assert terms <= {30, 31}  # 31 only when the moment's time was pulled back before midnight today
    paid = invoices.filter(paid_date__isnull=False)
    late = paid.filter(paid_on_time=False).count()
    assert 0 < late < paid.count() / 2
    assert not paid.filter(paid_on_time=True, paid_date__gt=F("due_date")).exists()
    assert not paid.filter(paid_amount__isnull=True).exists()
    assert not touchpoints.exclude(kind="invoice").filter(amount__isnull=False).exists()
    payments = selectors.payment_total(f.actor(admin), p.pk)
    assert payments.paid == payments.on_time + payments.late
