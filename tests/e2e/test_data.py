"""Data in and out in a real browser: importing a sheet of deliveries with Indonesian headers (upload →
column mapping → dry run with its row errors → corrected file → preview → import), in English and in
Bahasa Indonesia; a list's CSV and XLSX exports arriving as downloads; the quarterly review as HTML and PDF.
The English passes write the screenshots of docs/data.md and docs/reviews.md."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from mitra.moments.models import Touchpoint
from mitra.reviews.tests.test_review import _seed as seed_quarter
from mitra.risks.models import Risk
from mitra.transfer.models import ImportRun
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.e2e

HEADER = ["Surat Jalan", "Tanggal Janji", "Tanggal Kirim", "Jumlah Pesan", "Jumlah Kirim", "Nomor Pesanan"]
GOOD = [
    ["SJ/2026/00101", "2026-11-02", "2026-11-02", "120", "120", "PO-7781"],
    ["SJ/2026/00102", "2026-11-05", "2026-11-07", "80", "80", "PO-7782"],
    ["SJ/2026/00103", "2026-11-09", "2026-11-09", "200", "185", "PO-7790"],
    ["SJ/2026/00104", "2026-11-12", "2026-11-12", "60", "60", "PO-7795"],
]
BAD_LINE = 4  # the file's line of the bad row, the header being line 1
BAD_COLUMN = "delivered_quantity"
# Mitra's column → the header it must guess from the Indonesian file
GUESSED = {
    "reference": "Surat Jalan",
    "promised_date": "Tanggal Janji",
    "actual_date": "Tanggal Kirim",
    "promised_quantity": "Jumlah Pesan",
    "delivered_quantity": "Jumlah Kirim",
    "order": "Nomor Pesanan",
}

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "imports": "Import data",
        "mapping": "Match the columns",
        "check": "Check (dry run)",
        "errors": "1 error: nothing was written",
        "corrected": "Upload a corrected file",
        "dry_run": "Dry run: nothing is written yet",
        "new": "new",
        "written": "Imported: what was written",
        "done": "Imported: 4 new, 0 changed, 0 unchanged.",
        "moments": "Moments of truth",
    },
    "id": {
        "imports": "Impor data",
        "mapping": "Cocokkan kolom",
        "check": "Periksa (uji coba)",
        "errors": "1 kesalahan: tidak ada yang ditulis",
        "corrected": "Unggah berkas yang sudah diperbaiki",
        "dry_run": "Uji coba: belum ada yang ditulis",
        "new": "baru",
        "written": "Diimpor: yang telah ditulis",
        "done": "Diimpor: 4 baru, 0 berubah, 0 tidak berubah.",
        "moments": "Momen penentu",
    },
}


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def _upload(page: Page, name: str, data: bytes) -> None:
    page.locator("#id_kind").select_option("deliveries")
    page.locator("#id_file").set_input_files({"name": name, "mimeType": "text/csv", "buffer": data})
    page.get_by_test_id("upload-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("mapping-form")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "id"])
def test_import_deliveries_with_indonesian_headers(
    page: Page, live_server: Any, world: Any, screenshot: Any, language: str
) -> None:
    text = TEXT[language]
    pk = world.partnership.pk
    bad = [*GOOD[:2], ["SJ/2026/00103", "2026-11-09", "2026-11-09", "200", "seratus", "PO-7790"], GOOD[3]]
    assert bad[BAD_LINE - 2][0] == "SJ/2026/00103"

    sign_in(page, live_server.url, "member@sumber.test")
    page.get_by_role("link", name="PT Ritel Maju Bersama").click()
    page.get_by_test_id("imports-link").click()
    page.wait_for_url(re.compile(rf".*/partnerships/{pk}/imports/$"))
    if language == "id":  # the header's language buttons, on the page itself
        page.get_by_role("button", name="ID", exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text(text["imports"])
    expect(page.get_by_test_id("no-runs")).to_be_visible()

    # the mapping step: every column guessed from the Indonesian headers, the first rows shown
    _upload(page, "surat-jalan.csv", _csv([HEADER, *bad]))
    expect(page.get_by_role("heading", level=1)).to_have_text(text["mapping"])
    for column, header in GUESSED.items():
        expect(page.locator(f"#id_map-{column}")).to_have_value(header)
    for column in ("occurred_at", "outcome", "summary"):  # not in the file
        expect(page.locator(f"#id_map-{column}")).to_have_value("")
    expect(page.get_by_test_id("sample-row")).to_have_count(4)
    expect(page.get_by_test_id("sample")).to_contain_text("seratus")
    if language == "en":
        screenshot(page, "data-import-mapping.png")

    # the dry run names the bad row, its column and the reason; nothing is written
    page.get_by_role("button", name=text["check"]).click()
    report = page.get_by_test_id("row-errors")
    expect(report.get_by_role("heading", level=2)).to_have_text(text["errors"])
    error = page.get_by_test_id("row-error")
    expect(error).to_have_count(1)
    expect(error.locator("td").nth(0)).to_have_text(str(BAD_LINE))
    expect(error.locator("td").nth(1)).to_have_text(BAD_COLUMN)
    assert error.locator("td").nth(2).inner_text().strip()  # the reason
    expect(page.get_by_test_id("commit")).to_have_count(0)
    assert not Touchpoint.objects.filter(partnership=world.partnership).exists()
    if language == "en":
        screenshot(page, "data-import-errors.png")

    # the corrected file: guessed again, checked, previewed row by row as new
    report.get_by_role("link", name=text["corrected"]).click()
    expect(page.get_by_test_id("run-row")).to_have_count(1)
    _upload(page, "surat-jalan.csv", _csv([HEADER, *GOOD]))
    page.get_by_role("button", name=text["check"]).click()
    dry_run = page.get_by_test_id("dry-run")
    expect(dry_run.get_by_role("heading", level=2)).to_have_text(text["dry_run"])
    expect(page.get_by_test_id("count-created")).to_have_text("4")
    rows = page.locator("[data-testid=preview-row][data-action=create]")
    expect(rows).to_have_count(4)
    expect(page.get_by_test_id("preview")).to_contain_text("SJ/2026/00103")
    expect(rows.first.locator("td").first).to_have_text(text["new"])  # the action leads the row
    assert not Touchpoint.objects.filter(partnership=world.partnership).exists()
    if language == "en":
        screenshot(page, "data-import-preview.png")

    # import: all four rows written, then listed among the moments of truth with their numbers
    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("written").get_by_role("heading", level=2)).to_have_text(text["written"])
    expect(page.locator(".alert--success")).to_contain_text(text["done"])
    written = Touchpoint.objects.filter(partnership=world.partnership, kind="delivery")
    assert sorted(written.values_list("reference", flat=True)) == [row[0] for row in GOOD]
    assert ImportRun.objects.filter(status="failed").count() == 1
    page.goto(f"{live_server.url}/partnerships/{pk}/moments/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(text["moments"])
    table = page.locator("#touchpoint-table")
    for row in GOOD:
        expect(table).to_contain_text(row[0])


def test_the_risks_list_exports_csv_and_xlsx(page: Page, live_server: Any, world: Any) -> None:
    pk = world.partnership.pk
    Risk.objects.create(
        partnership=world.partnership,
        title="Banjir menutup akses DC",
        likelihood=4,
        impact=5,
        raised_by_side="customer",
    )
    Risk.objects.create(
        partnership=world.partnership, title='=HYPERLINK("http://evil.example")', raised_by_side="supplier"
    )
    Risk.objects.create(
        partnership=world.partnership, title="Sudah lewat", status="closed", raised_by_side="customer"
    )
    sign_in(page, live_server.url, "member@sumber.test")
    page.goto(f"{live_server.url}/partnerships/{pk}/risks/?status=open")
    today = timezone.localdate().isoformat()

    with page.expect_download() as csv_info:
        page.get_by_role("link", name="Export CSV").click()
    download = csv_info.value
    assert download.suggested_filename == f"risks-{pk}-{today}.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark, for Excel
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][:5] == ["What could happen", "Description", "Likelihood", "Impact", "Score"]
    titles = [row[0] for row in table[1:]]
    assert titles == [
        "Banjir menutup akses DC",
        '\'=HYPERLINK("http://evil.example")',
    ]  # filtered, neutralised
    assert table[1][4] == "20"

    with page.expect_download() as xlsx_info:
        page.get_by_role("link", name="Export XLSX").click()
    download = xlsx_info.value
    assert download.suggested_filename == f"risks-{pk}-{today}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "What could happen" and len(values) == 3
    assert values[1][0] == "Banjir menutup akses DC" and values[1][4] == 20  # a number, not text
    assert values[2][0] == '\'=HYPERLINK("http://evil.example")'
    assert sheet["A3"].data_type == "s"  # text, never a live formula


def test_the_quarterly_review_as_html_and_pdf(
    page: Page, live_server: Any, world: Any, screenshot: Any
) -> None:
    seed_quarter(world)
    pk = world.partnership.pk
    sign_in(page, live_server.url, "member@sumber.test")
    page.get_by_role("link", name="PT Ritel Maju Bersama").click()
    page.get_by_test_id("review-link").click()
    page.wait_for_url(re.compile(rf".*/partnerships/{pk}/review/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly business review")
    form = page.get_by_test_id("review-form")
    form.locator("#id_quarter").fill("2026Q3")
    form.locator("#id_lang").select_option("en")
    form.locator("input[name=format][value=html]").check()
    screenshot(page, "review-page.png")

    form.get_by_role("button", name="Make the review").click()
    page.wait_for_url(re.compile(r".*format=html"))
    cover = page.get_by_test_id("review-cover")
    expect(cover).to_be_visible()
    expect(cover).to_contain_text("Prepared for the quarterly business review")
    expect(cover).to_contain_text("PT Sumber Rasa Nusantara")
    expect(cover).to_contain_text("2026Q3")
    trend = page.locator("svg[data-testid=trend-chart]")
    expect(trend).to_be_visible()
    box = trend.bounding_box()
    assert box is not None and box["width"] >= 300, box
    expect(page.locator("svg[data-testid=kpi-chart]")).to_be_attached()
    expect(page.get_by_test_id("review-risks")).to_contain_text("Banjir menutup akses DC")
    page.get_by_test_id("review-health").screenshot(path=str(SCREENSHOTS / "review-html-health.png"))

    # the PDF, in Bahasa Indonesia, arrives as a download
    page.go_back()
    form = page.get_by_test_id("review-form")
    form.locator("#id_quarter").fill("2026Q3")
    form.locator("#id_lang").select_option("id")
    form.locator("input[name=format][value=pdf]").check()
    with page.expect_download() as info:
        form.get_by_role("button", name="Make the review").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf") and "2026Q3" in download.suggested_filename
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    cover = reader.pages[0].extract_text()
    assert "Tinjauan kemitraan" in cover and "1 Juli 2026" in cover and "Partnership review" not in cover
