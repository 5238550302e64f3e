"""The API of settings, alerts and the portfolio: same bytes for both sides, strangers 404, clear 4xx."""

from __future__ import annotations

import datetime as dt

import pytest
from tests import factories as f
from tests.apiclient import Api

from mitra.commitments.models import Commitment
from mitra.health.engine import DIMENSIONS
from mitra.health.models import HealthAlert
from mitra.health.services import health_recompute
from mitra.health.tests.records import commitment, started

pytestmark = pytest.mark.django_db

UNTIL = dt.date(2026, 3, 29)


@pytest.fixture
def scored(world):
    p = started(world)
    commitment(p, side="customer", due_date=dt.date(2026, 3, 2), status="open")
    health_recompute(partnership_ids=[p.pk], until=UNTIL)
    return p


def test_alerts_are_byte_identical_for_both_sides(client, world, scored):
    path = f"/partnerships/{scored.pk}/alerts"
    supplier = Api(client, world.supplier_viewer)("GET", path)
    customer = Api(client, world.customer_member)("GET", path)
    assert supplier.status_code == 200 and supplier.content == customer.content
    items = supplier.json()["items"]
    reasons = {a["reason"] for a in items}
    assert {"single_threaded", "commitments_overdue.customer"} <= reasons
    overdue = next(a for a in items if a["reason"] == "commitments_overdue.customer")
    assert overdue["message"] == "The customer has 1 overdue commitment."
    assert overdue["status"] == "open" and overdue["commitment_ids"] == []


def test_alert_detail_lists_the_playbook(client, world, scored):
    alert = HealthAlert.objects.get(partnership=scored, reason="commitments_overdue.customer")
    body = Api(client, world.customer_admin)("GET", f"/partnerships/{scored.pk}/alerts/{alert.pk}").json()
    assert [(s["owner_side"], s["due_in_days"], s["owner_id"]) for s in body["suggestions"]] == [
        ("customer", 7, world.customer_admin.pk)
    ]
    assert body["suggestions"][0]["title"] == "Re-plan the overdue commitments with new dates"


def test_acknowledge_and_adopt_through_the_api(client, world, scored):
    alert = HealthAlert.objects.get(partnership=scored, reason="commitments_overdue.customer")
    base = f"/partnerships/{scored.pk}/alerts/{alert.pk}"
    ack = Api(client, world.supplier_member)("POST", base + "/acknowledge")
    assert ack.status_code == 200 and ack.json()["status"] == "acknowledged"
    assert ack.json()["acknowledged_side"] == "supplier"
    again = Api(client, world.customer_admin)("POST", base + "/acknowledge")
    assert again.status_code == 409
    adopted = Api(client, world.supplier_member)(
        "POST", base + "/adopt", {"owners": {"customer": world.customer_member.pk}}
    )
    assert adopted.status_code == 200, adopted.content
    ids = adopted.json()["commitment_ids"]
    assert len(ids) == 1
    made = Commitment.objects.get(pk=ids[0])
    assert made.owner_id == world.customer_member.pk and made.owner_side == "customer"


def test_adopt_with_a_bad_owner_names_the_field(client, world, scored):
    alert = HealthAlert.objects.get(partnership=scored, reason="commitments_overdue.customer")
    response = Api(client, world.supplier_admin)(
        "POST",
        f"/partnerships/{scored.pk}/alerts/{alert.pk}/adopt",
        {"owners": {"customer": world.supplier_member.pk}},
    )
    assert response.status_code == 422
    assert "owners.customer" in {e["field"] for e in response.json()["errors"]}
    assert not HealthAlert.objects.get(pk=alert.pk).adopted_at


def test_strangers_get_404_on_every_alert_route(client, world, scored):
    alert = HealthAlert.objects.filter(partnership=scored).first()
    stranger = Api(client, world.foreign_admin)
    base = f"/partnerships/{scored.pk}"
    for method, path in [
        ("GET", base + "/alerts"),
        ("GET", base + f"/alerts/{alert.pk}"),
        ("POST", base + f"/alerts/{alert.pk}/acknowledge"),
        ("GET", base + "/health/settings"),
    ]:
        assert stranger(method, path).status_code == 404, path
    assert HealthAlert.objects.get(pk=alert.pk).status == "open"
    # an alert id of this partnership under the stranger's own partnership is not found either
    mine = f"/partnerships/{world.foreign_partnership.pk}/alerts/{alert.pk}"
    assert stranger("GET", mine).status_code == 404


def test_settings_round_trip(client, world, scored):
    weights = {d: 10 for d in DIMENSIONS} | {"mutual_value": 30}
    base = f"/partnerships/{scored.pk}/health/settings"
    proposed = Api(client, world.supplier_admin)(
        "POST", base + "/propose", {"weights": weights, "red_below": 45, "green_from": 72}
    )
    assert proposed.status_code == 200
    assert proposed.json()["proposed_weights"]["mutual_value"] == pytest.approx(0.3)
    assert proposed.json()["is_default"] is True
    own = Api(client, world.supplier_admin)("POST", base + "/agree", {})
    assert own.status_code == 409
    agreed = Api(client, world.customer_admin)(
        "POST", base + "/agree", {"version": proposed.json()["version"]}
    )
    assert agreed.status_code == 200
    body = agreed.json()
    assert body["weights"]["mutual_value"] == pytest.approx(0.3) and body["red_below"] == 45
    assert body["proposed_weights"] is None and body["is_default"] is False
    same = [Api(client, u)("GET", base).content for u in (world.supplier_viewer, world.customer_member)]
    assert same[0] == same[1]


def test_bad_settings_name_the_field(client, world, scored):
    response = Api(client, world.supplier_admin)(
        "POST",
        f"/partnerships/{scored.pk}/health/settings/propose",
        {"weights": {d: 10 for d in DIMENSIONS}, "red_below": 80, "green_from": 60},
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"green_from"}


def test_portfolio_sorts_and_shows_sparklines(client, world, scored):
    other = f.PartnershipFactory(supplier=world.supplier, customer=f.OrganisationFactory(name="PT Zeta"))
    api = Api(client, world.supplier_admin)
    body = api("GET", "/portfolio?sort=score&order=desc").json()
    assert body["count"] >= 2
    first = body["items"][0]
    assert first["partnership_id"] == scored.pk and first["score"] is not None
    assert first["partner_name"] == world.customer.name and first["side"] == "supplier"
    assert first["open_alerts"] == HealthAlert.objects.filter(partnership=scored, status="open").count()
    assert first["top_priority"] in {"high", "medium", "low"}
    assert len(first["sparkline"]) == 12
    unscored = next(r for r in body["items"] if r["partnership_id"] == other.pk)
    assert unscored["score"] is None and unscored["band"] == "no_data"
    assert body["items"][-1]["score"] is None  # no score: last, whatever the order
    by_name = api("GET", "/portfolio?sort=partner").json()["items"]
    names = [r["partner_name"] for r in by_name]
    assert names == sorted(names)
    assert api("GET", "/portfolio?sort=nonsense").status_code == 422
    customer_view = Api(client, world.customer_admin)("GET", "/portfolio").json()["items"]
    assert [r["partnership_id"] for r in customer_view] == [scored.pk]
    assert customer_view[0]["side"] == "customer" and customer_view[0]["partner_name"] == world.supplier.name
