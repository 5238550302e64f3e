"""Holes found in review: each test failed before its fix."""

from __future__ import annotations

from tests import factories as f
from tests.apiclient import Api, check

from mitra.commitments.models import Commitment
from mitra.commitments.tests.helpers import in_days


def _base(world):
    return f"/partnerships/{world.partnership.pk}/commitments"


def _sales_only_bridge(world):
    """A bridge that only Sales (and the admins) of the supplier see."""
    return f.BridgeFactory(
        partnership=world.partnership,
        supplier_department=world.supplier_sales,
        restricted_department=world.supplier_sales,
    )


def test_a_commitment_on_a_restricted_bridge_is_restricted_like_the_bridge(client, world):
    """Before, the commitment was visible to all, naming a bridge its readers may not see."""
    bridge = _sales_only_bridge(world)
    body = {"title": "Promo Lebaran", "owner_id": world.supplier_admin.pk, "due_date": in_days(9).isoformat()}
    created = check(
        Api(client, world.supplier_admin), "POST", _base(world), {**body, "bridge_id": bridge.pk}, 201
    ).json()
    assert created["restricted_department"]["id"] == world.supplier_sales.pk
    # supplier_member works in Finance: neither the bridge nor the commitment on it is theirs to see.
    outsider = Api(client, world.supplier_member)
    check(outsider, "GET", f"{_base(world)}/{created['id']}", None, 404)
    assert check(outsider, "GET", _base(world), None, 200).json()["count"] == 0
    # The other side is not affected by a restriction it did not set.
    check(Api(client, world.customer_member), "GET", f"{_base(world)}/{created['id']}", None, 200)


def test_a_commitment_restricted_elsewhere_cannot_take_a_restricted_bridge(client, world):
    bridge = _sales_only_bridge(world)
    admin = Api(client, world.supplier_admin)
    body = {
        "title": "Rekap klaim",
        "owner_id": world.supplier_admin.pk,
        "due_date": in_days(9).isoformat(),
        "restricted_department_id": world.supplier_finance.pk,
    }
    response = check(admin, "POST", _base(world), {**body, "bridge_id": bridge.pk}, 422)
    assert "restricted_department_id" in response.text
    created = check(admin, "POST", _base(world), body, 201).json()
    response = check(admin, "PATCH", f"{_base(world)}/{created['id']}", {"bridge_id": bridge.pk}, 422)
    assert "bridge_id" in response.text
    assert Commitment.objects.get(pk=created["id"]).bridge_id is None


def test_moving_an_open_commitment_onto_a_restricted_bridge_restricts_it(client, world):
    bridge = _sales_only_bridge(world)
    admin = Api(client, world.supplier_admin)
    body = {"title": "Rekap klaim", "owner_id": world.supplier_admin.pk, "due_date": in_days(9).isoformat()}
    created = check(admin, "POST", _base(world), body, 201).json()
    assert created["restricted_department"] is None
    moved = check(admin, "PATCH", f"{_base(world)}/{created['id']}", {"bridge_id": bridge.pk}, 200).json()
    assert moved["restricted_department"]["id"] == world.supplier_sales.pk
    check(Api(client, world.supplier_member), "GET", f"{_base(world)}/{created['id']}", None, 404)


def test_the_owner_must_see_their_own_restricted_commitment(client, world, make):
    """Before, a Sales-only commitment could be owned by someone in Finance, who then could not see it."""
    admin = Api(client, world.supplier_admin)
    body = {
        "title": "Rekap klaim",
        "owner_id": world.supplier_member.pk,  # Finance
        "due_date": in_days(9).isoformat(),
        "restricted_department_id": world.supplier_sales.pk,
    }
    response = check(admin, "POST", _base(world), body, 422)
    assert "owner_id" in response.text
    # An admin, or someone of the other side (not affected by the restriction), may own it.
    check(admin, "POST", _base(world), {**body, "owner_id": world.supplier_admin.pk}, 201)
    check(admin, "POST", _base(world), {**body, "owner_id": world.customer_member.pk}, 201)
    # Nor can an open restricted commitment be handed to them, or moved onto a restricted bridge they miss.
    restricted = make(owner=world.supplier_admin, restricted_department_id=world.supplier_sales.pk)
    check(admin, "PATCH", f"{_base(world)}/{restricted.pk}", {"owner_id": world.supplier_member.pk}, 422)
    theirs = make(owner=world.supplier_member, by=world.supplier_admin)
    bridge = _sales_only_bridge(world)
    check(admin, "PATCH", f"{_base(world)}/{theirs.pk}", {"bridge_id": bridge.pk}, 422)


def test_a_bridge_restricted_later_is_not_named_to_those_outside_it(client, world, make):
    from django.urls import reverse

    from mitra.partnerships.models import Bridge

    bridge = f.BridgeFactory(
        partnership=world.partnership,
        supplier_department=world.supplier_sales,
        customer_department=f.DepartmentFactory(organisation=world.customer, name="Kategori Rahasia"),
    )
    commitment = make(owner=world.customer_member, bridge_id=bridge.pk)
    Bridge.objects.filter(pk=bridge.pk).update(restricted_department=world.customer_purchasing)
    # customer_member (Finance) may still read their commitment, but no longer the bridge it names.
    outsider = Api(client, world.customer_member)
    assert check(outsider, "GET", f"{_base(world)}/{commitment.pk}", None, 200).json()["bridge"] is None
    assert check(outsider, "GET", _base(world), None, 200).json()["items"][0]["bridge"] is None
    client.force_login(world.customer_member.user)
    for name in ("commitments:list", "commitments:detail"):
        kwargs = {"pk": world.partnership.pk}
        if name.endswith("detail"):
            kwargs["commitment_id"] = commitment.pk
        page = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert "Kategori Rahasia" not in page
    # Editing it keeps the bridge it cannot see.
    client.post(
        reverse("commitments:edit", kwargs={"pk": world.partnership.pk, "commitment_id": commitment.pk}),
        {
            "title": "Baru",
            "owner_id": world.customer_member.pk,
            "due_date": in_days(5).isoformat(),
            "bridge_id": "",
            "version": 1,
        },
    )
    commitment.refresh_from_db()
    assert (commitment.title, commitment.bridge_id) == ("Baru", bridge.pk)
    # The supplier side, and the customer's admins, still see it.
    assert (
        check(Api(client, world.supplier_member), "GET", f"{_base(world)}/{commitment.pk}", None, 200).json()[
            "bridge"
        ]["id"]
        == bridge.pk
    )
    assert (
        check(Api(client, world.customer_admin), "GET", f"{_base(world)}/{commitment.pk}", None, 200).json()[
            "bridge"
        ]["id"]
        == bridge.pk
    )
