"""Every rule of touchpoints and OTIF through the API: who may do what, and what is left behind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests import factories as f
from tests.apiclient import ADMIN, ANON, FOREIGN, MEMBER, VIEWER, Api, as_, check, matrix

from mitra.moments.models import Touchpoint
from mitra.moments.tests.helpers import at, delivery, meeting
from mitra.partnerships.models import Status
from mitra.threads.models import Event


def base(world) -> str:
    return f"/partnerships/{world.partnership.pk}/touchpoints"


DELIVERY = {
    "kind": "delivery",
    "summary": "Pengiriman 120 karton ke DC Cikarang",
    "outcome": "positive",
    "promised_date": "2026-03-10",
    "actual_date": "2026-03-12",
    "promised_quantity": "120",
    "delivered_quantity": "120.00",
}


def test_a_delivery_records_on_time_and_in_full_and_the_side_from_the_actor(client, world):
    api = Api(client, world.customer_admin)
    data = check(api, "POST", base(world), {**DELIVERY, "bridge_id": world.bridge.pk}, 201).json()
    assert data["recorded_by_side"] == "customer"
    assert data["recorded_by"]["id"] == world.customer_admin.pk
    assert data["on_time"] is False  # two days late
    assert data["in_full"] is True
    assert data["bridge_id"] == world.bridge.pk and data["version"] == 1
    t = Touchpoint.objects.get(pk=data["id"])
    assert t.history.count() == 1 and t.history.first().history_user == world.customer_admin.user
    event = Event.objects.get(kind="touchpoint", object_id=t.pk)
    assert (event.verb, event.actor_side, event.url) == ("recorded", "customer", t.get_absolute_url())


def test_on_time_when_actual_is_on_the_promised_date_and_short_is_not_in_full(client, world):
    api = Api(client, world.supplier_admin)
    body = {**DELIVERY, "actual_date": "2026-03-10", "delivered_quantity": "119.99"}
    data = check(api, "POST", base(world), body, 201).json()
    assert (data["on_time"], data["in_full"]) == (True, False)
    body = {**DELIVERY, "actual_date": "2026-03-09", "delivered_quantity": "130"}
    data = check(api, "POST", base(world), body, 201).json()
    assert (data["on_time"], data["in_full"]) == (True, True)


def test_a_delivery_without_its_fields_is_422_naming_each_missing_one(client, world):
    api = Api(client, world.supplier_admin)
    response = check(api, "POST", base(world), {"kind": "delivery", "summary": "Kirim"}, 422)
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"promised_date", "actual_date", "promised_quantity", "delivered_quantity"}
    response = check(api, "POST", base(world), {**DELIVERY, "actual_date": None}, 422)
    assert {e["field"] for e in response.json()["errors"]} == {"actual_date"}


def test_delivery_fields_are_refused_for_other_kinds(client, world):
    api = Api(client, world.supplier_admin)
    response = check(api, "POST", base(world), {**DELIVERY, "kind": "meeting"}, 422)
    assert {e["field"] for e in response.json()["errors"]} == set(DELIVERY) - {"kind", "summary", "outcome"}
    data = check(api, "POST", base(world), {"kind": "meeting", "summary": "Rapat"}, 201).json()
    assert data["on_time"] is None and data["in_full"] is None and data["promised_date"] is None


def test_negative_quantities_and_a_bridge_of_another_partnership_are_refused(client, world):
    api = Api(client, world.supplier_admin)
    check(api, "POST", base(world), {**DELIVERY, "delivered_quantity": "-1"}, 422)
    response = check(api, "POST", base(world), {**DELIVERY, "bridge_id": world.foreign_bridge.pk}, 422)
    assert response.json()["errors"][0]["field"] == "bridge_id"


@matrix(**{ANON: 401, FOREIGN: 404, VIEWER: 403, MEMBER: 201, ADMIN: 201})
def test_who_may_record(client, world, who, expected):
    check(as_(client, world, who), "POST", base(world), {"kind": "call", "summary": "Telepon"}, expected)


@matrix(**{ANON: 401, FOREIGN: 404, VIEWER: 200, MEMBER: 200, ADMIN: 200})
def test_who_may_read(client, world, who, expected):
    t = meeting(world)
    check(as_(client, world, who), "GET", f"{base(world)}/{t.pk}", None, expected)
    check(as_(client, world, who), "GET", f"/partnerships/{world.partnership.pk}/otif", None, expected)


def test_an_ended_partnership_is_read_only(client, world):
    meeting(world)
    world.partnership.status = Status.ENDED
    world.partnership.save()
    api = Api(client, world.supplier_admin)
    check(api, "POST", base(world), {"kind": "call", "summary": "Telepon"}, 409)
    assert check(api, "GET", base(world), None, 200).json()["count"] == 1


def test_only_the_recording_side_can_update_with_version_check(client, world):
    t = delivery(world, late_days=1)
    url = f"{base(world)}/{t.pk}"
    check(Api(client, world.customer_admin), "PATCH", url, {"outcome": "negative"}, 403)
    api = Api(client, world.supplier_member)
    data = check(api, "PATCH", url, {"actual_date": t.promised_date.isoformat(), "version": 1}, 200).json()
    assert data["on_time"] is True and data["version"] == 2
    check(api, "PATCH", url, {"summary": "Stale", "version": 1}, 409)
    check(api, "PATCH", url, {"promised_date": None}, 422)
    # Changing the kind away from delivery needs the delivery fields cleared.
    check(api, "PATCH", url, {"kind": "order"}, 422)
    body = {
        "kind": "order",
        **dict.fromkeys(("promised_date", "actual_date", "promised_quantity", "delivered_quantity")),
    }
    data = check(api, "PATCH", url, body, 200).json()
    assert data["kind"] == "order" and data["on_time"] is None
    t.refresh_from_db()
    assert t.history.count() == 3
    assert t.history.first().history_user == world.supplier_member.user
    assert Event.objects.filter(kind="touchpoint", object_id=t.pk, verb="updated").count() == 2


def test_a_stranger_cannot_update_and_a_touchpoint_of_another_partnership_is_404(client, world):
    t = meeting(world)
    check(Api(client, world.foreign_admin), "PATCH", f"{base(world)}/{t.pk}", {"summary": "x"}, 404)
    other = f.PartnershipFactory(supplier=world.supplier, customer=world.foreign)
    check(Api(client, world.supplier_admin), "GET", f"/partnerships/{other.pk}/touchpoints/{t.pk}", None, 404)


def test_list_filters_by_kind_outcome_and_month(client, world):
    delivery(world, when=at(2026, 3, 5))
    meeting(world, occurred_at=at(2026, 3, 20), outcome="negative")
    meeting(world, occurred_at=at(2026, 4, 2), outcome="positive")
    api = Api(client, world.customer_member)

    def ids(query: str) -> int:
        return check(api, "GET", f"{base(world)}?{query}", None, 200).json()["count"]

    assert ids("") == 3
    assert ids("kind=meeting") == 2
    assert ids("outcome=negative") == 1
    assert ids("month=2026-03") == 2
    assert ids("month=2026-03&kind=meeting") == 1
    check(api, "GET", f"{base(world)}?month=2026-13", None, 422)


def test_otif_per_month_on_known_deliveries(client, world):
    today = dt.date.today()
    this_month = at(today.year, today.month, 1)
    # This month: 4 deliveries — one late, one short, one both, one perfect: OTIF 1 of 4.
    delivery(world, when=this_month)
    delivery(world, when=this_month, late_days=2)
    delivery(world, when=this_month, short=5)
    delivery(world, when=this_month, late_days=1, short=1)
    # Two months earlier: 2 perfect deliveries. Meetings never count.
    earlier = this_month - dt.timedelta(days=40)
    delivery(world, when=earlier)
    delivery(world, when=earlier)
    meeting(world, occurred_at=this_month)
    data = check(
        Api(client, world.customer_admin), "GET", f"/partnerships/{world.partnership.pk}/otif", None, 200
    ).json()
    months = data["months"]
    assert len(months) == 2
    old, now = months
    assert (old["deliveries"], old["otif"], old["otif_percent"]) == (2, 2, 100.0)
    assert now["month"] == today.replace(day=1).isoformat()
    assert (now["deliveries"], now["on_time"], now["in_full"], now["otif"]) == (4, 2, 2, 1)
    assert now["otif_percent"] == 25.0 and now["on_time_percent"] == 50.0
    assert (data["total"]["deliveries"], data["total"]["otif"], data["total"]["otif_percent"]) == (6, 3, 50.0)


def test_the_list_makes_the_same_number_of_queries_for_2_and_20(client, world):
    api = Api(client, world.supplier_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            check(api, "GET", base(world), None, 200)
        return len(ctx.captured_queries)

    for _ in range(2):
        delivery(world)
    count()  # the first call also stamps the token's last use
    two = count()
    for _ in range(18):
        meeting(world, bridge_id=world.bridge.pk)
    assert count() == two


@pytest.mark.parametrize("path", ["", "/999999"])
def test_reads_of_a_missing_partnership_are_404(client, world, path):
    check(Api(client, world.supplier_admin), "GET", f"/partnerships/999999/touchpoints{path}", None, 404)
