"""Every rule of commitments, through the API: who may do what, in which state, and what is left behind."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests import factories as f
from tests.apiclient import ADMIN, ANON, FOREIGN, MEMBER, VIEWER, Api, as_, check, matrix

from mitra.commitments import services
from mitra.commitments.models import Commitment
from mitra.commitments.tests.helpers import backdate, in_days
from mitra.partnerships.models import Status
from mitra.threads.models import Event


def base(world) -> str:
    return f"/partnerships/{world.partnership.pk}/commitments"


def one(world, commitment) -> str:
    return f"{base(world)}/{commitment.pk}"


def body(world, **overrides):
    data = {
        "title": "Kirim forecast 13 minggu",
        "owner_id": world.supplier_member.pk,
        "due_date": in_days(10).isoformat(),
    }
    data.update(overrides)
    return data


# --- create -----------------------------------------------------------------------------------------------


def test_create_derives_the_owner_side_from_the_owner_and_the_recording_side_from_the_actor(client, world):
    api = Api(client, world.customer_admin)
    response = check(
        api,
        "POST",
        base(world),
        body(world, proactive=True, bridge_id=world.bridge.pk, description="Per SKU"),
        201,
    )
    data = response.json()
    assert data["owner_side"] == "supplier"  # the owner is a supplier member: the supplier promises
    assert data["created_by_side"] == "customer"  # the customer wrote it down
    assert data["owner"]["id"] == world.supplier_member.pk
    assert data["bridge"]["id"] == world.bridge.pk
    assert data["status"] == "open" and data["proactive"] is True and data["version"] == 1
    assert data["overdue"] is False and data["on_time"] is None
    c = Commitment.objects.get(pk=data["id"])
    assert c.created_by == world.customer_admin.user
    event = Event.objects.get(kind="commitment", object_id=c.pk)
    assert (event.verb, event.actor_side, event.url) == ("created", "customer", c.get_absolute_url())


def test_a_side_in_the_body_is_refused_not_used(client, world):
    api = Api(client, world.customer_admin)
    response = check(api, "POST", base(world), body(world, owner_side="customer"), 422)
    assert response.json()["errors"][0]["field"] == "owner_side"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"due_date": in_days(-1).isoformat()}, "due_date"),
        ({"owner_id": 999999}, "owner_id"),
        ({"bridge_id": 999999}, "bridge_id"),
        ({"title": "x" * 201}, "title"),
        ({"title": "a\x00b"}, "title"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(client, world, overrides, field):
    response = check(Api(client, world.supplier_admin), "POST", base(world), body(world, **overrides), 422)
    assert response.json()["errors"][0]["field"] == field


def test_the_owner_must_be_an_active_member_of_one_of_the_two_sides(client, world):
    api = Api(client, world.supplier_admin)
    check(api, "POST", base(world), body(world, owner_id=world.foreign_admin.pk), 422)
    world.supplier_member.is_active = False
    world.supplier_member.save()
    check(api, "POST", base(world), body(world, owner_id=world.supplier_member.pk), 422)


def test_the_bridge_must_belong_to_this_partnership(client, world):
    api = Api(client, world.supplier_admin)
    response = check(api, "POST", base(world), body(world, bridge_id=world.foreign_bridge.pk), 422)
    assert response.json()["errors"][0]["field"] == "bridge_id"


def test_a_restricted_commitment_is_hidden_from_other_departments_of_its_side(client, world):
    response = check(
        Api(client, world.supplier_admin),
        "POST",
        base(world),
        body(world, owner_id=world.supplier_admin.pk, restricted_department_id=world.supplier_sales.pk),
        201,
    )
    cid = response.json()["id"]
    check(Api(client, world.supplier_member), "GET", f"{base(world)}/{cid}", None, 404)  # finance only
    check(Api(client, world.customer_member), "GET", f"{base(world)}/{cid}", None, 200)  # other side
    listed = Api(client, world.supplier_member)("GET", base(world)).json()
    assert listed["count"] == 0
    reliability = Api(client, world.supplier_member)("GET", f"{base(world)}/reliability").json()
    assert reliability[0]["open"] == 0


@matrix(**{ANON: 401, FOREIGN: 404, VIEWER: 403, MEMBER: 201, ADMIN: 201})
def test_who_may_create(client, world, who, expected):
    check(as_(client, world, who), "POST", base(world), body(world), expected)


def test_an_ended_partnership_keeps_its_commitments_read_only(client, world, make):
    c = make()
    world.partnership.status = Status.ENDED
    world.partnership.save()
    api = Api(client, world.supplier_admin)
    check(api, "GET", one(world, c), None, 200)
    check(api, "POST", base(world), body(world), 409)
    check(api, "POST", f"{one(world, c)}/done", None, 409)


def test_a_proposal_has_no_commitments(client, world):
    proposal = f.PartnershipFactory(
        supplier=world.supplier, customer=world.foreign, proposed_by=world.supplier, status=Status.PROPOSED
    )
    api = Api(client, world.supplier_admin)
    check(api, "GET", f"/partnerships/{proposal.pk}/commitments", None, 404)
    check(api, "POST", f"/partnerships/{proposal.pk}/commitments", body(world), 404)


# --- done and acknowledge --------------------------------------------------------------------------------


def test_the_full_flow_done_then_acknowledged_by_the_other_side(client, world, make):
    c = make(owner=world.supplier_member)
    done = check(Api(client, world.supplier_admin), "POST", f"{one(world, c)}/done", None, 200).json()
    assert done["status"] == "done" and done["on_time"] is True and done["done_by"]
    assert done["version"] == 2
    ack = check(Api(client, world.customer_member), "POST", f"{one(world, c)}/acknowledge", None, 200).json()
    assert ack["status"] == "acknowledged" and ack["acknowledged_at"] and ack["version"] == 3
    c.refresh_from_db()
    assert c.acknowledged_by == world.customer_member.user
    verbs = list(
        Event.objects.filter(object_id=c.pk, kind="commitment")
        .order_by("at", "id")
        .values_list("verb", "actor_side")
    )
    assert verbs == [("created", "supplier"), ("done", "supplier"), ("acknowledged", "customer")]


def test_acknowledging_your_own_sides_commitment_is_forbidden(client, world, make):
    c = make()
    services.commitment_done(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, commitment_id=c.pk
    )
    response = check(Api(client, world.supplier_member), "POST", f"{one(world, c)}/acknowledge", None, 403)
    assert "receiving side" in response.json()["detail"]


def test_acknowledging_a_commitment_that_is_not_done_is_a_conflict(client, world, make):
    c = make()
    response = check(Api(client, world.customer_admin), "POST", f"{one(world, c)}/acknowledge", None, 409)
    assert "only a done commitment" in response.json()["detail"]


def test_the_receiving_side_cannot_mark_done(client, world, make):
    c = make(
        owner=world.supplier_member, by=world.customer_admin
    )  # recorded by the customer, still not theirs
    check(Api(client, world.customer_admin), "POST", f"{one(world, c)}/done", None, 403)


def test_marking_done_twice_or_after_acknowledgement_is_a_conflict(client, world, make):
    c = make()
    api = Api(client, world.supplier_admin)
    check(api, "POST", f"{one(world, c)}/done", None, 200)
    check(api, "POST", f"{one(world, c)}/done", None, 409)
    check(Api(client, world.customer_admin), "POST", f"{one(world, c)}/acknowledge", None, 200)
    check(Api(client, world.customer_admin), "POST", f"{one(world, c)}/acknowledge", None, 409)
    check(api, "POST", f"{one(world, c)}/done", None, 409)
    check(api, "POST", f"{one(world, c)}/cancel", {"reason": "late"}, 409)
    check(api, "PATCH", one(world, c), {"title": "New"}, 409)


def test_a_missed_commitment_can_still_be_delivered_late(client, world, make):
    c = make()
    backdate(c, 3)
    services.commitments_mark_overdue()
    data = check(Api(client, world.supplier_admin), "POST", f"{one(world, c)}/done", None, 200).json()
    assert data["status"] == "done" and data["on_time"] is False and data["missed_at"]


def test_done_after_the_due_date_is_late(client, world, make):
    c = make()
    backdate(c, 1)  # the job has not run yet: still open, overdue
    api = Api(client, world.supplier_admin)
    assert api("GET", one(world, c)).json()["overdue"] is True
    assert check(api, "POST", f"{one(world, c)}/done", None, 200).json()["on_time"] is False


def test_a_stale_version_is_a_conflict_and_changes_nothing(client, world, make):
    c = make()
    check(Api(client, world.supplier_admin), "POST", f"{one(world, c)}/done?version=7", None, 409)


@matrix(**{ANON: 401, FOREIGN: 404, VIEWER: 403, MEMBER: 200, ADMIN: 200})
def test_who_may_mark_done(client, world, make, who, expected):
    c = make()
    check(as_(client, world, who), "POST", f"{one(world, c)}/done", None, expected)


@pytest.mark.parametrize(
    "who, expected",
    [("customer_admin", 200), ("customer_member", 200), ("supplier_admin", 403), ("foreign_admin", 404)],
)
def test_who_may_acknowledge(client, world, make, who, expected):
    c = make()
    services.commitment_done(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, commitment_id=c.pk
    )
    check(Api(client, getattr(world, who)), "POST", f"{one(world, c)}/acknowledge", None, expected)


def test_a_customer_viewer_cannot_acknowledge(client, world, make):
    viewer = f.member(world.customer, "viewer", "viewer@ritel.test")
    c = make()
    services.commitment_done(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, commitment_id=c.pk
    )
    check(Api(client, viewer), "POST", f"{one(world, c)}/acknowledge", None, 403)


# --- cancel and update -----------------------------------------------------------------------------------


def test_the_owners_side_cancels_with_a_reason(client, world, make):
    c = make()
    api = Api(client, world.supplier_member)
    check(api, "POST", f"{one(world, c)}/cancel", {"reason": "   "}, 422)
    check(api, "POST", f"{one(world, c)}/cancel", {"reason": ""}, 422)
    data = check(api, "POST", f"{one(world, c)}/cancel", {"reason": "Diganti rapat online"}, 200).json()
    assert data["status"] == "cancelled" and data["cancel_reason"] == "Diganti rapat online"
    assert Event.objects.filter(object_id=c.pk, verb="cancelled", detail="Diganti rapat online").exists()
    check(api, "POST", f"{one(world, c)}/cancel", {"reason": "again"}, 409)
    check(api, "POST", f"{one(world, c)}/done", None, 409)


def test_the_receiving_side_cannot_cancel(client, world, make):
    c = make()
    check(Api(client, world.customer_admin), "POST", f"{one(world, c)}/cancel", {"reason": "No"}, 403)


def test_update_changes_an_open_commitment_with_its_version(client, world, make):
    c = make()
    api = Api(client, world.supplier_member)
    data = check(
        api,
        "PATCH",
        one(world, c),
        {
            "title": "Kirim forecast 26 minggu",
            "due_date": in_days(20).isoformat(),
            "proactive": True,
            "version": 1,
        },
        200,
    ).json()
    assert data["title"] == "Kirim forecast 26 minggu" and data["version"] == 2 and data["proactive"]
    assert data["bridge"] is None
    data = check(api, "PATCH", one(world, c), {"bridge_id": world.bridge.pk}, 200).json()
    assert data["bridge"]["id"] == world.bridge.pk
    data = check(api, "PATCH", one(world, c), {"bridge_id": None}, 200).json()
    assert data["bridge"] is None
    check(api, "PATCH", one(world, c), {"title": "Stale", "version": 1}, 409)
    assert Event.objects.filter(object_id=c.pk, verb="updated").count() == 3


def test_update_keeps_the_promise_with_the_same_side(client, world, make):
    c = make()
    api = Api(client, world.supplier_admin)
    response = check(api, "PATCH", one(world, c), {"owner_id": world.customer_admin.pk}, 422)
    assert response.json()["errors"][0]["field"] == "owner_id"
    data = check(api, "PATCH", one(world, c), {"owner_id": world.supplier_member.pk}, 200).json()
    assert data["owner"]["id"] == world.supplier_member.pk and data["owner_side"] == "supplier"


def test_update_refuses_a_past_due_date_and_a_blank_title(client, world, make):
    c = make()
    api = Api(client, world.supplier_admin)
    check(api, "PATCH", one(world, c), {"due_date": in_days(-2).isoformat()}, 422)
    check(api, "PATCH", one(world, c), {"title": " "}, 422)


def test_a_side_that_neither_made_nor_recorded_it_cannot_change_it(client, world, make):
    c = make()
    check(Api(client, world.customer_admin), "PATCH", one(world, c), {"title": "Ours now"}, 403)
    theirs = make(owner=world.supplier_member, by=world.customer_admin)  # recorded by the customer
    check(Api(client, world.customer_admin), "PATCH", one(world, theirs), {"title": "Clarified"}, 200)


@matrix(**{ANON: 401, FOREIGN: 404, VIEWER: 403, MEMBER: 200, ADMIN: 200})
def test_who_may_update(client, world, make, who, expected):
    c = make()
    check(as_(client, world, who), "PATCH", one(world, c), {"title": "Changed"}, expected)


@matrix(**{ANON: 401, FOREIGN: 404, VIEWER: 200, MEMBER: 200, ADMIN: 200})
def test_who_may_read(client, world, make, who, expected):
    c = make()
    for path in (base(world), one(world, c), f"{base(world)}/reliability"):
        check(as_(client, world, who), "GET", path, None, expected)


def test_a_commitment_of_another_partnership_is_not_found_through_this_one(client, world, make):
    c = make()
    other = f.PartnershipFactory(supplier=world.supplier)
    api = Api(client, world.supplier_admin)
    check(api, "GET", f"/partnerships/{other.pk}/commitments/{c.pk}", None, 404)
    check(api, "POST", f"/partnerships/{other.pk}/commitments/{c.pk}/done", None, 404)
    check(api, "GET", f"{base(world)}/999999", None, 404)


# --- lists, filters, reliability ------------------------------------------------------------------------


def test_list_filters_by_status_side_and_overdue(client, world, make):
    open_ = make(title="Open one")
    late = make(title="Late one")
    backdate(late, 2)
    theirs = make(owner=world.customer_admin, title="Customer one")
    services.commitment_done(
        f.actor(world.customer_admin), partnership_id=world.partnership.pk, commitment_id=theirs.pk
    )
    api = Api(client, world.supplier_admin)

    def titles(query: str) -> list[str]:
        return [c["title"] for c in check(api, "GET", f"{base(world)}?{query}", None, 200).json()["items"]]

    assert titles("") == ["Late one", "Open one", "Customer one"]  # open first, soonest due first
    assert titles("status=done") == ["Customer one"]
    assert titles("owner_side=customer") == ["Customer one"]
    assert titles("overdue=true") == ["Late one"]
    assert titles("overdue=false&owner_side=supplier") == ["Open one"]
    check(api, "GET", f"{base(world)}?status=bogus", None, 422)
    assert open_.pk


def test_reliability_per_side(client, world, make):
    p = world.partnership.pk
    supplier, customer = f.actor(world.supplier_admin), f.actor(world.customer_admin)
    kept = [make(proactive=True), make(), make()]  # three kept on time, one proactive
    for c in kept:
        services.commitment_done(supplier, partnership_id=p, commitment_id=c.pk)
    services.commitment_acknowledge(customer, partnership_id=p, commitment_id=kept[0].pk)
    late = make()
    backdate(late, 5)
    services.commitment_done(supplier, partnership_id=p, commitment_id=late.pk)  # done late
    missed = make()
    backdate(missed, 5)
    overdue = make()
    backdate(overdue, 1)
    services.commitments_mark_overdue()  # marks both missed
    open_ = make()
    cancelled = make(proactive=True)
    services.commitment_cancel(supplier, partnership_id=p, commitment_id=cancelled.pk, reason="Not needed")
    make(owner=world.customer_admin)  # one open on the customer's side
    data = check(Api(client, world.customer_member), "GET", f"{base(world)}/reliability", None, 200).json()
    s, c = data
    assert s["side"] == "supplier" and c["side"] == "customer"
    assert s == {
        "side": "supplier",
        "total": 7,  # the cancelled one does not count
        "settled": 6,
        "kept_on_time": 3,
        "late": 1,
        "acknowledged": 1,
        "missed": 2,
        "proactive": 1,
        "open": 1,
        "overdue": 0,
        "reliability": 50,
        "acknowledged_share": 25,
        "proactive_share": 14,
    }
    assert c["total"] == 1 and c["open"] == 1 and c["settled"] == 0 and c["reliability"] is None
    assert open_.pk


def test_list_api_queries_do_not_grow_with_commitments(client, world, make):
    api = Api(client, world.supplier_admin)
    url = f"{base(world)}?limit=100"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api("GET", url).status_code == 200
        return len(captured.captured_queries)

    for i in range(2):
        make(owner=world.supplier_member if i % 2 else world.customer_admin, bridge_id=world.bridge.pk)
    queries()  # the token's first use of the day is recorded once
    small = queries()
    for i in range(18):
        c = make(owner=world.customer_member if i % 2 else world.supplier_admin, bridge_id=world.bridge.pk)
        if i % 3 == 0:
            services.commitment_done(
                f.actor(world.customer_member if i % 2 else world.supplier_admin),
                partnership_id=world.partnership.pk,
                commitment_id=c.pk,
            )
    assert queries() == small
    assert api("GET", url).json()["count"] == 20


# --- history ----------------------------------------------------------------------------------------------


def test_every_change_is_kept_in_history_with_the_acting_user(client, world, make):
    c = make(owner=world.supplier_member)
    assert c.history.count() == 1
    assert c.history.first().history_user == world.supplier_member.user
    Api(client, world.supplier_admin)("PATCH", one(world, c), {"title": "Revised"})
    Api(client, world.supplier_member)("POST", f"{one(world, c)}/done")
    Api(client, world.customer_admin)("POST", f"{one(world, c)}/acknowledge")
    rows = list(c.history.order_by("history_date", "history_id"))
    assert [(r.status, r.history_user) for r in rows] == [
        ("open", world.supplier_member.user),
        ("open", world.supplier_admin.user),
        ("done", world.supplier_member.user),
        ("acknowledged", world.customer_admin.user),
    ]
    assert rows[1].title == "Revised"
