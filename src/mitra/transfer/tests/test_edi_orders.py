"""A confirmed planning order downloads as EDIFACT ORDERS and X12 850, from the page and the API, and
reads back to the open orders of its lines; a stranger gets 404."""

from __future__ import annotations

import pytest
from tests import factories as f
from tests.apiclient import Api
from tests.contracts.planning import seed

from mitra.planning.models import Order
from mitra.transfer.edi import read
from mitra.transfer.edi.proposals import order_document, party_id


@pytest.fixture
def order(world, django_capture_on_commit_callbacks) -> Order:
    with django_capture_on_commit_callbacks(execute=False):
        ids = seed(world)
    return Order.objects.get(pk=ids["planning_order"])


def expected(order: Order) -> list[dict[str, str]]:
    return [
        {
            "number": order.number,
            "sku": line.item.supplier_sku,
            "location": order.location.code,
            "quantity": f"{line.quantity.normalize():f}",
            "due_date": line.arrival.isoformat(),
        }
        for line in order.lines.select_related("item").order_by("id")
    ]


def page(world, order: Order, tail: str) -> str:
    return f"/partnerships/{world.partnership.pk}/planning/orders/{order.pk}/{tail}"


def test_the_order_reads_back_from_both_files_of_the_page(client, world, order):
    rows = expected(order)
    assert rows and all(r["due_date"] for r in rows)
    client.force_login(world.supplier_member.user)
    for tail, media, name, source in (
        ("export.edi", "application/edifact", f"{order.number}.edi", f"ORDERS {order.number}"),
        ("export.x12", "application/edi-x12", f"{order.number}.x12", f"850 {order.number}"),
    ):
        response = client.get(page(world, order, tail))
        assert response.status_code == 200
        assert response["Content-Type"] == f"{media}; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        (batch,) = read(response.content)
        assert (batch.kind, batch.rows, batch.source) == ("open_orders", rows, source)
    client.cookies["mitra_language"] = "en"
    html = client.get(f"/partnerships/{world.partnership.pk}/planning/orders/").content.decode()
    assert page(world, order, "export.edi") in html and page(world, order, "export.x12") in html


def test_the_api_answers_the_same_files_and_names_both_parties(client, world, order):
    api = Api(client, world.customer_admin)
    base = f"/partnerships/{world.partnership.pk}/planning/orders/{order.pk}/export"
    edifact = api("GET", f"{base}/edifact")
    x12 = api("GET", f"{base}/x12")
    assert edifact.status_code == 200 and x12.status_code == 200
    assert read(edifact.content)[0].rows == read(x12.content)[0].rows == expected(order)
    text = edifact.content.decode()
    buyer, supplier = party_id(world.customer.pk), party_id(world.supplier.pk)
    assert f"NAD+BY+{buyer}::92++{world.customer.name}'" in text
    assert f"NAD+SU+{supplier}::92++{world.supplier.name}'" in text
    customer_skus = [line.item.customer_sku for line in order.lines.select_related("item")]
    assert all(f"PIA+1+{sku}:IN'" in text for sku in customer_skus)
    assert all(f"*BP*{sku}~" in x12.content.decode() for sku in customer_skus)


def test_a_stranger_gets_404_from_the_page_the_api_and_the_selector(client, world, order):
    client.force_login(world.foreign_admin.user)
    for tail in ("export.edi", "export.x12"):
        assert client.get(page(world, order, tail)).status_code == 404
    api = Api(client, world.foreign_admin)
    base = f"/partnerships/{world.partnership.pk}/planning/orders/{order.pk}/export"
    for syntax in ("edifact", "x12"):
        response = api("GET", f"{base}/{syntax}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    from mitra.core.errors import NotFound

    with pytest.raises(NotFound):
        order_document(f.actor(world.foreign_admin), world.partnership.pk, order.pk)
    # the partners' own order, asked for under the stranger's partnership, is not found either
    with pytest.raises(NotFound):
        order_document(f.actor(world.supplier_admin), world.foreign_partnership.pk, order.pk)
