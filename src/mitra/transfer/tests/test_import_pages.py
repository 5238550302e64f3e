"""The import pages: upload → column mapping → dry run → commit, for CSV, XLSX and EDI; every bad row shown
with nothing written; a re-upload writes nothing; another tenant's records are row errors; a large file runs
on the job worker with a polled progress bar; viewers, non-admins and strangers are refused."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests import factories as f

from mitra.accounts.models import Invitation
from mitra.moments.models import Touchpoint
from mitra.partnerships.models import Contact
from mitra.planning.models import OpenOrder
from mitra.planning.services import planning_file_load
from mitra.transfer import importing, tasks
from mitra.transfer.edi import samples
from mitra.transfer.models import ImportRun, ImportStatus

pytestmark = pytest.mark.django_db

HEADER = ["Surat Jalan", "Tanggal janji", "Tanggal kirim", "Qty ordered", "Qty delivered", "PO"]
ROWS = [
    ["SJ/1", "2026-10-01", "2026-10-01", "100", "100", "PO-1"],
    ["SJ/2", "2026-10-02", "2026-10-05", "100", "90", "PO-2"],
    ["SJ/3", "2026-10-03", "2026-10-03", "50", "50", ""],
    ["SJ/4", "2026-10-04", "2026-10-06", "20", "20", ""],
    ["SJ/5", "2026-10-05", "2026-10-05", "10", "10", ""],
    ["SJ/6", "2026-10-06", "2026-10-06", "10", "8", ""],
]
# Every required column of deliveries; the headers are the file's own, not Mitra's.
MAPPING = {
    "reference": "Surat Jalan",
    "promised_date": "Tanggal janji",
    "actual_date": "Tanggal kirim",
    "promised_quantity": "Qty ordered",
    "delivered_quantity": "Qty delivered",
    "order": "PO",
}


def base(world) -> str:
    return f"/partnerships/{world.partnership.pk}/imports/"


def login(client, membership, language: str = "en") -> None:
    client.force_login(membership.user)
    client.cookies["mitra_language"] = language


def csv_file(rows: list[list[str]], name: str = "deliveries.csv") -> SimpleUploadedFile:
    text = "\n".join(",".join(r) for r in rows) + "\n"
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def xlsx_file(rows: list[list[str]], name: str = "deliveries.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def deliveries(world) -> int:
    return Touchpoint.objects.filter(partnership=world.partnership, kind="delivery").count()


def upload(client, world, kind: str, file: SimpleUploadedFile) -> ImportRun:
    response = client.post(base(world), {"kind": kind, "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.latest("pk")
    assert response["Location"] == f"{base(world)}{run.pk}/"
    return run


def map_and_check(client, world, run: ImportRun, mapping: dict[str, str] | None = None) -> ImportRun:
    form = {f"map-{column}": header for column, header in (mapping or MAPPING).items()}
    response = client.post(f"{base(world)}{run.pk}/map/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    run.refresh_from_db()
    return run


def page(client, world, run: ImportRun) -> str:
    response = client.get(f"{base(world)}{run.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_page_offers_every_kind_with_its_columns_and_a_template(client, world):
    login(client, world.supplier_member)
    html = client.get(base(world)).content.decode()
    assert 'data-testid="upload-form"' in html and 'data-testid="no-runs"' in html
    assert '<option value="deliveries">Deliveries</option>' in html
    assert '<option value="edi">EDI message (EDIFACT or X12)</option>' in html
    assert '<option value="members">' not in html  # admins only
    assert "Delivery notes with the promised and actual date" in html
    assert '<code title="Delivery note number">reference</code><span class="req"' in html
    assert (
        'data-testid="imports-link">Import data</a>' in html
        and 'aria-current="page" data-testid="imports-link"' in html
    )
    template = client.get(base(world) + "template/?kind=deliveries")
    assert template.status_code == 200 and template["Content-Type"].startswith("text/csv")
    assert template.content.decode("utf-8-sig").strip() == (
        "reference,promised_date,actual_date,promised_quantity,delivered_quantity,order,occurred_at,outcome,summary"
    )
    assert client.get(base(world) + "template/?kind=nothing").status_code == 404
    login(client, world.supplier_admin)
    assert (
        '<option value="members">Departments and members</option>' in client.get(base(world)).content.decode()
    )


def test_upload_map_check_and_commit_then_a_reupload_writes_nothing(client, world):
    login(client, world.supplier_member)
    run = upload(client, world, "deliveries", csv_file([HEADER, *ROWS]))
    assert run.status == ImportStatus.UPLOADED and run.rows_total == 6

    # the mapping step: a select per column, the guess pre-filled, required ones marked, five sample rows
    html = page(client, world, run)
    assert 'data-testid="mapping-form"' in html
    assert html.count('data-testid="sample-row"') == 5 and "SJ/5" in html and "SJ/6" not in html
    reference = html.split('data-testid="map-reference"')[1].split("</tr>")[0]
    assert '<option value="Surat Jalan" selected>' in reference and 'class="req"' in reference
    order = html.split('data-testid="map-order"')[1].split("</tr>")[0]
    assert 'class="req"' not in order

    # check: a dry run, every row previewed, nothing written
    run = map_and_check(client, world, run)
    assert run.status == ImportStatus.CHECKED and run.mapping == MAPPING
    assert deliveries(world) == 0
    html = page(client, world, run)
    assert 'data-testid="dry-run"' in html and "Dry run: nothing is written yet" in html
    assert re.search(r'data-testid="count-created">6<', html)
    assert html.count('data-testid="preview-row" data-action="create"') == 6
    assert 'data-testid="commit"' in html

    # commit: everything written, the same page says what
    response = client.post(f"{base(world)}{run.pk}/commit/", follow=True)
    html = response.content.decode()
    assert "Imported: 6 new, 0 changed, 0 unchanged." in html
    assert 'data-testid="written"' in html and 'data-testid="commit"' not in html
    assert deliveries(world) == 6
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.DONE

    # the same file again: the dry run says all unchanged and the commit writes nothing
    again = map_and_check(client, world, upload(client, world, "deliveries", csv_file([HEADER, *ROWS])))
    assert again.report["unchanged"] == 6 and again.report["created"] == 0
    assert page(client, world, again).count('data-action="unchanged"') == 6
    client.post(f"{base(world)}{again.pk}/commit/")
    again.refresh_from_db()
    assert again.status == ImportStatus.DONE and (again.report["created"], again.report["updated"]) == (0, 0)
    assert deliveries(world) == 6

    # both runs are listed
    listing = client.get(base(world)).content.decode()
    assert listing.count('data-testid="run-row"') == 2 and "deliveries.csv" in listing


def test_every_bad_row_is_shown_and_nothing_is_written(client, world):
    login(client, world.supplier_member)
    bad = [
        HEADER,
        ROWS[0],
        ["SJ/2", "2026-10-02", "besok", "100", "90", ""],
        ["SJ/3", "2026-10-03", "2026-10-03", "-5", "50", ""],
        ROWS[3],
        ["", "2026-10-05", "2026-10-05", "10", "10", ""],
        ["SJ/6", "kemarin", "2026-10-06", "sepuluh", "8", ""],
    ]
    run = map_and_check(client, world, upload(client, world, "deliveries", csv_file(bad)))
    assert run.status == ImportStatus.FAILED
    html = page(client, world, run)
    assert 'data-testid="row-errors"' in html and "errors: nothing was written" in html
    shown = re.findall(r'<tr data-testid="row-error"><td class="num">(\d+)</td><td><code>(\w+)</code>', html)
    assert {int(r) for r, _c in shown} == {3, 4, 6, 7}  # the four bad rows, every one, no others
    assert ("7", "promised_date") in shown and ("7", "promised_quantity") in shown
    assert len(shown) == run.error_total
    assert 'data-testid="commit"' not in html and 'data-testid="remap"' in html
    assert deliveries(world) == 0
    # committing it anyway writes nothing either
    client.post(f"{base(world)}{run.pk}/commit/")
    assert deliveries(world) == 0 and ImportRun.objects.get(pk=run.pk).status == ImportStatus.FAILED


def test_a_bad_mapping_is_named_on_the_mapping_step(client, world):
    login(client, world.supplier_member)
    run = upload(client, world, "deliveries", csv_file([HEADER, *ROWS]))
    twice = {**MAPPING, "actual_date": "Tanggal janji"}
    response = client.post(
        f"{base(world)}{run.pk}/map/", {f"map-{k}": v for k, v in twice.items() if k != "delivered_quantity"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html  # delivered_quantity
    run.refresh_from_db()
    assert run.status == ImportStatus.UPLOADED
    response = client.post(f"{base(world)}{run.pk}/map/", {f"map-{k}": v for k, v in twice.items()})
    assert response.status_code == 400
    assert "The column Tanggal janji is already used for promised_date." in response.content.decode()


def test_an_unreadable_file_is_refused_on_the_upload_page(client, world):
    login(client, world.supplier_member)
    response = client.post(
        base(world),
        {"kind": "deliveries", "file": SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xx")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="upload-errors"' in html and "Old Excel files (.xls) are not read." in html
    assert ImportRun.objects.count() == 0


def test_an_xlsx_file_goes_through_the_same_steps(client, world):
    login(client, world.supplier_member)
    rows = [HEADER, *ROWS[:3]]
    run = upload(client, world, "deliveries", xlsx_file(rows))
    assert run.file_format == "xlsx"
    assert page(client, world, run).count('data-testid="sample-row"') == 3
    run = map_and_check(client, world, run)
    assert run.status == ImportStatus.CHECKED and run.report["created"] == 3
    client.post(f"{base(world)}{run.pk}/commit/")
    assert deliveries(world) == 3
    bad = [HEADER, ROWS[0], ["SJ/9", "2026-10-02", "besok", "100", "90", ""]]
    failed = map_and_check(client, world, upload(client, world, "deliveries", xlsx_file(bad)))
    assert failed.status == ImportStatus.FAILED and {(e["row"], e["column"]) for e in failed.errors} == {
        (3, "actual_date")
    }
    assert deliveries(world) == 3


def test_another_tenants_records_are_row_errors_on_the_page(client, world):
    foreign_department = f.DepartmentFactory(organisation=world.foreign, name="Gudang Lain")
    login(client, world.supplier_member)
    rows: list[list[str]] = [
        ["Nama", "E-mail", "Departemen"],
        ["Ani", "ani@sumber.test", "Sales"],
        ["Budi", "budi@sumber.test", str(foreign_department.name)],
        ["Cici", "cici@sumber.test", str(world.customer_purchasing.name)],
    ]
    run = upload(client, world, "contacts", csv_file(rows, "contacts.csv"))
    assert run.mapping == {"name": "Nama", "email": "E-mail", "department": "Departemen"}  # guessed
    run = map_and_check(client, world, run, run.mapping)
    assert {(e["row"], e["column"]) for e in run.errors} == {(3, "department"), (4, "department")}
    html = page(client, world, run)
    assert html.count("Your organisation has no department with this name.") == 2
    assert Contact.objects.count() == 0

    # an open order for another partnership's SKU
    actor = f.actor(world.supplier_admin)
    planning_file_load(
        actor,
        partnership_id=world.partnership.pk,
        kind="items",
        data=b"supplier_sku,customer_sku,name\nSR-1,RM-1,Kecap\n",
    )
    planning_file_load(
        actor, partnership_id=world.partnership.pk, kind="locations", data=b"code,name\nDC,Gudang\n"
    )
    planning_file_load(
        f.actor(world.foreign_admin),
        partnership_id=world.foreign_partnership.pk,
        kind="items",
        data=b"supplier_sku,customer_sku,name\nLAIN-1,LAIN-C1,Barang lain\n",
    )
    orders = [
        ["number", "sku", "location", "quantity", "due_date"],
        ["PO-1", "SR-1", "DC", "5", "2026-12-07"],
        ["PO-2", "LAIN-1", "DC", "5", "2026-12-07"],
    ]
    run = upload(client, world, "open_orders", csv_file(orders, "orders.csv"))
    run = map_and_check(client, world, run, run.mapping)
    assert {(e["row"], e["column"]) for e in run.errors} == {(3, "sku")}
    assert OpenOrder.objects.count() == 0
    good = upload(client, world, "open_orders", csv_file(orders[:2], "o.csv"))
    good = map_and_check(client, world, good, good.mapping)
    assert good.status == ImportStatus.CHECKED, good.errors
    html = page(client, world, good)
    assert 'data-action="create"' in html and "PO-1" in html and "<td>None</td>" not in html
    assert '<th scope="col" title="number">Order number</th>' in html and "item_id" not in html


def test_an_edi_message_is_checked_at_once_and_then_imported(client, world):
    login(client, world.supplier_member)
    file = SimpleUploadedFile("desadv.edi", samples.sample_files()["desadv-d96a.edi"])
    run = upload(client, world, "edi", file)
    assert run.is_edi and run.status == ImportStatus.CHECKED, run.errors
    html = page(client, world, run)
    assert 'data-testid="mapping-form"' not in html and 'data-testid="remap"' not in html
    assert "DN-2026-0042" in html and 'data-action="create"' in html and deliveries(world) == 0
    client.post(f"{base(world)}{run.pk}/commit/")
    assert deliveries(world) == 1
    again = upload(
        client,
        world,
        "deliveries",
        SimpleUploadedFile("again.edi", samples.sample_files()["desadv-d96a.edi"]),
    )
    assert (
        again.kind == "edi" and again.report["unchanged"] == 1
    )  # recognised by its envelope, whatever the kind
    broken = upload(client, world, "edi", SimpleUploadedFile("broken.edi", b"UNA:+.? '\nUNB+UNOC:3+X+Y'"))
    assert broken.status == ImportStatus.FAILED and broken.errors
    assert 'data-testid="row-errors"' in page(client, world, broken) and deliveries(world) == 1


def test_a_large_file_runs_on_the_job_worker_with_a_polled_progress_bar(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    login(client, world.supplier_member)
    monkeypatch.setattr(importing, "INLINE_ROWS", 3)  # six rows make a "large" file
    run = upload(client, world, "deliveries", csv_file([HEADER, *ROWS]))
    queued: list[tuple[int, int]] = []
    task = tasks.run_import
    monkeypatch.setattr(tasks, "run_import", SimpleNamespace(enqueue=lambda *args: queued.append(args)))
    with django_capture_on_commit_callbacks(execute=True):
        run = map_and_check(client, world, run)
    assert run.status == ImportStatus.QUEUED and queued == [(run.pk, 1)]
    html = page(client, world, run)
    assert 'data-testid="busy"' in html and "<progress" in html and 'hx-trigger="every 1s"' in html
    assert 'data-testid="mapping-form"' not in html and 'data-testid="commit"' not in html
    fragment = client.get(f"{base(world)}{run.pk}/status/?poll=1")
    assert "HX-Refresh" not in fragment and ">Queued<" in fragment.content.decode()
    # while it runs, another check is refused with a message
    response = client.post(f"{base(world)}{run.pk}/check/", follow=True)
    assert "This import is running; wait until it ends." in response.content.decode()

    assert task.call(run.pk, 1) == "checked"
    done = client.get(f"{base(world)}{run.pk}/status/?poll=1")
    assert done["HX-Refresh"] == "true" and "every 1s" not in done.content.decode()
    assert 'data-testid="commit"' in page(client, world, run) and deliveries(world) == 0

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{base(world)}{run.pk}/commit/")
    assert queued[-1] == (run.pk, 0)
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.QUEUED
    assert task.call(run.pk, 0) == "done"
    assert deliveries(world) == 6
    assert 'data-testid="written"' in page(client, world, run)


def test_the_phase_and_progress_show_while_the_worker_checks(client, world):
    login(client, world.supplier_member)
    run = upload(client, world, "deliveries", csv_file([HEADER, *ROWS]))
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.CHECKING, phase="Checking 6 rows", progress=20
    )
    fragment = client.get(f"{base(world)}{run.pk}/status/").content.decode()
    assert 'value="20"' in fragment and "20 % · Checking 6 rows" in fragment and ">Checking<" in fragment


def test_viewers_cannot_import_and_members_cannot_import_members(client, world):
    login(client, world.supplier_viewer)
    html = client.get(base(world)).content.decode()
    assert 'data-testid="upload-form"' not in html and 'data-testid="viewer-note"' in html
    assert (
        client.post(base(world), {"kind": "deliveries", "file": csv_file([HEADER, *ROWS])}).status_code == 403
    )
    assert ImportRun.objects.count() == 0

    login(client, world.supplier_member)
    run = upload(client, world, "deliveries", csv_file([HEADER, *ROWS]))
    login(client, world.supplier_viewer)
    for tail in ("map/", "check/", "commit/"):
        assert client.post(f"{base(world)}{run.pk}/{tail}").status_code == 403, tail
    assert client.get(f"{base(world)}{run.pk}/").status_code == 200  # viewers see the imports

    members = csv_file([["email", "department"], ["new@sumber.test", "Sales"]], "members.csv")
    login(client, world.supplier_member)
    response = client.post(base(world), {"kind": "members", "file": members})
    assert response.status_code == 400 and "Select a valid choice." in response.content.decode()
    login(client, world.supplier_admin)
    admin_run = upload(
        client, world, "members", csv_file([["email", "department"], ["new@sumber.test", "Sales"]], "m.csv")
    )
    login(client, world.supplier_member)
    assert client.post(f"{base(world)}{admin_run.pk}/map/", {"map-email": "email"}).status_code == 403
    assert client.post(f"{base(world)}{admin_run.pk}/commit/").status_code == 403
    assert not Invitation.objects.filter(email="new@sumber.test").exists()


def test_a_stranger_and_the_partner_get_404(client, world):
    login(client, world.supplier_member)
    run = upload(client, world, "deliveries", csv_file([HEADER, *ROWS]))
    for who in (world.foreign_admin, world.customer_admin):  # the partner does not see our imports
        login(client, who)
        for tail in ("", "status/", "map/"):
            assert client.get(f"{base(world)}{run.pk}/{tail}").status_code in (404, 405), (who, tail)
        for tail in ("map/", "check/", "commit/"):
            assert client.post(f"{base(world)}{run.pk}/{tail}").status_code == 404, (who, tail)
    login(client, world.foreign_admin)
    assert client.get(base(world)).status_code == 404
    assert client.get(base(world) + "template/?kind=deliveries").status_code == 404
    assert (
        client.post(base(world), {"kind": "deliveries", "file": csv_file([HEADER, *ROWS])}).status_code == 404
    )
    assert ImportRun.objects.count() == 1 and deliveries(world) == 0


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            (
                "Import data",
                "Upload a file",
                "Match the columns",
                "Check (dry run)",
                "Dry run: nothing is written yet",
            ),
        ),
        (
            "id",
            (
                "Impor data",
                "Unggah berkas",
                "Cocokkan kolom",
                "Periksa (uji coba)",
                "Uji coba: belum ada yang ditulis",
            ),
        ),
    ],
)
def test_the_pages_render_in_english_and_indonesian(client, world, language, texts):
    login(client, world.customer_member, language)
    listing = client.get(base(world)).content.decode()
    assert texts[0] in listing and texts[1] in listing
    rows = [
        ["reference", "promised_date", "actual_date", "promised_quantity", "delivered_quantity"],
        ["SJ/1", "2026-10-01", "2026-10-01", "1", "1"],
    ]
    run = upload(client, world, "deliveries", csv_file(rows))
    mapping_page = page(client, world, run)
    assert texts[2] in mapping_page and texts[3] in mapping_page
    run = map_and_check(client, world, run, {k: k for k in MAPPING if k != "order"})
    assert run.status == ImportStatus.CHECKED, run.errors
    assert texts[4] in page(client, world, run)
