"""Alerts kept by the recompute: opened once per partnership, type and reason, refreshed while the
condition holds, closed when it clears; acknowledging and adopting a playbook."""

from __future__ import annotations

import datetime as dt

import pytest
from tests import factories as f

from mitra.commitments.models import Commitment
from mitra.core.errors import Conflict, Invalid, NotFound
from mitra.health import selectors, services
from mitra.health.models import AlertStatus, HealthAlert, HealthSettings
from mitra.health.services import health_recompute
from mitra.health.tests.records import at, commitment, started
from mitra.threads.models import Event

pytestmark = pytest.mark.django_db

UNTIL = dt.date(2026, 3, 29)


@pytest.fixture
def scored(world):
    return started(world)


def active(p):
    return {
        (a.type, a.reason): a
        for a in HealthAlert.objects.filter(partnership=p, status__in=["open", "acknowledged"])
    }


def test_conditions_open_alerts_once_and_refresh_them(world, scored):
    commitment(scored, due_date=dt.date(2026, 3, 2), status="open")
    result = health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    alerts = active(scored)
    # world: one bridge, one owner on each side → single-threaded; one open commitment past due
    assert ("single_threaded", "single_threaded") in alerts
    assert ("commitments_overdue", "commitments_overdue.supplier") in alerts
    first = alerts[("commitments_overdue", "commitments_overdue.supplier")]
    assert first.value == 1 and first.side == "supplier" and first.week == dt.date(2026, 3, 23)
    assert result.alerts_opened == len(alerts)
    raised = Event.objects.filter(partnership=scored, kind="alert", verb="raised")
    assert raised.count() == len(alerts)
    assert raised.get(object_id=first.pk).url.endswith(f"/health/#alert-{first.pk}")

    commitment(scored, due_date=dt.date(2026, 3, 9), status="open")  # a second one overdue
    again = health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    assert again.alerts_opened == 0 and again.alerts_closed == 0
    refreshed = active(scored)[("commitments_overdue", "commitments_overdue.supplier")]
    assert refreshed.pk == first.pk and refreshed.value == 2  # the same alert, refreshed
    assert HealthAlert.objects.filter(partnership=scored).count() == len(alerts)  # no duplicates

    Commitment.objects.filter(partnership=scored).delete()
    cleared = health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    gone = HealthAlert.objects.get(pk=first.pk)
    assert gone.status == AlertStatus.CLOSED and gone.closed_why == "cleared" and gone.closed_at
    assert cleared.alerts_closed >= 1
    assert ("commitments_overdue", "commitments_overdue.supplier") not in active(scored)


def test_a_condition_that_returns_opens_a_new_alert(world, scored):
    commitment(scored, due_date=dt.date(2026, 3, 2), status="open")
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    Commitment.objects.filter(partnership=scored).update(
        status="done", done_at=at("2026-03-03"), on_time=False
    )
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    commitment(scored, due_date=dt.date(2026, 3, 16), status="open")
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    rows = HealthAlert.objects.filter(partnership=scored, reason="commitments_overdue.supplier").order_by(
        "pk"
    )
    assert [r.status for r in rows] == ["closed", "open"]


def test_alerts_of_an_ended_partnership_close(world, scored):
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    assert active(scored)
    scored.status = "ended"
    scored.save(update_fields=["status"])
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    assert not active(scored)
    assert set(HealthAlert.objects.values_list("closed_why", flat=True)) == {"ended"}


def test_the_weekly_job_closes_the_alerts_of_partnerships_that_ended(world, scored):
    from mitra.health import tasks

    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    assert active(scored)
    type(scored).objects.filter(pk=scored.pk).update(status="ended")
    tasks.recompute_current_week.call()  # only active and paused partnerships are recomputed ...
    assert not active(scored)  # ... but the ended one's alerts close all the same


def test_the_default_owner_comes_from_a_bridge_the_adopter_can_see(world, scored):
    hidden_owner = f.member(world.customer, "member", "hidden@ritel.test")
    hidden = f.BridgeFactory(
        partnership=scored,
        supplier_department=world.supplier_finance,
        customer_department=world.customer_purchasing,
        supplier_owner=world.supplier_member,
        customer_owner=hidden_owner,
        restricted_department=world.supplier_finance,
    )
    type(hidden).objects.filter(pk=hidden.pk).update(created_at=at("2025-12-01"))  # the oldest bridge
    alert = HealthAlert.objects.create(  # two bridges now: raised by hand
        partnership=scored,
        type="single_threaded",
        reason="single_threaded",
        priority="medium",
        week=dt.date(2026, 3, 23),
        opened_week=dt.date(2026, 3, 23),
    )
    sales = f.actor(world.supplier_admin)
    outsider = f.member(world.supplier, "member", "sales2@sumber.test", [world.supplier_sales])
    seen_by_sales = selectors.alert_suggestions(alert, f.actor(outsider))
    assert {s.owner.pk for s in seen_by_sales if s.owner_side == "customer"} == {world.customer_admin.pk}
    seen_by_admin = selectors.alert_suggestions(alert, sales)  # admins see every bridge
    assert {s.owner.pk for s in seen_by_admin if s.owner_side == "customer"} == {hidden_owner.pk}


