"""Document numbers and invoices: amount, due and paid (paid on time follows), the payments summary, through
the services, the API and the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from tests import factories as f
from tests.apiclient import Api, check

from mitra.core.errors import Invalid, NotFound
from mitra.moments import selectors, services
from mitra.moments.models import Touchpoint
from mitra.moments.tests.helpers import delivery


def invoice(world, *, reference: str = "INV/2026/00123", membership=None, **kwargs) -> Touchpoint:
    fields = {
        "amount": Decimal("12500000"),
        "due_date": dt.date(2026, 3, 31),
        **kwargs,
    }
    return services.touchpoint_create(
        f.actor(membership or world.supplier_admin),
        partnership_id=world.partnership.pk,
        kind="invoice",
        summary="Faktur pengiriman Maret",
        reference=reference,
        **fields,
    )


def errors_of(excinfo: pytest.ExceptionInfo[Invalid]) -> dict[str, list[str]]:
    return excinfo.value.errors


# --- services ---------------------------------------------------------------------------------------------


def test_an_invoice_paid_by_its_due_date_is_on_time_and_a_later_payment_is_late(world):
    t = invoice(world, paid_date=dt.date(2026, 3, 31), paid_amount=Decimal("12500000"))
    assert (t.reference, t.amount, t.paid_on_time) == ("INV/2026/00123", Decimal("12500000"), True)
    t = services.touchpoint_update(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        touchpoint_id=t.pk,
        version=t.version,
        paid_date=dt.date(2026, 4, 1),
    )
    t.refresh_from_db()
    assert t.paid_on_time is False and t.version == 2
    # Unpaid again: paid on time is unknown, not "late".
    t = services.touchpoint_update(
        f.actor(world.supplier_admin),
        partnership_id=world.partnership.pk,
        touchpoint_id=t.pk,
        paid_date=None,
        paid_amount=None,
    )
    t.refresh_from_db()
    assert t.paid_on_time is None


def test_invoice_fields_are_refused_on_other_kinds_naming_each_field(world):
    with pytest.raises(Invalid) as excinfo:
        services.touchpoint_create(
            f.actor(world.supplier_admin),
            partnership_id=world.partnership.pk,
            kind="meeting",
            summary="Rapat bulanan",
            amount=Decimal(100),
            due_date=dt.date(2026, 3, 1),
        )
    assert set(errors_of(excinfo)) == {"amount", "due_date"}
    assert not Touchpoint.objects.exists()
    d = delivery(world)
    with pytest.raises(Invalid) as excinfo:
        services.touchpoint_update(
            f.actor(world.supplier_admin),
            partnership_id=world.partnership.pk,
            touchpoint_id=d.pk,
            paid_amount=Decimal(5),
        )
    assert set(errors_of(excinfo)) == {"paid_amount"}
    d.refresh_from_db()
    assert d.paid_amount is None and d.version == 1


def test_a_payment_needs_its_due_date_and_both_its_date_and_amount(world):
    with pytest.raises(Invalid) as excinfo:
        invoice(world, due_date=None, paid_date=dt.date(2026, 3, 1), paid_amount=Decimal(1))
    assert set(errors_of(excinfo)) == {"due_date"}
    with pytest.raises(Invalid) as excinfo:
        invoice(world, paid_date=dt.date(2026, 3, 1))
    assert set(errors_of(excinfo)) == {"paid_amount"}
    with pytest.raises(Invalid) as excinfo:
        invoice(world, amount=Decimal(-1))
    assert "amount" in errors_of(excinfo)
    assert not Touchpoint.objects.exists()


def test_a_document_number_is_unique_per_partnership_and_kind(world):
    invoice(world, reference=" INV/2026/00123 ")
    assert Touchpoint.objects.get().reference == "INV/2026/00123"
    with pytest.raises(Invalid) as excinfo:
        invoice(world, reference="INV/2026/00123")
    assert list(errors_of(excinfo)) == ["reference"]
    assert "INV/2026/00123" in errors_of(excinfo)["reference"][0]
    # Another kind may carry the same number, and so may any number of touchpoints without one.
    services.touchpoint_create(
        f.actor(world.customer_admin),
        partnership_id=world.partnership.pk,
        kind="payment",
        summary="Pembayaran faktur",
        reference="INV/2026/00123",
    )
    invoice(world, reference="")
    invoice(world, reference="")
    second = invoice(world, reference="INV/2026/00124")
    with pytest.raises(Invalid) as excinfo:
        services.touchpoint_update(
            f.actor(world.supplier_admin),
            partnership_id=world.partnership.pk,
            touchpoint_id=second.pk,
            reference="INV/2026/00123",
        )
    assert list(errors_of(excinfo)) == ["reference"]
    assert Touchpoint.objects.filter(kind="invoice").count() == 4


def test_a_stranger_cannot_record_or_read_invoices(world):
    t = invoice(world)
    stranger = f.actor(world.foreign_admin)
    with pytest.raises(NotFound):
        invoice(world, membership=world.foreign_admin, reference="INV/X")
    with pytest.raises(NotFound):
        selectors.payment_total(stranger, world.partnership.pk)
    with pytest.raises(NotFound):
        selectors.touchpoint_get(stranger, world.partnership.pk, t.pk)
    assert Touchpoint.objects.count() == 1


def test_payments_count_on_time_and_average_days_late_by_month_of_payment(world):
    today = timezone.localdate()
    due = today - dt.timedelta(days=20)
    invoice(world, reference="A", due_date=due, paid_date=due, paid_amount=Decimal(10))
    invoice(world, reference="B", due_date=due, paid_date=due - dt.timedelta(days=3), paid_amount=Decimal(10))
    invoice(world, reference="C", due_date=due, paid_date=due + dt.timedelta(days=3), paid_amount=Decimal(10))
    invoice(world, reference="D", due_date=due, paid_date=due + dt.timedelta(days=6), paid_amount=Decimal(10))
    invoice(world, reference="E", due_date=due)  # unpaid and overdue
    invoice(world, reference="F", due_date=today + dt.timedelta(days=5))  # unpaid, not yet due
    invoice(
        world, reference="G", due_date=due, paid_date=due - dt.timedelta(days=800), paid_amount=Decimal(1)
    )
    actor = f.actor(world.customer_member)
    total = selectors.payment_total(actor, world.partnership.pk, months=12)
    assert (total.paid, total.on_time, total.late, total.overdue) == (4, 2, 2, 1)
    assert total.on_time_percent == 50.0 and total.average_days_late == 4.5
    everything = selectors.payment_total(actor, world.partnership.pk)
    assert (everything.paid, everything.on_time) == (5, 3)
    months = selectors.payments_by_month(actor, world.partnership.pk, months=12)
    assert sum(m.paid for m in months) == 4 and sum(m.late for m in months) == 2
    assert all(m.month is not None and m.month.day == 1 for m in months)


# --- API --------------------------------------------------------------------------------------------------


def test_an_invoice_round_trips_through_the_api(client, world):
    api = Api(client, world.supplier_admin)
    p = world.partnership.pk
    body = {
        "kind": "invoice",
        "summary": "Faktur Maret",
        "reference": "INV/2026/00077",
        "amount": "45000000",
        "due_date": "2026-04-30",
    }
    data = check(api, "POST", f"/partnerships/{p}/touchpoints", body, 201).json()
    assert data["reference"] == "INV/2026/00077" and data["due_date"] == "2026-04-30"
    assert Decimal(data["amount"]) == Decimal("45000000") and data["paid_on_time"] is None
    one = f"/partnerships/{p}/touchpoints/{data['id']}"
    patch = {"paid_date": "2026-05-03", "paid_amount": "45000000", "version": 1}
    data = check(api, "PATCH", one, patch, 200).json()
    assert data["paid_on_time"] is False and data["paid_date"] == "2026-05-03" and data["version"] == 2
    assert check(api, "GET", one, None, 200).json()["paid_amount"] in ("45000000.00", "45000000")
    # The same number again is a 422 on the field; invoice fields on a meeting are a 422 naming them.
    response = check(api, "POST", f"/partnerships/{p}/touchpoints", body, 422)
    assert "reference" in {e["field"] for e in response.json()["errors"]}
    meeting = {"kind": "meeting", "summary": "Rapat", "amount": "5", "paid_date": "2026-01-01"}
    response = check(api, "POST", f"/partnerships/{p}/touchpoints", meeting, 422)
    assert {"amount", "paid_date"} <= {e["field"] for e in response.json()["errors"]}
    # The list carries the reference.
    listed = check(api, "GET", f"/partnerships/{p}/touchpoints?kind=invoice", None, 200).json()
    assert [t["reference"] for t in listed["items"]] == ["INV/2026/00077"]


def test_the_payments_operation_and_a_stranger_gets_404(client, world):
    due = timezone.localdate() - dt.timedelta(days=10)
    invoice(world, reference="A", due_date=due, paid_date=due + dt.timedelta(days=2), paid_amount=Decimal(5))
    invoice(world, reference="B", due_date=due, paid_date=due, paid_amount=Decimal(5))
    p = world.partnership.pk
    data = check(Api(client, world.customer_admin), "GET", f"/partnerships/{p}/payments", None, 200).json()
    assert data["total"]["paid"] == 2 and data["total"]["on_time_percent"] == 50.0
    assert data["total"]["average_days_late"] == 2.0
    assert sum(m["late"] for m in data["months"]) == 1
    check(Api(client, world.foreign_admin), "GET", f"/partnerships/{p}/payments", None, 404)


# --- pages ------------------------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.supplier_admin.user)
    client.cookies["mitra_language"] = "en"
    return client


def test_the_form_shows_invoice_fields_only_for_an_invoice(signed_in, world):
    url = reverse("moments:create", args=[world.partnership.pk])
    html = signed_in.get(url + "?kind=invoice", headers={"HX-Request": "true"}).content.decode()
    assert 'name="due_date"' in html and 'name="paid_amount"' in html and 'name="reference"' in html
    html = signed_in.get(url + "?kind=meeting", headers={"HX-Request": "true"}).content.decode()
    assert 'name="due_date"' not in html and 'name="promised_date"' not in html
    assert 'name="reference"' in html


def test_recording_an_invoice_through_the_form_and_its_page(signed_in, world):
    url = reverse("moments:create", args=[world.partnership.pk])
    response = signed_in.post(
        url,
        {
            "kind": "invoice",
            "occurred_at": "2026-03-01T09:00",
            "outcome": "neutral",
            "summary": "Faktur Maret",
            "reference": "INV/2026/00123",
            "amount": "12500000",
            "due_date": "2026-03-31",
            "paid_date": "2026-04-04",
            "paid_amount": "12500000",
            # Delivery fields left over from another kind are dropped, not refused.
            "promised_date": "2026-03-01",
        },
    )
    t = Touchpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == t.get_absolute_url()
    assert (t.paid_on_time, t.promised_date, t.reference) == (False, None, "INV/2026/00123")
    html = signed_in.get(t.get_absolute_url()).content.decode()
    assert "INV/2026/00123" in html and "Paid late" in html
    assert "Rp12.500.000" in html  # in the supplier's currency (IDR), formatted
    html = signed_in.get(reverse("moments:list", args=[world.partnership.pk])).content.decode()
    assert "INV/2026/00123" in html and 'id="payments"' in html and "Average days late" in html


def test_a_paid_by_form_without_a_due_date_shows_the_field_error(signed_in, world):
    url = reverse("moments:create", args=[world.partnership.pk])
    response = signed_in.post(
        url,
        {
            "kind": "invoice",
            "occurred_at": "2026-03-01T09:00",
            "outcome": "neutral",
            "summary": "Faktur",
            "paid_date": "2026-04-04",
            "paid_amount": "10",
        },
    )
    assert response.status_code == 200 and not Touchpoint.objects.exists()
    assert "A paid invoice needs its due date" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "id"])
def test_invoice_pages_render_in_both_languages(signed_in, world, language):
    signed_in.cookies["mitra_language"] = language
    t = invoice(world, paid_date=dt.date(2026, 3, 30), paid_amount=Decimal("12500000"))
    p = world.partnership.pk
    for url in (
        reverse("moments:list", args=[p]),
        reverse("moments:detail", args=[p, t.pk]),
        reverse("moments:edit", args=[p, t.pk]),
    ):
        response = signed_in.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'lang="{language}"' in html and "INV/2026/00123" in html
    html = signed_in.get(reverse("moments:edit", args=[p, t.pk])).content.decode()
    assert 'value="2026-03-31"' in html  # the due date, back in the form
