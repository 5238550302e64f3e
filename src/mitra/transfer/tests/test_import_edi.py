"""EDI messages through the import machinery: each sample interchange is dry-run, committed and committed
again (unchanged), and lands in the expected records; a malformed one writes nothing and names the segment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from tests import factories as f

from mitra.moments.models import Touchpoint
from mitra.planning.models import OpenOrder, SellOut, StockPosition
from mitra.planning.services import planning_file_load
from mitra.transfer.edi import samples
from mitra.transfer.importing import import_file
from mitra.transfer.models import ImportFormat, ImportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(world):
    actor = f.actor(world.supplier_admin)
    planning_file_load(
        actor,
        partnership_id=world.partnership.pk,
        kind="items",
        data=b"supplier_sku,customer_sku,name\nSR-001,RM-1,Kecap manis\nSR-002,RM-2,Sambal\n",
    )
    planning_file_load(
        actor,
        partnership_id=world.partnership.pk,
        kind="locations",
        data=b"code,name\nDC,DC Cikarang\nJKT-01,Toko Jakarta\nBDG-01,Toko Bandung\n",
    )
    return world


def counts(world) -> tuple[int, ...]:
    p = world.partnership
    return (
        OpenOrder.objects.filter(partnership=p).count(),
        Touchpoint.objects.filter(partnership=p).count(),
        SellOut.objects.filter(partnership=p).count(),
        StockPosition.objects.filter(partnership=p).count(),
    )


@pytest.mark.parametrize("name", sorted(samples.sample_files()))
def test_every_sample_message_imports_once_and_then_changes_nothing(planned, name):
    world = planned
    data = samples.sample_files()[name]
    expected = samples.expected_rows()[name]
    actor = f.actor(world.supplier_admin)
    before = counts(world)

    checked = import_file(
        actor, partnership_id=world.partnership.pk, kind="edi", data=data, filename=name, dry_run=True
    )
    assert checked.status == ImportStatus.CHECKED, checked.errors
    assert checked.file_format == (ImportFormat.X12 if name.endswith(".x12") else ImportFormat.EDIFACT)
    assert {k["kind"] for k in checked.report["kinds"]} == set(expected)
    assert counts(world) == before

    done = import_file(actor, partnership_id=world.partnership.pk, kind="edi", data=data, filename=name)
    assert done.status == ImportStatus.DONE, done.errors
    assert done.report["rows"] == sum(len(rows) for rows in expected.values())
    assert counts(world) != before

    after = counts(world)
    again = import_file(actor, partnership_id=world.partnership.pk, kind="edi", data=data, filename=name)
    assert again.status == ImportStatus.DONE
    assert (again.report["created"], again.report["updated"]) == (0, 0)
    assert counts(world) == after


def test_the_records_are_the_messages(planned):
    world = planned
    actor = f.actor(world.supplier_admin)
    files = samples.sample_files()
    for name in ("orders-d96a.edi", "desadv-d01b.edi", "invoic-d96a.edi", "852.x12"):
        done = import_file(
            actor, partnership_id=world.partnership.pk, kind="edi", data=files[name], filename=name
        )
        assert done.status == ImportStatus.DONE, (name, done.errors)
    orders = {
        (o.number, o.item.supplier_sku): (o.quantity, o.due_date)
        for o in OpenOrder.objects.select_related("item")
    }
    assert orders[("4500012345", "SR-001")] == (Decimal(48), dt.date(2026, 1, 19))
    delivery = Touchpoint.objects.get(kind="delivery", reference="DN-2026-0042")
    assert (delivery.promised_quantity, delivery.delivered_quantity, delivery.on_time, delivery.in_full) == (
        Decimal(60),
        Decimal(54),
        False,
        False,
    )
    invoice = Touchpoint.objects.get(kind="invoice", reference="INV-2026-0107")
    assert (invoice.amount, invoice.due_date) == (Decimal("1234567.50"), dt.date(2026, 2, 19))
    assert SellOut.objects.filter(partnership=world.partnership).count() == 3
    assert StockPosition.objects.filter(partnership=world.partnership).count() == 3

    # the order response confirms fewer of the first line: the open order follows it
    confirm = files["ordrsp-d96a.edi"]
    import_file(actor, partnership_id=world.partnership.pk, kind="edi", data=confirm, filename="ordrsp.edi")
    assert OpenOrder.objects.get(number="4500012345", item__supplier_sku="SR-001").quantity == Decimal(42)


def test_a_malformed_message_writes_nothing_and_names_the_segment(planned):
    world = planned
    data = samples.sample_files()["desadv-d96a.edi"].replace(b"QTY+12:", b"QTY+12:abc", 1)
    result = import_file(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, kind="edi", data=data
    )
    assert result.status == ImportStatus.FAILED
    assert any(e["column"].startswith("QTY") and e["row"] > 0 for e in result.errors), result.errors
    assert not Touchpoint.objects.exists()


def test_an_unknown_item_in_a_message_is_a_row_error_at_its_segment(planned):
    world = planned
    data = samples.sample_files()["orders-d96a.edi"].replace(b"SR-002", b"ZZ-404")
    result = import_file(
        f.actor(world.supplier_admin), partnership_id=world.partnership.pk, kind="edi", data=data
    )
    assert result.status == ImportStatus.FAILED
    assert [e["column"] for e in result.errors] == ["sku"] and result.errors[0]["row"] > 1
    assert not OpenOrder.objects.exists()


def test_a_file_that_is_not_edi_is_refused_as_edi(world):
    from mitra.core.rows import RowErrors

    with pytest.raises(RowErrors):
        import_file(
            f.actor(world.supplier_admin), partnership_id=world.partnership.pk, kind="edi", data=b"a,b\n1,2\n"
        )