def test_an_agreed_red_threshold_applies_to_the_band_and_the_dimension_alerts(world, scored):
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    snap = selectors.health_latest(f.actor(world.supplier_admin), scored.pk)
    assert snap.band != "red"
    HealthSettings.objects.create(partnership=scored, red_below=100.0, green_from=100.0)
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    snap = selectors.health_latest(f.actor(world.supplier_admin), scored.pk)
    assert snap.band == "red"
    red = {a.reason for a in active(scored).values() if a.type == "dimension_red"}
    assert red == {f"dimension_red.{d}" for d, v in snap.dimensions.items() if v is not None and v < 100}


def test_acknowledge_by_either_side_once(world, scored):
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    alert = active(scored)[("single_threaded", "single_threaded")]
    with pytest.raises(NotFound):
        services.health_alert_acknowledge(
            f.actor(world.foreign_admin), partnership_id=scored.pk, alert_id=alert.pk
        )
    with pytest.raises(NotFound):  # an alert of another partnership through this one's id
        services.health_alert_acknowledge(
            f.actor(world.supplier_admin), partnership_id=world.foreign_partnership.pk, alert_id=alert.pk
        )
    done = services.health_alert_acknowledge(
        f.actor(world.customer_admin), partnership_id=scored.pk, alert_id=alert.pk
    )
    assert done.status == "acknowledged" and done.acknowledged_side == "customer"
    with pytest.raises(Conflict):
        services.health_alert_acknowledge(
            f.actor(world.supplier_admin), partnership_id=scored.pk, alert_id=alert.pk
        )
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)  # still holds: stays acknowledged
    assert HealthAlert.objects.get(pk=alert.pk).status == "acknowledged"


def test_viewers_cannot_acknowledge(world, scored):
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    alert = active(scored)[("single_threaded", "single_threaded")]
    from mitra.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.health_alert_acknowledge(
            f.actor(world.supplier_viewer), partnership_id=scored.pk, alert_id=alert.pk
        )


def test_adopting_a_playbook_creates_its_commitments_in_one_go(world, scored):
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    alert = active(scored)[("single_threaded", "single_threaded")]
    actor = f.actor(world.supplier_member)
    suggested = selectors.alert_suggestions(alert, actor)
    assert [(s.owner_side, s.due_in_days) for s in suggested] == [("supplier", 30), ("customer", 30)]
    assert suggested[0].owner.pk == world.supplier_member.pk  # the adopter on their own side
    assert suggested[1].owner.pk == world.customer_admin.pk  # the other side's bridge owner
    created = services.health_alert_adopt(actor, partnership_id=scored.pk, alert_id=alert.pk)
    assert [(c.owner_side, c.owner_id) for c in created] == [
        ("supplier", world.supplier_member.pk),
        ("customer", world.customer_admin.pk),
    ]
    from django.utils import timezone

    assert all(c.due_date == timezone.localdate() + dt.timedelta(days=30) for c in created)
    assert created[0].title == "Open a second bridge between departments"
    alert.refresh_from_db()
    assert alert.adopted_at and alert.status == "acknowledged"
    assert set(alert.commitments.values_list("pk", flat=True)) == {c.pk for c in created}
    with pytest.raises(Conflict):
        services.health_alert_adopt(actor, partnership_id=scored.pk, alert_id=alert.pk)
    assert Commitment.objects.filter(partnership=scored).count() == 2


def test_adoption_with_a_wrong_owner_leaves_no_trace(world, scored):
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    alert = active(scored)[("single_threaded", "single_threaded")]
    before = Commitment.objects.count()
    with pytest.raises(Invalid) as exc:
        services.health_alert_adopt(
            f.actor(world.supplier_admin),
            partnership_id=scored.pk,
            alert_id=alert.pk,
            owners={"customer": world.supplier_member.pk},  # a supplier member for the customer's promise
        )
    assert "owners.customer" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        services.health_alert_adopt(
            f.actor(world.supplier_admin), partnership_id=scored.pk, alert_id=alert.pk, owners={"buyer": 1}
        )
    assert "owners.buyer" in exc.value.errors
    assert Commitment.objects.count() == before
    alert.refresh_from_db()
    assert alert.adopted_at is None and alert.status == "open"


def test_a_closed_alert_cannot_be_adopted(world, scored):
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    alert = active(scored)[("single_threaded", "single_threaded")]
    HealthAlert.objects.filter(pk=alert.pk).update(status="closed", closed_why="cleared")
    with pytest.raises(Conflict):
        services.health_alert_adopt(
            f.actor(world.supplier_admin), partnership_id=scored.pk, alert_id=alert.pk
        )


def test_alert_list_filters_and_orders_by_priority(world, scored):
    commitment(scored, due_date=dt.date(2026, 3, 2), status="open")
    commitment(scored, due_date=dt.date(2026, 3, 3), status="open")
    commitment(scored, due_date=dt.date(2026, 3, 4), status="open")
    health_recompute(partnership_ids=[scored.pk], until=UNTIL)
    actor = f.actor(world.customer_member)
    listed = list(selectors.alert_list(actor, scored.pk))
    assert listed[0].priority == "high"  # 3 overdue commitments
    ranks = [{"high": 0, "medium": 1, "low": 2}[a.priority] for a in listed]
    assert ranks == sorted(ranks)
    assert list(selectors.alert_list(actor, scored.pk, status="closed")) == []
    with pytest.raises(Invalid) as exc:
        selectors.alert_list(actor, scored.pk, status="someday")
    assert "status" in exc.value.errors
    with pytest.raises(NotFound):
        selectors.alert_list(f.actor(world.foreign_admin), scored.pk)
