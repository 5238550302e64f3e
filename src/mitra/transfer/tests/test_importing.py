"""The import machinery: for every kind, in CSV and in XLSX, a file with k bad rows writes nothing and
reports all k; a second upload of the same file writes nothing; a row naming another tenant's record is a
row error; files that break a limit are refused cleanly."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from tests import factories as f

from mitra.accounts.models import Department, Invitation
from mitra.core.errors import NotFound, PermissionDenied
from mitra.core.rows import RowErrors
from mitra.moments.models import Touchpoint
from mitra.partnerships.models import Contact
from mitra.planning.models import Item, OpenOrder
from mitra.planning.services import planning_file_load
from mitra.transfer import files, kinds
from mitra.transfer.importing import import_file, import_upload
from mitra.transfer.models import ImportStatus
from mitra.value.models import ValueEntry

pytestmark = pytest.mark.django_db


def csv_bytes(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in rows).encode()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def encode(fmt: str, rows: list[list[str]]) -> tuple[bytes, str]:
    return (csv_bytes(rows), "data.csv") if fmt == "csv" else (xlsx_bytes(rows), "data.xlsx")  # type: ignore[arg-type]


def run(world, kind, fmt, rows, *, who=None, dry_run=False):
    data, name = encode(fmt, rows)
    actor = f.actor(who or world.supplier_admin)
    return import_file(
        actor, partnership_id=world.partnership.pk, kind=kind, data=data, filename=name, dry_run=dry_run
    )


def errors_of(result) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in result.errors}


DELIVERIES = [
    ["Surat jalan", "Promised date", "Actual date", "Promised quantity", "Delivered quantity", "PO"],
    ["SJ/2026/001", "2026-10-01", "2026-10-01", "100", "100", "PO-1"],
    ["SJ/2026/002", "2026-10-02", "2026-10-05", "100", "90", ""],
    ["SJ/2026/003", "03/10/2026", "2026-10-03", "50", "50", ""],
]


def planning_seeded(world):
    actor = f.actor(world.supplier_admin)
    planning_file_load(
        actor,
        partnership_id=world.partnership.pk,
        kind="items",
        data=b"supplier_sku,customer_sku,name\nSR-001,RM-9001,Kecap Manis 600ml\n",
    )
    planning_file_load(
        actor, partnership_id=world.partnership.pk, kind="locations", data=b"code,name\nDC-JKT,DC Cikarang\n"
    )
    planning_file_load(
        f.actor(world.foreign_admin),
        partnership_id=world.foreign_partnership.pk,
        kind="items",
        data=b"supplier_sku,customer_sku,name\nLAIN-1,LAIN-C1,Barang lain\n",
    )


# Each kind: a good file, the same file with bad rows (and the cells named), and how to count its records.
CASES = {
    "deliveries": (
        DELIVERIES,
        [
            DELIVERIES[0],
            DELIVERIES[1],
            ["SJ/2026/002", "2026-10-02", "besok", "100", "90", ""],
            ["SJ/2026/003", "2026-10-03", "2026-10-03", "-5", "50", ""],
            ["", "2026-10-03", "2026-10-03", "5", "5", ""],
        ],
        {(3, "actual_date"), (4, "promised_quantity"), (5, "reference")},
        lambda w: Touchpoint.objects.filter(partnership=w.partnership, kind="delivery").count(),
    ),
    "invoices": (
        [
            ["Nomor faktur", "Tanggal faktur", "Jatuh tempo", "Total", "Tanggal bayar", "Jumlah bayar"],
            ["INV/1", "2026-09-01", "2026-10-01", "15000000", "2026-10-05", "15000000"],
            ["INV/2", "2026-09-02", "2026-10-02", "2500000.50", "", ""],
        ],
        [
            ["Nomor faktur", "Tanggal faktur", "Jatuh tempo", "Total", "Tanggal bayar", "Jumlah bayar"],
            ["INV/1", "2026-09-01", "2026-10-01", "1.500.000", "2026-10-05", "15000000"],
            ["INV/2", "2026-09-02", "", "2500000.50", "", ""],
            ["INV/3", "2026-09-02", "2026-10-02", "100", "2026-10-01", ""],
        ],
        {(2, "amount"), (3, "due_date"), (4, "paid_amount")},
        lambda w: Touchpoint.objects.filter(partnership=w.partnership, kind="invoice").count(),
    ),
    "touchpoints": (
        [
            ["reference", "kind", "when", "summary", "outcome"],
            ["MTG-1", "meeting", "2026-10-01 10:00", "Quarterly review", "positive"],
            ["CALL-7", "Telepon", "2026-10-02", "Call about the Lebaran plan", ""],
        ],
        [
            ["reference", "kind", "when", "summary", "outcome"],
            ["MTG-1", "party", "2026-10-01 10:00", "Quarterly review", "positive"],
            ["CALL-7", "call", "2026-10-02", "", "great"],
        ],
        {(2, "kind"), (3, "summary"), (3, "outcome")},
        lambda w: Touchpoint.objects.filter(partnership=w.partnership).exclude(reference="").count(),
    ),
    "value": (
        [
            ["title", "gain for", "category", "amount", "period start", "period end", "evidence"],
            [
                "Lower stock at DC Cikarang",
                "customer",
                "stock_reduction",
                "125000000",
                "2026-07-01",
                "2026-09-30",
                "WMS",
            ],
            ["Fewer emergency trucks", "supplier", "cost_saved", "40000000", "2026-07-01", "2026-09-30", ""],
        ],
        [
            ["title", "gain for", "category", "amount", "period start", "period end", "evidence"],
            [
                "Lower stock at DC Cikarang",
                "both",
                "stock_reduction",
                "125000000",
                "2026-07-01",
                "2026-09-30",
                "",
            ],
            ["Fewer emergency trucks", "supplier", "cost_saved", "0", "2026-07-01", "2026-06-30", ""],
        ],
        {(2, "beneficiary_side"), (3, "amount")},
        lambda w: ValueEntry.objects.filter(partnership=w.partnership).count(),
    ),
    "contacts": (
        [
            ["nama", "email", "jabatan", "departemen", "telepon"],
            ["Budi Santoso", "budi@sumber.test", "Key account manager", "Sales", "+62 812 1111"],
            ["Sari Dewi", "SARI@sumber.test", "Credit controller", "Finance", ""],
        ],
        [
            ["nama", "email", "jabatan", "departemen", "telepon"],
            ["Budi Santoso", "budi-at-sumber", "Key account manager", "Sales", ""],
            ["Sari Dewi", "sari@sumber.test", "Credit controller", "Purchasing", ""],
            ["", "rudi@sumber.test", "", "", ""],
        ],
        {(2, "email"), (3, "department"), (4, "name")},
        lambda w: Contact.objects.filter(partnership=w.partnership).count(),
    ),
    "open_orders": (
        [
            ["number", "sku", "location", "quantity", "due_date"],
            ["PO-1", "SR-001", "DC-JKT", "120", "2026-12-07"],
            ["PO-2", "RM-9001", "DC-JKT", "60", "2026-12-14"],
        ],
        [
            ["number", "sku", "location", "quantity", "due_date"],
            ["PO-1", "SR-999", "DC-JKT", "120", "2026-12-07"],
            ["PO-2", "SR-001", "DC-JKT", "enam puluh", "2026-12-14"],
        ],
        {(2, "sku"), (3, "quantity")},
        lambda w: OpenOrder.objects.filter(partnership=w.partnership).count(),
    ),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", sorted(CASES))
def test_bad_rows_write_nothing_and_are_all_reported_and_a_reupload_writes_nothing(world, kind, fmt):
    good, bad, cells, count = CASES[kind]
    if kind == "open_orders":
        planning_seeded(world)
    before = count(world)

    failed = run(world, kind, fmt, bad)
    assert failed.status == ImportStatus.FAILED
    assert cells <= errors_of(failed), failed.errors
    assert {r for r, _c in errors_of(failed)} == {r for r, _c in cells}  # k bad rows, all k, no others
    assert count(world) == before

    checked = run(world, kind, fmt, good, dry_run=True)
    assert checked.status == ImportStatus.CHECKED, checked.errors
    assert checked.report["created"] == len(good) - 1
    assert count(world) == before  # a dry run writes nothing

    done = run(world, kind, fmt, good)
    assert done.status == ImportStatus.DONE, done.errors
    assert (done.report["created"], done.report["unchanged"]) == (len(good) - 1, 0)
    assert count(world) == before + len(good) - 1

    again = run(world, kind, fmt, good)
    assert again.status == ImportStatus.DONE
    assert (again.report["created"], again.report["updated"], again.report["unchanged"]) == (
        0,
        0,
        len(good) - 1,
    )
    assert count(world) == before + len(good) - 1


def test_deliveries_become_moments_of_truth_with_otif(world):
    run(world, "deliveries", "csv", DELIVERIES)
    by_ref = {
        t.reference: t for t in Touchpoint.objects.filter(partnership=world.partnership, kind="delivery")
    }
    assert (by_ref["SJ/2026/001"].on_time, by_ref["SJ/2026/001"].in_full) == (True, True)
    assert (by_ref["SJ/2026/002"].on_time, by_ref["SJ/2026/002"].in_full) == (False, False)
    assert by_ref["SJ/2026/001"].outcome == "positive" and by_ref["SJ/2026/002"].outcome == "negative"
    assert by_ref["SJ/2026/003"].promised_date == dt.date(2026, 10, 3)
    assert "PO-1" in by_ref["SJ/2026/001"].summary
    assert by_ref["SJ/2026/001"].recorded_by_side == "supplier"


def test_a_corrected_row_updates_the_record_and_counts_as_updated(world):
    run(world, "deliveries", "csv", DELIVERIES)
    corrected = [DELIVERIES[0], ["SJ/2026/002", "2026-10-02", "2026-10-02", "100", "100", ""]]
    result = run(world, "deliveries", "csv", corrected)
    assert (result.report["updated"], result.report["created"]) == (1, 0)
    touchpoint = Touchpoint.objects.get(reference="SJ/2026/002")
    assert (touchpoint.on_time, touchpoint.in_full, touchpoint.version) == (True, True, 2)


def test_the_other_side_cannot_overwrite_a_document_it_did_not_record(world):
    run(world, "deliveries", "csv", DELIVERIES)
    changed = [DELIVERIES[0], ["SJ/2026/001", "2026-10-01", "2026-10-09", "100", "100", ""]]
    result = run(world, "deliveries", "csv", changed, who=world.customer_admin)
    assert errors_of(result) == {(2, "reference")}
    assert Touchpoint.objects.get(reference="SJ/2026/001").actual_date == dt.date(2026, 10, 1)


def test_payments_update_invoices_and_paid_on_time_follows(world):
    good, *_rest = CASES["invoices"]
    run(world, "invoices", "csv", good)
    payments = [
        ["invoice", "payment date", "amount"],
        ["INV/2", "2026-10-09", "2500000.50"],
        ["INV/404", "2026-10-01", "5"],
    ]
    failed = run(world, "payments", "csv", payments, who=world.customer_admin)
    assert errors_of(failed) == {(3, "reference")}
    assert Touchpoint.objects.get(reference="INV/2").paid_date is None
    done = run(world, "payments", "csv", payments[:2], who=world.customer_admin)
    assert done.status == ImportStatus.DONE
    invoice = Touchpoint.objects.get(reference="INV/2")
    assert (invoice.paid_amount, invoice.paid_on_time) == (Decimal("2500000.50"), False)
    assert Touchpoint.objects.get(reference="INV/1").paid_on_time is False  # paid 5 Oct, due 1 Oct


def test_an_invoice_in_another_currency_is_a_row_error(world):
    rows = [
        ["reference", "issue_date", "due_date", "amount", "currency"],
        ["INV/9", "2026-09-01", "2026-10-01", "10", "USD"],
    ]
    assert errors_of(run(world, "invoices", "csv", rows)) == {(2, "currency")}


def test_another_tenants_records_are_row_errors(world):
    planning_seeded(world)
    foreign_department = f.DepartmentFactory(organisation=world.foreign, name="Gudang Lain")
    contacts = [
        ["name", "email", "department", "organisation"],
        ["A", "a@x.test", foreign_department.name, ""],
        ["B", "b@x.test", "", "PT Orang Lain"],
    ]
    assert errors_of(run(world, "contacts", "csv", contacts)) == {(2, "department"), (3, "organisation")}
    orders = [
        ["number", "sku", "location", "quantity", "due_date"],
        ["PO-9", "LAIN-1", "DC-JKT", "5", "2026-12-07"],
    ]
    assert errors_of(run(world, "open_orders", "csv", orders)) == {(2, "sku")}
    assert Contact.objects.count() == 0 and OpenOrder.objects.count() == 0


def test_contacts_of_the_partner_organisation_are_theirs_to_import(world):
    rows = [["name", "email", "organisation"], ["Rina", "rina@ritel.test", world.customer.name]]
    assert errors_of(run(world, "contacts", "csv", rows)) == {(2, "organisation")}
    done = run(world, "contacts", "csv", rows, who=world.customer_admin)
    assert done.status == ImportStatus.DONE
    assert Contact.objects.get(email="rina@ritel.test").organisation == world.customer


def test_members_become_departments_and_invitations_once(world, django_capture_on_commit_callbacks):
    rows = [
        ["email", "department", "role"],
        ["wati@sumber.test", "Logistik; Sales", "member"],
        ["admin@sumber.test", "Sales", "admin"],
        ["joko@sumber.test", "", "viewer"],
    ]
    with django_capture_on_commit_callbacks() as queued:
        done = run(world, "members", "csv", rows)
    assert done.status == ImportStatus.DONE, done.errors
    assert (done.report["created"], done.report["unchanged"]) == (2, 1)
    invitation = Invitation.objects.get(email="wati@sumber.test")
    assert {d.name for d in invitation.departments.all()} == {"Logistik", "Sales"}
    assert Department.objects.filter(organisation=world.supplier, name="Logistik").exists()
    assert len(queued) == 2  # one invitation e-mail each, queued for after the commit
    again = run(world, "members", "csv", rows)
    assert (again.report["created"], again.report["unchanged"]) == (0, 3)
    assert Invitation.objects.filter(organisation=world.supplier).count() == 2


def test_members_import_is_for_admins_and_rows_are_checked(world):
    with pytest.raises(PermissionDenied):
        run(world, "members", "csv", [["email"], ["x@sumber.test"]], who=world.supplier_member)
    bad = run(
        world,
        "members",
        "csv",
        [["email", "role"], ["not-an-email", ""], ["y@sumber.test", "boss"], ["y@sumber.test", ""]],
    )
    assert errors_of(bad) == {(2, "email"), (3, "role"), (4, "email")}
    assert not Invitation.objects.filter(organisation=world.supplier).exists()


def test_a_stranger_and_a_viewer_cannot_import(world):
    data = csv_bytes(DELIVERIES)
    with pytest.raises(NotFound):
        import_file(
            f.actor(world.foreign_admin), partnership_id=world.partnership.pk, kind="deliveries", data=data
        )
    with pytest.raises(PermissionDenied):
        import_file(
            f.actor(world.supplier_viewer), partnership_id=world.partnership.pk, kind="deliveries", data=data
        )
    assert not Touchpoint.objects.exists()


def test_duplicate_keys_in_one_file_are_row_errors(world):
    rows = [*DELIVERIES, ["SJ/2026/001", "2026-10-09", "2026-10-09", "1", "1", ""]]
    assert errors_of(run(world, "deliveries", "csv", rows)) == {(5, "reference")}


def test_missing_columns_and_a_bad_mapping_are_named(world):
    with pytest.raises(RowErrors) as caught:
        import_upload(
            f.actor(world.supplier_admin),
            partnership_id=world.partnership.pk,
            kind="deliveries",
            data=csv_bytes(DELIVERIES),
            mapping={"reference": "Nope", "promised_date": "Promised date"},
        )
    columns = {e.column for e in caught.value.rows}
    assert {"reference", "actual_date", "promised_quantity", "delivered_quantity"} <= columns


def test_guessed_mapping_reads_english_and_indonesian_headers(world):
    kind = kinds.get("invoices")
    assert kind is not None
    mapping = kinds.guess_mapping(kind, ["Nomor Faktur", "Tanggal Faktur", "Jatuh Tempo", "Total", "Lain"])
    assert mapping == {
        "reference": "Nomor Faktur",
        "issue_date": "Tanggal Faktur",
        "due_date": "Jatuh Tempo",
        "amount": "Total",
    }


def test_unknown_kind_is_named(world):
    from mitra.core.errors import Invalid

    with pytest.raises(Invalid) as caught:
        import_file(
            f.actor(world.supplier_admin), partnership_id=world.partnership.pk, kind="widgets", data=b"a\n1\n"
        )
    assert "kind" in caught.value.errors


# ---- limits ---------------------------------------------------------------------------------------------


def test_an_oversized_file_is_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    with pytest.raises(RowErrors) as caught:
        files.read_table(b"a,b\n" + b"1,2\n" * 400)
    assert caught.value.rows[0].column == "file" and "larger" in caught.value.rows[0].message


def test_a_zip_bomb_xlsx_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 200 * 1024
    with pytest.raises(RowErrors) as caught:
        files.read_table(data, "bomb.xlsx")
    assert "zip bomb" in caught.value.rows[0].message


def test_a_workbook_with_too_many_parts_or_too_much_data_is_refused(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for i in range(files.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"part{i}.xml", "<x/>")
    with pytest.raises(RowErrors) as caught:
        files.read_table(out.getvalue(), "many.xlsx")
    assert "parts" in caught.value.rows[0].message
    monkeypatch.setattr(files, "MAX_UNCOMPRESSED_BYTES", 100)
    with pytest.raises(RowErrors):
        files.read_table(xlsx_bytes([["a"], ["b"]]), "small.xlsx")


def test_an_xml_entity_bomb_in_a_workbook_is_refused_cleanly():
    book = xlsx_bytes([["a", "b"], ["1", "2"]])
    source = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = bomb.encode()
            archive.writestr(item, content)
    with pytest.raises(RowErrors) as caught:
        files.read_table(out.getvalue(), "bomb.xlsx")
    assert caught.value.rows[0].column == "file"


def test_broken_files_are_refused_cleanly():
    for data, name in (
        (b"PK\x03\x04garbage", "x.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "x.xls"),
        (b"a,b\n\x00\x01", "x.csv"),
        (b"\xff\xfe\x00a", "x.csv"),
        (b"", "x.csv"),
    ):
        with pytest.raises(RowErrors) as caught:
            files.read_table(data, name)
        assert caught.value.rows[0].message


def test_xlsx_cells_become_text_dates_and_plain_numbers():
    table = files.read_table(
        xlsx_bytes(
            [
                ["sku", "period", "quantity", "at"],
                ["SR-1", dt.date(2026, 1, 5), 12.0, dt.datetime(2026, 1, 5, 9, 30)],
                [None, None, None, None],
                ["SR-2", "2026-01-12", 2.5, None],
            ]
        )
    )
    assert table.rows == [
        ["SR-1", "2026-01-05", "12", "2026-01-05T09:30:00"],
        ["SR-2", "2026-01-12", "2.5", ""],
    ]
    assert table.lines == [2, 4]


def test_a_workbooks_formula_is_not_evaluated_into_a_record(world):
    rows = [
        ["Nomor faktur", "Tanggal faktur", "Jatuh tempo", "Total"],
        ['=HYPERLINK("http://x")', "2026-09-01", "2026-10-01", "1"],
    ]
    result = run(world, "invoices", "xlsx", rows)
    assert errors_of(result) == {(2, "reference")}
    assert Item.objects.count() == 0 and not Touchpoint.objects.exists()


def test_keys_match_whatever_their_case(world):
    run(world, "deliveries", "csv", DELIVERIES)
    shouted = [DELIVERIES[0], *[[r[0].lower(), *r[1:]] for r in DELIVERIES[1:]]]
    again = run(world, "deliveries", "csv", shouted)
    assert again.report["created"] == 0
    assert Touchpoint.objects.filter(partnership=world.partnership, kind="delivery").count() == 3
    good = CASES["value"][0]
    run(world, "value", "csv", good)
    lowered = [good[0], *[[r[0].lower(), r[1].capitalize(), *r[2:]] for r in good[1:]]]
    assert run(world, "value", "csv", lowered).report["created"] == 0
    assert ValueEntry.objects.filter(partnership=world.partnership).count() == 2
