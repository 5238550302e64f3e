"""The partnership's contact list: both sides see every contact, each side keeps its own; through the
services, the API and the pages; and the demo's lists."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse
from django.utils import timezone
from tests import factories as f
from tests.apiclient import Api, check

from mitra.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from mitra.demo.context import DemoContext
from mitra.partnerships import contacts
from mitra.partnerships import demo as partnerships_demo
from mitra.partnerships.models import Contact, Status


def add(world, membership=None, **kwargs) -> Contact:
    fields = {"name": "Budi Santoso", "email": "budi@sumber.test", "job_title": "Kepala Gudang", **kwargs}
    return contacts.contact_create(
        f.actor(membership or world.supplier_admin), partnership_id=world.partnership.pk, **fields
    )


# --- services ---------------------------------------------------------------------------------------------


def test_a_contact_belongs_to_the_actors_own_organisation_and_both_sides_see_it(world):
    c = add(world, email=" Budi@Sumber.TEST ", department_id=world.supplier_finance.pk)
    assert (c.organisation_id, c.email, c.department_id) == (
        world.supplier.pk,
        "budi@sumber.test",
        world.supplier_finance.pk,
    )
    theirs = add(world, world.customer_member, name="Rina Wijaya", email="rina@ritel.test")
    assert theirs.organisation_id == world.customer.pk
    for member in (world.supplier_viewer, world.customer_admin):
        seen = contacts.contact_list(f.actor(member), world.partnership.pk)
        assert [x.name for x in seen] == ["Rina Wijaya", "Budi Santoso"]  # by organisation name, then name
    only_supplier = contacts.contact_list(
        f.actor(world.customer_admin), world.partnership.pk, side="supplier"
    )
    assert [x.pk for x in only_supplier] == [c.pk]
    found = contacts.contact_list(f.actor(world.customer_admin), world.partnership.pk, query="finance")
    assert [x.pk for x in found] == [c.pk]
    assert c.history.count() == 1 and c.history.first().history_user == world.supplier_admin.user


def test_validation_errors_name_the_field(world):
    with pytest.raises(Invalid) as excinfo:
        add(world, name="  ")
    assert list(excinfo.value.errors) == ["name"]
    with pytest.raises(Invalid) as excinfo:
        add(world, email="not an address")
    assert list(excinfo.value.errors) == ["email"]
    with pytest.raises(Invalid) as excinfo:
        add(world, department_id=world.customer_finance.pk)  # the other side's department
    assert list(excinfo.value.errors) == ["department_id"]
    add(world)
    with pytest.raises(Invalid) as excinfo:
        add(world, name="Budi lagi", email="BUDI@sumber.test")
    assert list(excinfo.value.errors) == ["email"]
    assert Contact.objects.count() == 1
    # The other organisation may list the same address (its own contact of that name).
    add(world, world.customer_admin, email="budi@sumber.test")
    assert Contact.objects.count() == 2


def test_the_other_side_cannot_change_or_remove_my_contacts(world):
    c = add(world)
    for member in (world.customer_admin, world.customer_member):
        with pytest.raises(PermissionDenied):
            contacts.contact_update(
                f.actor(member), partnership_id=world.partnership.pk, contact_id=c.pk, name="Diambil alih"
            )
        with pytest.raises(PermissionDenied):
            contacts.contact_delete(f.actor(member), partnership_id=world.partnership.pk, contact_id=c.pk)
    with pytest.raises(PermissionDenied):
        contacts.contact_update(
            f.actor(world.supplier_viewer), partnership_id=world.partnership.pk, contact_id=c.pk, name="X"
        )
    c.refresh_from_db()
    assert (c.name, c.version) == ("Budi Santoso", 1)
    # My own side changes it, with optimistic locking, and may clear the department.
    updated = contacts.contact_update(
        f.actor(world.supplier_member),
        partnership_id=world.partnership.pk,
        contact_id=c.pk,
        version=1,
        phone="+62 812 1111 2222",
        department_id=None,
    )
    assert (updated.phone, updated.department_id, updated.version) == ("+62 812 1111 2222", None, 2)
    with pytest.raises(Conflict):
        contacts.contact_update(
            f.actor(world.supplier_admin),
            partnership_id=world.partnership.pk,
            contact_id=c.pk,
            version=1,
            name="Y",
        )
    contacts.contact_delete(
        f.actor(world.supplier_member), partnership_id=world.partnership.pk, contact_id=c.pk
    )
    assert not Contact.objects.exists()


def test_a_stranger_gets_not_found_and_an_ended_partnership_is_read_only(world):
    c = add(world)
    stranger = f.actor(world.foreign_admin)
    with pytest.raises(NotFound):
        contacts.contact_list(stranger, world.partnership.pk)
    with pytest.raises(NotFound):
        contacts.contact_get(stranger, world.partnership.pk, c.pk)
    with pytest.raises(NotFound):
        add(world, world.foreign_admin, email="x@lain.test")
    with pytest.raises(NotFound):
        contacts.contact_update(stranger, partnership_id=world.partnership.pk, contact_id=c.pk, name="X")
    with pytest.raises(NotFound):
        contacts.contact_delete(stranger, partnership_id=world.partnership.pk, contact_id=c.pk)
    # A contact of another partnership is not found through this one.
    with pytest.raises(NotFound):
        contacts.contact_get(f.actor(world.supplier_admin), world.foreign_partnership.pk, c.pk)
    world.partnership.status = Status.ENDED
    world.partnership.save(update_fields=["status"])
    with pytest.raises(Conflict):
        add(world, email="baru@sumber.test")
    assert Contact.objects.count() == 1
    assert contacts.contact_list(f.actor(world.customer_admin), world.partnership.pk).count() == 1


# --- API --------------------------------------------------------------------------------------------------


def base(world) -> str:
    return f"/partnerships/{world.partnership.pk}/contacts"


def test_contacts_round_trip_through_the_api(client, world):
    mine = Api(client, world.supplier_admin)
    body = {
        "name": "Dewi Lestari",
        "email": "Dewi@Sumber.test",
        "phone": "+62 21 555 0101",
        "job_title": "Finance clerk",
        "department_id": world.supplier_finance.pk,
    }
    data = check(mine, "POST", base(world), body, 201).json()
    assert (data["email"], data["side"], data["editable"], data["version"]) == (
        "dewi@sumber.test",
        "supplier",
        True,
        1,
    )
    assert data["organisation"] == {"id": world.supplier.pk, "name": world.supplier.name}
    assert data["department"]["id"] == world.supplier_finance.pk
    one = f"{base(world)}/{data['id']}"
    data = check(
        mine, "PATCH", one, {"job_title": "Finance supervisor", "department_id": None, "version": 1}, 200
    )
    assert (data.json()["job_title"], data.json()["department"], data.json()["version"]) == (
        "Finance supervisor",
        None,
        2,
    )
    # The other side reads it (not editable for them) but cannot change or delete it.
    theirs = Api(client, world.customer_admin)
    seen = check(theirs, "GET", base(world), None, 200).json()
    assert [(c["name"], c["editable"]) for c in seen["items"]] == [("Dewi Lestari", False)]
    check(theirs, "PATCH", one, {"name": "Diambil alih"}, 403)
    check(theirs, "DELETE", one, None, 403)
    # A duplicate address is a 422 on the field; a stranger gets 404 everywhere.
    response = check(mine, "POST", base(world), {"name": "Dewi 2", "email": "dewi@sumber.test"}, 422)
    assert [e["field"] for e in response.json()["errors"]] == ["email"]
    stranger = Api(client, world.foreign_admin)
    check(stranger, "GET", base(world), None, 404)
    check(stranger, "GET", one, None, 404)
    check(stranger, "PATCH", one, {"name": "X"}, 404)
    check(stranger, "DELETE", one, None, 404)
    check(mine, "DELETE", one, None, 204)
    assert not Contact.objects.exists()


# --- pages ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_contact_pages_render_in_both_languages(client, world, language):
    mine = add(world, department_id=world.supplier_finance.pk)
    theirs = add(world, world.customer_admin, name="Rina Wijaya", email="rina@ritel.test")
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = language
    p = world.partnership.pk
    for url in (
        reverse("partnerships:contacts", args=[p]),
        reverse("partnerships:contacts", args=[p]) + "?side=customer&q=rina",
        reverse("partnerships:contact_create", args=[p]),
        reverse("partnerships:contact_edit", args=[p, mine.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
    html = client.get(reverse("partnerships:contacts", args=[p])).content.decode()
    assert "Budi Santoso" in html and "Rina Wijaya" in html and "budi@sumber.test" in html
    # Edit links for my contacts only; the workspace navigation links the page.
    assert reverse("partnerships:contact_edit", args=[p, mine.pk]) in html
    assert reverse("partnerships:contact_edit", args=[p, theirs.pk]) not in html
    assert (
        'data-testid="contacts-link"' in client.get(reverse("partnerships:detail", args=[p])).content.decode()
    )


def test_adding_editing_and_removing_a_contact_through_the_pages(client, world):
    client.force_login(world.customer_member.user)
    client.cookies["mitra_language"] = "en"
    p = world.partnership.pk
    response = client.post(
        reverse("partnerships:contact_create", args=[p]),
        {"name": "Rina Wijaya", "email": "rina@ritel.test", "department_id": world.customer_finance.pk},
    )
    assert response.status_code == 302 and response["Location"] == reverse("partnerships:contacts", args=[p])
    c = Contact.objects.get()
    assert (c.organisation_id, c.department_id) == (world.customer.pk, world.customer_finance.pk)
    response = client.post(
        reverse("partnerships:contact_edit", args=[p, c.pk]),
        {"name": "Rina W.", "email": "not-an-address", "version": c.version},
    )
    assert response.status_code == 422 and "Enter a valid email address" in response.content.decode()
    response = client.post(
        reverse("partnerships:contact_edit", args=[p, c.pk]),
        {"name": "Rina W.", "email": "rina@ritel.test", "phone": "0812", "version": c.version},
    )
    c.refresh_from_db()
    assert response.status_code == 302 and (c.name, c.phone, c.department_id, c.version) == (
        "Rina W.",
        "0812",
        None,
        2,
    )
    # The other side cannot open the edit page or remove it.
    client.force_login(world.supplier_admin.user)
    assert client.get(reverse("partnerships:contact_edit", args=[p, c.pk])).status_code == 403
    assert client.post(reverse("partnerships:contact_delete", args=[p, c.pk])).status_code == 403
    assert Contact.objects.filter(pk=c.pk).exists()
    client.force_login(world.customer_member.user)
    response = client.post(reverse("partnerships:contact_delete", args=[p, c.pk]))
    assert response.status_code == 302 and not Contact.objects.exists()


def test_a_stranger_gets_404_on_the_contact_pages(client, world):
    c = add(world)
    client.force_login(world.foreign_admin.user)
    p = world.partnership.pk
    assert client.get(reverse("partnerships:contacts", args=[p])).status_code == 404
    assert client.get(reverse("partnerships:contact_edit", args=[p, c.pk])).status_code == 404
    assert client.post(reverse("partnerships:contact_delete", args=[p, c.pk])).status_code == 404
    assert Contact.objects.filter(pk=c.pk).exists()


# --- demo -------------------------------------------------------------------------------------------------


def test_the_demo_lists_a_few_people_of_each_side_per_partnership(world):
    world.partnership.responded_at = None
    now = timezone.now()
    ctx = DemoContext(
        rng=random.Random(5),
        size="small",
        today=timezone.localdate(),
        now=now,
        partnerships=[world.partnership],
        bridges={world.partnership.pk: [world.bridge]},
        people={},
    )
    assert partnerships_demo.seed_demo(ctx) == {"contacts": 6}
    listed = Contact.objects.filter(partnership=world.partnership)
    assert (
        sorted(listed.values_list("organisation_id", flat=True))
        == [world.supplier.pk] * 3 + [world.customer.pk] * 3
    )
    assert all(c.department is None or c.department.organisation_id == c.organisation_id for c in listed)
    # Addresses are at the organisation's domain, one per person.
    assert all(c.email.endswith(".co.id") and " " not in c.email for c in listed)
    assert all(c.name and c.job_title and c.phone.startswith("+62") for c in listed)
    assert Contact.history.count() == 6
    assert len(set(listed.values_list("email", flat=True))) == 6
