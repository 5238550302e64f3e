"""The health API: identical bytes for both sides, strangers 404, a clear 404 before the first score."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.apiclient import Api

from mitra.health.services import health_recompute
from mitra.health.tests.records import at, commitment, touchpoint

pytestmark = pytest.mark.django_db

UNTIL = dt.date(2026, 3, 29)


@pytest.fixture
def scored(world):
    p = world.partnership
    p.start_date = dt.date(2026, 1, 5)
    p.save(update_fields=["start_date"])
    touchpoint(p, at("2026-01-14"), kind="delivery", on_time=True, in_full=True, outcome="positive")
    commitment(p, due_date=dt.date(2026, 2, 4), status="done", on_time=True, done_at=at("2026-02-03"))
    commitment(p, side="customer", due_date=dt.date(2026, 2, 25), status="missed", missed_at=at("2026-02-26"))
    health_recompute(partnership_ids=[p.pk], until=UNTIL)
    return p


def test_latest_health_is_byte_identical_for_both_sides(client, world, scored):
    path = f"/partnerships/{scored.pk}/health"
    supplier = Api(client, world.supplier_viewer)("GET", path)
    customer = Api(client, world.customer_member)("GET", path)
    assert supplier.status_code == customer.status_code == 200
    assert supplier.content == customer.content
    body = supplier.json()
    assert body["week"] == "2026-03-23"
    assert set(body) == {"week", "score", "band", "delta_1w", "delta_4w", "dimensions", "drivers", "weights"}
    assert len(body["dimensions"]) == 8 and body["dimensions"]["customer_focus"] is None  # no cases: no data
    assert body["band"] in {"red", "amber", "green"}


def test_history_is_byte_identical_and_oldest_first(client, world, scored):
    path = f"/partnerships/{scored.pk}/health/history?weeks=5"
    supplier = Api(client, world.supplier_admin)("GET", path)
    customer = Api(client, world.customer_admin)("GET", path)
    assert supplier.status_code == 200
    assert supplier.content == customer.content
    weeks = [row["week"] for row in supplier.json()]
    assert weeks == ["2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]


def test_strangers_get_404(client, world, scored):
    for path in (f"/partnerships/{scored.pk}/health", f"/partnerships/{scored.pk}/health/history"):
        response = Api(client, world.foreign_admin)("GET", path)
        assert response.status_code == 404
        assert "score" not in response.json()


def test_no_snapshot_yet_is_a_clear_404(client, world):
    response = Api(client, world.customer_admin)("GET", f"/partnerships/{world.partnership.pk}/health")
    assert response.status_code == 404
    assert response.json()["detail"] == "No health score has been computed for this partnership yet."
    history = Api(client, world.customer_admin)("GET", f"/partnerships/{world.partnership.pk}/health/history")
    assert history.status_code == 200 and history.json() == []
