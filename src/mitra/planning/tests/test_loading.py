"""Loading planning data: every bad row reported, nothing half written, re-loads write nothing, and
another partnership's records are errors."""

from __future__ import annotations

import pytest
from tests import factories as f

from mitra.core.errors import NotFound, PermissionDenied
from mitra.planning.loading import RowErrors
from mitra.planning.models import Item, Location, OpenOrder, SellOut, StockPosition
from mitra.planning.services import planning_data_load, planning_file_load

pytestmark = pytest.mark.django_db

ITEMS = b"""supplier_sku,customer_sku,name,case_pack,lead_time_days,weekly_capacity
SR-001,RM-9001,Kecap Manis 600ml,12,14,5000
SR-002,RM-9002,Sambal Bawang 250g,24,7,
"""
LOCATIONS = b"code;name;kind;city\nDC-JKT;DC Cikarang;dc;Bekasi\nST-001;Toko Kemang;store;Jakarta\n"


def seeded(world):
    actor = f.actor(world.supplier_admin)
    planning_file_load(actor, partnership_id=world.partnership.pk, kind="items", data=ITEMS)
    planning_file_load(actor, partnership_id=world.partnership.pk, kind="locations", data=LOCATIONS)
    return actor


def test_items_and_locations_load_and_a_reload_writes_nothing(world):
    actor = seeded(world)
    item = Item.objects.get(partnership=world.partnership, supplier_sku="SR-001")
    assert (item.customer_sku, item.case_pack, item.lead_time_days, item.weekly_capacity) == (
        "RM-9001",
        12,
        14,
        5000,
    )
    assert Item.objects.get(supplier_sku="SR-002").weekly_capacity is None
    assert Location.objects.get(code="DC-JKT").kind == "dc"
    history = Item.history.count()
    report = planning_file_load(actor, partnership_id=world.partnership.pk, kind="items", data=ITEMS)
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 0, 0, 2)
    assert Item.history.count() == history
    changed = ITEMS.replace(b"Kecap Manis 600ml,12", b"Kecap Manis 600ml,6")
    report = planning_file_load(actor, partnership_id=world.partnership.pk, kind="items", data=changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Item.objects.get(supplier_sku="SR-001").case_pack == 6


def test_every_bad_row_is_reported_and_nothing_is_written(world):
    actor = seeded(world)
    data = (
        b"sku,location,period,quantity\n"
        b"SR-001,DC-JKT,2026-11-02,120\n"  # row 2: good
        b"SR-001,DC-JKT,2026-11-09,-3\n"  # row 3: negative
        b"SR-404,DC-JKT,2026-11-09,5\n"  # row 4: unknown sku
        b"RM-9002,ST-001,09/11/2026,5\n"  # row 5: bad date (customer SKU is fine)
        b"SR-002,ST-999,2026-11-09,lima\n"  # row 6: unknown location and not a number
    )
    with pytest.raises(RowErrors) as caught:
        planning_file_load(actor, partnership_id=world.partnership.pk, kind="sell_out", data=data)
    found = [(e.row, e.column) for e in caught.value.rows]
    assert found == [(3, "quantity"), (4, "sku"), (5, "period"), (6, "location"), (6, "quantity")]
    assert "SR-404" in caught.value.rows[1].message
    assert SellOut.objects.count() == 0


def test_a_dry_run_previews_without_writing(world):
    actor = seeded(world)
    data = b"sku,location,period,quantity\nSR-001,DC-JKT,2026-11-02,120\nRM-9002,ST-001,2026-11-02,7.5\n"
    report = planning_file_load(
        actor, partnership_id=world.partnership.pk, kind="sell_out", data=data, dry_run=True
    )
    assert (report.rows, report.created, report.dry_run) == (2, 2, True)
    assert [r["action"] for r in report.preview] == ["create", "create"]
    assert SellOut.objects.count() == 0
    planning_file_load(actor, partnership_id=world.partnership.pk, kind="sell_out", data=data)
    assert SellOut.objects.count() == 2
    again = planning_file_load(actor, partnership_id=world.partnership.pk, kind="sell_out", data=data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert float(SellOut.objects.get(item__customer_sku="RM-9002").quantity) == 7.5


def test_another_partnerships_sku_is_a_row_error(world):
    seeded(world)
    foreign = f.actor(world.foreign_admin)
    planning_data_load(
        foreign,
        partnership_id=world.foreign_partnership.pk,
        kind="locations",
        rows=[{"code": "X-1", "name": "Gudang"}],
    )
    with pytest.raises(RowErrors) as caught:
        planning_data_load(
            foreign,
            partnership_id=world.foreign_partnership.pk,
            kind="stock",
            rows=[{"sku": "SR-001", "location": "X-1", "as_of": "2026-11-20", "on_hand": 3}],
            first_row=1,
        )
    assert [(e.row, e.column) for e in caught.value.rows] == [(1, "sku")]
    assert StockPosition.objects.count() == 0


def test_strangers_get_not_found_and_viewers_cannot_load(world):
    with pytest.raises(NotFound):
        planning_file_load(
            f.actor(world.foreign_admin), partnership_id=world.partnership.pk, kind="items", data=ITEMS
        )
    with pytest.raises(PermissionDenied):
        planning_file_load(
            f.actor(world.supplier_viewer), partnership_id=world.partnership.pk, kind="items", data=ITEMS
        )
    assert Item.objects.count() == 0


def test_missing_columns_and_duplicate_keys(world):
    actor = seeded(world)
    with pytest.raises(RowErrors) as caught:
        planning_file_load(
            actor, partnership_id=world.partnership.pk, kind="open_orders", data=b"number,sku\nPO-1,SR-001\n"
        )
    assert {(e.row, e.column) for e in caught.value.rows} == {
        (1, "location"),
        (1, "quantity"),
        (1, "due_date"),
    }
    rows = [
        {"number": "PO-1", "sku": "SR-001", "location": "DC-JKT", "quantity": 10, "due_date": "2026-12-01"},
        {"number": "PO-1", "sku": "SR-001", "location": "DC-JKT", "quantity": 12, "due_date": "2026-12-02"},
        {"number": "PO-2", "sku": "SR-001", "location": "DC-JKT", "quantity": 0, "due_date": "2026-12-02"},
    ]
    with pytest.raises(RowErrors) as caught:
        planning_data_load(actor, partnership_id=world.partnership.pk, kind="open_orders", rows=rows)
    assert [(e.row, e.column) for e in caught.value.rows] == [(3, "number"), (4, "quantity")]
    assert OpenOrder.objects.count() == 0


def test_an_ambiguous_sku_a_missing_column_and_a_huge_number_are_row_errors(world):
    actor = seeded(world)
    pid = world.partnership.pk
    # "RM-9001" is SR-001's customer SKU; make it another item's supplier SKU too
    planning_data_load(
        actor,
        partnership_id=pid,
        kind="items",
        rows=[{"supplier_sku": "RM-9001", "customer_sku": "X-1", "name": "Lain"}],
    )
    rows = [{"sku": "RM-9001", "location": "DC-JKT", "period": "2026-11-02", "quantity": 1}]
    with pytest.raises(RowErrors) as caught:
        planning_data_load(actor, partnership_id=pid, kind="sell_out", rows=rows, first_row=1)
    assert [(e.row, e.column) for e in caught.value.rows] == [(1, "sku")]
    assert "customer_sku" in caught.value.rows[0].message
    # the side named in the column settles it
    planning_data_load(
        actor,
        partnership_id=pid,
        kind="sell_out",
        rows=[{**rows[0], "customer_sku": "RM-9001", "sku": None}]
        if False
        else [{"customer_sku": "RM-9001", "location": "DC-JKT", "period": "2026-11-02", "quantity": 1}],
        first_row=1,
    )
    assert SellOut.objects.get().item.supplier_sku == "SR-001"
    # a column only later rows carry is still a column; one no row carries is named
    with pytest.raises(RowErrors) as caught:
        planning_data_load(
            actor,
            partnership_id=pid,
            kind="stock",
            rows=[{"sku": "SR-001", "location": "DC-JKT", "on_hand": 1}, {"as_of": "2026-11-20"}],
            first_row=1,
        )
    assert (1, "as_of") in [(e.row, e.column) for e in caught.value.rows]
    with pytest.raises(RowErrors) as caught:
        planning_data_load(
            actor,
            partnership_id=pid,
            kind="stock",
            rows=[{"sku": "SR-001", "location": "DC-JKT"}],
            first_row=1,
        )
    assert [(e.row, e.column) for e in caught.value.rows] == [(0, "as_of"), (0, "on_hand")]
    with pytest.raises(RowErrors) as caught:
        planning_data_load(
            actor,
            partnership_id=pid,
            kind="sell_out",
            rows=[{"sku": "SR-001", "location": "DC-JKT", "period": "2026-11-09", "quantity": 1e13}],
            first_row=1,
        )
    assert [(e.row, e.column) for e in caught.value.rows] == [(1, "quantity")]
    assert StockPosition.objects.count() == 0 and SellOut.objects.count() == 1
