"""The demo's business plans: last year agreed twice and reviewed, this year agreed or a draft."""

import pytest
from django.utils import timezone

from mitra.demo.services import demo_seed
from mitra.plans.models import JointPlan, PlanGoal, PlanVersion
from mitra.threads.models import Event


@pytest.mark.django_db
def test_the_demo_writes_plans_that_obey_the_rules():
    demo_seed(size="small")
    this_year = timezone.localdate().year
    plans = JointPlan.objects.all()
    assert plans.filter(year=this_year).exists() and plans.filter(year=this_year - 1).exists()
    for plan in plans.prefetch_related("goals", "versions", "reviews"):
        goals = list(plan.goals.all())
        for side in ("supplier", "customer"):
            assert 2 <= sum(g.side == side for g in goals) <= 4
        versions = sorted(v.number for v in plan.versions.all())
        if plan.year < this_year:
            assert plan.status == "agreed" and versions == [1, 2] and plan.agreed_version == 2
            # v2 is the goals as they are now, v1 differs in some targets
            latest = next(v for v in plan.versions.all() if v.number == 2)
            assert {g["id"] for g in latest.goals} == {g.pk for g in goals}
        if plan.status == "agreed":
            assert plan.supplier_agreed_at and plan.customer_agreed_at
            assert versions and versions[-1] == plan.agreed_version
        else:
            assert versions == [] and not (plan.supplier_agreed_at and plan.customer_agreed_at)
        for review in plan.reviews.all():
            assert review.held_on <= timezone.localdate()
    assert plans.filter(year=this_year - 1).filter(reviews__isnull=False).exists()
    assert PlanGoal.history.count() == PlanGoal.objects.count()
    assert JointPlan.history.count() == plans.count()
    assert Event.objects.filter(kind="plan", verb="published").count() == PlanVersion.objects.count()
