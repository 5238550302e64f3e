from __future__ import annotations

import pytest
from django.db.models import Count, Q

from mitra.demo.services import demo_seed
from mitra.partnerships.models import Bridge, Status
from mitra.pulse.models import SCORE_FIELDS, PulseResponse, PulseRound, current_quarter
from mitra.threads.models import Event


@pytest.mark.django_db
def test_the_demo_has_a_round_per_quarter_with_plausible_answers():
    demo_seed(size="small")
    rounds = PulseRound.objects.all()
    assert rounds.count() > 10
    assert Event.objects.filter(kind="pulse", verb="opened").count() == rounds.count()
    # Every active partnership has this quarter's round; quarters are unique per partnership (constraint).
    active = Bridge.objects.filter(partnership__status=Status.ACTIVE).values("partnership").distinct()
    assert not active.exclude(partnership__pulse_rounds__quarter=current_quarter()).exists()
    assert PulseRound.objects.filter(partnership__status=Status.ACTIVE, quarter=current_quarter()).exists()
    assert all(r.opened_at < r.closes_at for r in rounds)

    answers = PulseResponse.objects.select_related("bridge", "respondent", "round")
    assert answers.count() > 50
    assert answers.first().history.exists()
    for a in answers:
        assert all(1 <= getattr(a, name) <= 5 for name in SCORE_FIELDS)
        assert a.round.partnership_id == a.partnership_id == a.bridge.partnership_id
        assert a.round.opened_at <= a.answered_at < a.round.closes_at
        # The respondent is on the bridge, on their own side.
        on_bridge = (
            a.respondent_id in (a.bridge.supplier_owner_id, a.bridge.customer_owner_id)
            or a.respondent.departments.filter(
                pk__in=[a.bridge.supplier_department_id, a.bridge.customer_department_id]
            ).exists()
        )
        assert on_bridge
        expected_side = (
            "supplier" if a.respondent.organisation_id == a.partnership.supplier_id else "customer"
        )
        assert a.side == expected_side

    # Both shown and suppressed groups exist, so the page has something of each to show. (The demo
    # companies staff each department with about one person, so it is the sides that reach three.)
    sides = PulseResponse.objects.values("round", "side").annotate(people=Count("respondent", distinct=True))
    assert sides.filter(people__gte=3).exists()
    assert sides.filter(people__lt=3).exists()
    cells = PulseResponse.objects.values("round", "bridge", "side").annotate(
        people=Count("respondent", distinct=True)
    )
    assert cells.filter(people__lt=3).exists()
    assert PulseResponse.objects.exclude(comment="").exists()
    assert not PulseResponse.objects.filter(~Q(side__in=["supplier", "customer"])).exists()
