"""Weights and bands: one side proposes, only the other agrees; then the history is recomputed with them."""

from __future__ import annotations

import datetime as dt

import pytest
from tests import factories as f

from mitra.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from mitra.health import selectors, services
from mitra.health.engine import DEFAULT_WEIGHTS, DIMENSIONS
from mitra.health.models import HealthSettings, HealthSnapshot
from mitra.health.services import health_recompute
from mitra.health.tests.records import at, touchpoint
from mitra.threads.models import Event

pytestmark = pytest.mark.django_db

EVEN = {d: 10 for d in DIMENSIONS}
ONLY_MOMENTS = {d: (100 if d == "moments_of_truth" else 0) for d in DIMENSIONS}


def propose(world, who="supplier_admin", weights=EVEN, red=40, green=75, version=None):
    return services.health_settings_propose(
        f.actor(getattr(world, who)),
        partnership_id=world.partnership.pk,
        weights=weights,
        red_below=red,
        green_from=green,
        note="Value matters more for us",
        version=version,
    )


def test_defaults_until_both_sides_agree(world):
    view = selectors.health_settings(f.actor(world.customer_member), world.partnership.pk)
    total = sum(DEFAULT_WEIGHTS.values())
    assert view.is_default and not view.has_proposal
    assert view.weights == {d: DEFAULT_WEIGHTS[d] / total for d in DIMENSIONS}
    assert (view.red_below, view.green_from) == (50.0, 70.0)


def test_propose_then_the_other_side_agrees(world, django_capture_on_commit_callbacks):
    row = propose(world)
    assert row.proposed_weights == {d: 0.125 for d in DIMENSIONS}  # stored as fractions
    assert row.weights == dict(DEFAULT_WEIGHTS)  # nothing applies yet
    mine = selectors.health_settings(f.actor(world.supplier_admin), world.partnership.pk)
    theirs = selectors.health_settings(f.actor(world.customer_admin), world.partnership.pk)
    assert not mine.can_agree and theirs.can_agree
    with pytest.raises(Conflict):
        services.health_settings_agree(f.actor(world.supplier_member), partnership_id=world.partnership.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        agreed = services.health_settings_agree(
            f.actor(world.customer_admin), partnership_id=world.partnership.pk, version=row.version
        )
    assert agreed.weights == {d: 0.125 for d in DIMENSIONS}
    assert (agreed.red_below, agreed.green_from) == (40.0, 75.0)
    assert agreed.agreed_by == world.customer_admin.user and agreed.proposed_weights is None
    assert len(callbacks) == 1  # the recompute is queued after commit
    verbs = list(Event.objects.filter(kind="health_settings").order_by("pk").values_list("verb", flat=True))
    assert verbs == ["proposed", "agreed"]


def test_agreed_weights_drive_the_recompute(world):
    p = world.partnership
    p.start_date = dt.date(2026, 1, 5)
    p.save(update_fields=["start_date"])
    touchpoint(p, at("2026-01-14"), kind="delivery", on_time=True, in_full=True, outcome="positive")
    until = dt.date(2026, 3, 29)
    health_recompute(partnership_ids=[p.pk], until=until)
    before = HealthSnapshot.objects.filter(partnership=p).latest("week")
    propose(world, weights=ONLY_MOMENTS, red=10, green=20)
    services.health_settings_agree(f.actor(world.customer_admin), partnership_id=p.pk)
    health_recompute(partnership_ids=[p.pk], until=until)
    after = HealthSnapshot.objects.filter(partnership=p).latest("week")
    assert after.score == pytest.approx(after.dimensions["moments_of_truth"])
    assert after.score != pytest.approx(before.score)
    assert after.weights["moments_of_truth"] == 1.0 and after.band == "green"


def test_decline_and_withdraw(world):
    propose(world)
    services.health_settings_decline(f.actor(world.customer_admin), partnership_id=world.partnership.pk)
    assert HealthSettings.objects.get().proposed_weights is None
    propose(world)
    services.health_settings_decline(f.actor(world.supplier_member), partnership_id=world.partnership.pk)
    verbs = list(Event.objects.filter(kind="health_settings").order_by("pk").values_list("verb", flat=True))
    assert verbs == ["proposed", "declined", "proposed", "withdrawn"]
    with pytest.raises(Conflict):
        services.health_settings_decline(f.actor(world.customer_admin), partnership_id=world.partnership.pk)
    with pytest.raises(Conflict):
        services.health_settings_agree(f.actor(world.customer_admin), partnership_id=world.partnership.pk)


@pytest.mark.parametrize(
    ("weights", "red", "green", "field"),
    [
        ({**EVEN, "commitment": -1}, 40, 70, "weights.commitment"),
        ({**EVEN, "breadth": "lots"}, 40, 70, "weights.breadth"),
        ({k: v for k, v in EVEN.items() if k != "anticipation"}, 40, 70, "weights.anticipation"),
        ({**EVEN, "loyalty": 5}, 40, 70, "weights.loyalty"),
        ({d: 0 for d in DIMENSIONS}, 40, 70, "weights"),
        ({**EVEN, "improvement": 101}, 40, 70, "weights.improvement"),
        (EVEN, 80, 70, "green_from"),
        (EVEN, -5, 70, "red_below"),
        (EVEN, 40, "high", "green_from"),
    ],
)
def test_bad_proposals_name_the_field_and_change_nothing(world, weights, red, green, field):
    with pytest.raises(Invalid) as exc:
        propose(world, weights=weights, red=red, green=green)
    assert field in exc.value.errors
    row = HealthSettings.objects.filter(partnership=world.partnership).first()
    assert row is None or row.proposed_weights is None


def test_proposing_what_is_agreed_is_refused(world):
    with pytest.raises(Invalid):
        propose(world, weights=dict(DEFAULT_WEIGHTS), red=50, green=70)


def test_stale_version_is_a_conflict(world):
    row = propose(world)
    with pytest.raises(Conflict):
        propose(world, who="customer_admin", version=row.version - 1)
    newer = propose(world, who="customer_admin", weights=ONLY_MOMENTS, version=row.version)
    assert newer.proposed_by_side == "customer"


def test_strangers_and_viewers(world):
    with pytest.raises(NotFound):
        selectors.health_settings(f.actor(world.foreign_admin), world.partnership.pk)
    with pytest.raises(NotFound):
        propose(world, who="foreign_admin")
    with pytest.raises(PermissionDenied):
        propose(world, who="supplier_viewer")


def test_bad_weights_and_bad_bands_are_reported_together(world):
    with pytest.raises(Invalid) as exc:
        propose(world, weights={**EVEN, "breadth": -3}, red=90, green=10)
    assert {"weights.breadth", "green_from"} <= set(exc.value.errors)
